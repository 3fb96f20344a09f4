package io.vpcanary.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.lab.LabAddressPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The table of docs/lab.md is what the lab's DNS servers answer: every cell is asked over UDP and over TCP of the
 * view's resolver, and the table lists every name of the demo estate.
 */
class LabDnsDocTableTest {

    /** One row of the doc table: the name and, by view, the expected addresses (empty set = NXDOMAIN). */
    record Row(String name, Map<String, Set<String>> expected) {
    }

    private static Estate estate;
    private static LabDnsServer server;
    private static List<String> views;
    private static List<Row> rows;

    @BeforeAll
    static void start() throws IOException {
        estate = EstateLoader.demo();
        server = LabDnsServer.start(estate, LabAddressPlan.of(estate), 0);
        parse(Files.readString(docsLabMd(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Path docsLabMd() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/lab.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/lab.md not found above " + Path.of("").toAbsolutePath());
    }

    private static void parse(String markdown) {
        int start = markdown.indexOf(LabDnsTable.START);
        int end = markdown.indexOf(LabDnsTable.END);
        assertThat(start).as("table start marker in docs/lab.md").isGreaterThanOrEqualTo(0);
        assertThat(end).as("table end marker after the start marker").isGreaterThan(start);
        List<String[]> cells = markdown.substring(start + LabDnsTable.START.length(), end).lines()
                .map(String::strip)
                .filter(l -> l.startsWith("|"))
                .map(l -> Arrays.stream(l.substring(1, l.length() - (l.endsWith("|") ? 1 : 0)).split("\\|"))
                        .map(String::strip).toArray(String[]::new))
                .toList();
        assertThat(cells.size()).as("header, separator and rows").isGreaterThan(2);
        String[] header = cells.get(0);
        assertThat(header[0]).isEqualTo("name");
        views = List.of(Arrays.copyOfRange(header, 1, header.length));
        rows = new ArrayList<>();
        for (String[] line : cells.subList(2, cells.size())) {
            assertThat(line).as("row %s", Arrays.toString(line)).hasSize(header.length);
            String name = line[0].replace("`", "");
            Map<String, Set<String>> expected = new LinkedHashMap<>();
            for (int i = 1; i < line.length; i++) {
                expected.put(views.get(i - 1), line[i].equals(LabDnsTable.NXDOMAIN) ? Set.of()
                        : Arrays.stream(line[i].split(",")).map(String::strip).collect(Collectors.toSet()));
            }
            rows.add(new Row(name, expected));
        }
    }

    @Test
    void theTableIsTheOneLabDnsTableRendersForTheDemoEstate() throws IOException {
        LabAddressPlan plan = LabAddressPlan.of(estate);
        String rendered = LabDnsTable.markdown(LabDnsViews.of(estate, plan), plan.regions());
        String markdown = Files.readString(docsLabMd(), StandardCharsets.UTF_8);
        String documented = markdown.substring(markdown.indexOf(LabDnsTable.START),
                markdown.indexOf(LabDnsTable.END) + LabDnsTable.END.length()) + "\n";
        assertThat(documented).as("docs/lab.md's table; when the demo estate changes, paste this one:%n%s", rendered)
                .isEqualTo(rendered);
    }

    @Test
    void theTableHasAColumnForEveryViewOfTheDemoEstate() {
        assertThat(views).containsExactlyElementsOf(server.resolvers().keySet());
        assertThat(views).containsExactly("canary-east", "partner-east", "canary-west", "on-premises");
    }

    @Test
    void theTableListsEveryNameOfTheDemoEstateAndAnUnknownOne() {
        Set<String> names = new LinkedHashSet<>();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            String region = estate.network().regionOf(e);
            names.add(e.regionalDnsName(region));
            e.zones().forEach(z -> names.add(e.zonalDnsName(region, z)));
        }
        for (Api api : estate.apis()) {
            for (ApiRegion ar : api.regions()) {
                names.add(ar.executeApiHost());
                ar.vpcEndpoints().forEach(v -> names.add(ar.aliasHost(v)));
                ar.customDomains().stream().map(CustomDomain::domain).forEach(names::add);
            }
        }
        Set<String> documented = rows.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        assertThat(documented).containsAll(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
        assertThat(names).as("names of the demo estate").hasSize(20);
        assertThat(documented).contains("unknown.example.com");
        assertThat(rows).anyMatch(r -> r.expected().values().stream().allMatch(Set::isEmpty));
    }

    @Test
    void everyCellIsWhatTheViewAnswersOverUdp() throws IOException {
        assertEveryCell(false);
    }

    @Test
    void everyCellIsWhatTheViewAnswersOverTcp() throws IOException {
        assertEveryCell(true);
    }

    private void assertEveryCell(boolean tcp) throws IOException {
        int asked = 0;
        for (Row row : rows) {
            for (String view : views) {
                InetSocketAddress resolver = server.resolvers().get(view);
                Message query = DnsWire.query(row.name(), Type.A);
                Message response = tcp ? DnsWire.tcp(resolver, query) : DnsWire.udp(resolver, query);
                Set<String> expected = row.expected().get(view);
                String cell = row.name() + " in " + view + (tcp ? " over TCP" : " over UDP");
                assertThat(response.getHeader().getID()).as(cell).isEqualTo(query.getHeader().getID());
                if (expected.isEmpty()) {
                    assertThat(response.getRcode()).as(cell).isEqualTo(Rcode.NXDOMAIN);
                    assertThat(response.getSection(Section.ANSWER)).as(cell).isEmpty();
                    assertThat(response.getSection(Section.AUTHORITY)).as(cell)
                            .singleElement().isInstanceOf(SOARecord.class);
                } else {
                    assertThat(response.getRcode()).as(cell).isEqualTo(Rcode.NOERROR);
                    assertThat(DnsWire.addresses(response)).as(cell).isEqualTo(expected);
                }
                asked++;
            }
        }
        assertThat(asked).isEqualTo(rows.size() * views.size()).isGreaterThanOrEqualTo(4 * 17);
    }
}
