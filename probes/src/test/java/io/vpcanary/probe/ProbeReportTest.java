package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Expectation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table and JSON renderings of a run. */
class ProbeReportTest {

    static Target target(String check, AccessPath path, String region, String vantage, String url,
                         ErrorClass expected) {
        URI u = URI.create(url);
        return new Target("orders", ApiType.REST, "ordrseast1", "prod", region, path, check, "GET", u, Map.of(),
                u.getHost() + ":" + u.getPort(), vantage, null, null, AuthType.NONE,
                new Expectation(null, null, null, expected));
    }

    private static final Outcome PASSED = new Outcome(target("list-orders", AccessPath.PRIVATE_DNS, "us-east-1",
            "canary-east", "https://ordrseast1.execute-api.us-east-1.amazonaws.com:8443/prod/orders", null),
            200, null, true, new Phases(1.234, 0.5, 12.25, 3.0, 18.75),
            Instant.parse("2027-02-21T12:00:00Z"), "TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of("127.0.1.10"),
            "us-east-1", "req-1", null, null);
    private static final Outcome NEGATIVE = new Outcome(target("bare-endpoint-refused",
            AccessPath.VPCE_HOST_HEADER, "us-east-1", "canary-east",
            "https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com:8443/prod/orders",
            ErrorClass.FORBIDDEN), 403, ErrorClass.FORBIDDEN, true, new Phases(1.0, 0.4, 10.0, 2.0, 15.0),
            Instant.parse("2027-02-21T12:00:00Z"), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            List.of("127.0.1.10"), null, "req-2", null, null);
    private static final Outcome FAILED = new Outcome(target("private-dns-from-on-premises",
            AccessPath.PRIVATE_DNS, "us-west-2", "on-premises",
            "https://ordrswest2.execute-api.us-west-2.amazonaws.com:8443/prod/orders", ErrorClass.DNS_FAILURE),
            null, ErrorClass.CONNECT, false, new Phases(0.9, 1.1, null, null, 2.5),
            null, null, null, List.of("127.0.2.10"), null, null, "expected DNS_FAILURE, got CONNECT (ConnectException: refused)", null);
    private static final ProbeRun RUN = new ProbeRun(Instant.parse("2026-11-23T19:00:00Z"), Duration.ofMillis(42),
            List.of(PASSED, NEGATIVE, FAILED));

    @Test
    void tableHasOneRowPerCheckThenFailuresAndSummary() {
        String table = ProbeReport.table(RUN);
        List<String> lines = table.lines().toList();

        assertThat(lines.get(0)).startsWith("API").contains("CHECK", "ACCESS PATH", "REGION", "FROM", "STATUS",
                "CLASS", "DNS ms", "CONN ms", "TLS ms", "TTFB ms", "TOTAL ms").endsWith("RESULT");
        assertThat(lines.get(1)).contains("list-orders", "PRIVATE_DNS", "canary-east", "200", "1.2", "12.3", "18.8")
                .endsWith("PASS");
        assertThat(lines.get(2)).contains("FORBIDDEN (want FORBIDDEN)", "403").endsWith("PASS");
        assertThat(lines.get(3)).contains("CONNECT (want DNS_FAILURE)", "on-premises").endsWith("FAIL");
        assertThat(lines.get(3).split("\\s+")).contains("-");
        assertThat(lines.get(4)).isEqualTo("FAIL orders/private-dns-from-on-premises/PRIVATE_DNS/us-west-2: "
                + "expected DNS_FAILURE, got CONNECT (ConnectException: refused)");
        assertThat(lines.get(5)).isEqualTo("3 checks: 2 passed, 1 failed");
        // Columns line up: RESULT starts at the same offset on every row.
        int col = lines.get(0).indexOf("RESULT");
        assertThat(lines.subList(1, 4)).allSatisfy(l -> assertThat(l.substring(col)).matches("PASS|FAIL"));
    }

    @Test
    void jsonHasOneObjectPerCheckAndASummary() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ProbeReport.json(RUN));

        assertThat(root.get("startedAt").asText()).isEqualTo("2026-11-23T19:00:00Z");
        assertThat(root.get("summary").get("total").asInt()).isEqualTo(3);
        assertThat(root.get("summary").get("passed").asInt()).isEqualTo(2);
        assertThat(root.get("summary").get("failed").asInt()).isEqualTo(1);
        JsonNode checks = root.get("checks");
        assertThat(checks).hasSize(3);
        for (JsonNode c : checks) {
            assertThat(c.fieldNames()).toIterable().contains("api", "check", "accessPath", "region", "vantage", "url",
                    "method", "status", "errorClass", "expectedErrorClass", "passed", "phases", "resolvedAddresses",
                    "servedRegion", "requestId", "message", "bodySnippet");
            assertThat(c.get("phases").fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("dnsMs", "connectMs", "tlsMs", "ttfbMs", "totalMs");
        }
        JsonNode first = checks.get(0);
        assertThat(first.get("url").asText())
                .isEqualTo("https://ordrseast1.execute-api.us-east-1.amazonaws.com:8443/prod/orders");
        assertThat(first.get("status").asInt()).isEqualTo(200);
        assertThat(first.get("errorClass").isNull()).isTrue();
        assertThat(first.get("passed").asBoolean()).isTrue();
        assertThat(first.get("phases").get("dnsMs").asDouble()).isEqualTo(1.234);
        JsonNode failed = checks.get(2);
        assertThat(failed.get("status").isNull()).isTrue();
        assertThat(failed.get("errorClass").asText()).isEqualTo("CONNECT");
        assertThat(failed.get("expectedErrorClass").asText()).isEqualTo("DNS_FAILURE");
        assertThat(failed.get("phases").get("tlsMs").isNull()).isTrue();
        assertThat(first.get("certificateNotAfter").asText()).isEqualTo("2027-02-21T12:00:00Z");
        assertThat(failed.get("certificateNotAfter").isNull()).isTrue();
        assertThat(first.get("tlsVersion").asText()).isEqualTo("TLSv1.3");
        assertThat(first.get("cipherSuite").asText()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(failed.get("tlsVersion").isNull()).as("no handshake: null, not left out").isTrue();
        assertThat(failed.get("cipherSuite").isNull()).isTrue();
        assertThat(failed.get("passed").asBoolean()).isFalse();
    }

    @Test
    void writeJsonReplacesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/report.json");
        ProbeReport.writeJson(RUN, file);
        ProbeReport.writeJson(new ProbeRun(Instant.EPOCH, Duration.ZERO, List.of(PASSED)), file);

        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        assertThat(root.get("summary").get("total").asInt()).isEqualTo(1);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void junitHasOneTestCasePerOutcomeAndAFailureForEachMiss() throws Exception {
        String xml = ProbeReport.junit(RUN, null);
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var suite = (org.w3c.dom.Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        var cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(3);
        var failed = (org.w3c.dom.Element) cases.item(2);
        assertThat(failed.getAttribute("name")).isEqualTo("orders/private-dns-from-on-premises/PRIVATE_DNS/us-west-2");
        assertThat(failed.getAttribute("classname")).isEqualTo("on-premises");
        var failure = (org.w3c.dom.Element) failed.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("CONNECT");
        assertThat(failure.getAttribute("message")).contains("expected DNS_FAILURE, got CONNECT");
        assertThat(((org.w3c.dom.Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
    }
}
