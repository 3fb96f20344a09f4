package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.AddressFamily;
import io.vpcanary.access.Target;
import io.vpcanary.estate.Expectation;
import io.vpcanary.metrics.IntervalSnapshot;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual-stack names: a name with A and AAAA records is checked over each IP version and reported apart, over the one
 * it has otherwise. Two real servers on one port, 127.0.0.1 and [::1], each saying which it is; real DNS packets from
 * {@link TestDnsServer}.
 */
class AddressFamilyTest {

    private static final String DUAL = "dual0000aa.execute-api.us-east-1.amazonaws.com";
    private static final String V4 = "ipv40000aa.execute-api.us-east-1.amazonaws.com";
    private static final String V6 = "ipv60000aa.execute-api.us-east-1.amazonaws.com";

    @TempDir
    Path dir;

    private final TestTls tls = new TestTls("dual-stack CA");
    private TestDnsServer dns;
    private MockWebServer web4;
    private MockWebServer web6;

    private static Dispatcher saying(String family) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("{\"family\":\"" + family + "\"}").build();
            }
        };
    }

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.a(DUAL, "127.0.0.1", "::1").a(V4, "127.0.0.1").a(V6, "::1");
        IOException last = null;
        for (int attempt = 0; attempt < 10 && web6 == null; attempt++) {
            web4 = new MockWebServer();
            tls.serve(web4);
            web4.setDispatcher(saying("v4"));
            web4.start(InetAddress.getByName("127.0.0.1"), 0);
            MockWebServer six = new MockWebServer();
            tls.serve(six);
            six.setDispatcher(saying("v6"));
            try {
                six.start(InetAddress.getByName("::1"), web4.getPort());
                web6 = six;
            } catch (IOException e) {
                last = e;
                web4.close();
            }
        }
        if (web6 == null) {
            throw last;
        }
    }

    @AfterEach
    void stop() throws Exception {
        web4.close();
        web6.close();
        dns.close();
    }

    private ProbeEngine engine() throws Exception {
        return ProbeEngine.builder()
                .resolvers(Resolvers.builder().view("canary-east", dns.address()).build())
                .trustStore(tls.caPem(dir), null)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private Target target(String host) {
        return Targets.get(host, web4.getPort(), "/prod/x", AccessPath.PRIVATE_DNS, Map.of(), "canary-east",
                new Expectation(200, null, null, null));
    }

    @Test
    void aDualStackNameBecomesOneTargetPerFamilyAndOthersKeepTheirs() throws Exception {
        List<Target> planned = engine().byAddressFamily(List.of(target(DUAL), target(V4), target(V6)));
        assertThat(planned).extracting(t -> t.url().getHost() + " " + t.family()).containsExactly(
                DUAL + " IPV4", DUAL + " IPV6", V4 + " null", V6 + " IPV6");
        assertThat(planned.get(1).id()).isEqualTo("orders/check-/prod/x/PRIVATE_DNS/us-east-1/IPv6");
        assertThat(planned.get(2).id()).isEqualTo("orders/check-/prod/x/PRIVATE_DNS/us-east-1");
    }

    @Test
    void eachFamilyIsCheckedOverItsOwnAddressesAndReportedApart() throws Exception {
        ProbeRun run = new ProbeRunner(engine(), 1, false).run(List.of(target(DUAL), target(V6)));
        assertThat(run.outcomes()).extracting(o -> o.ipFamily() + " " + o.resolvedAddresses() + " " + o.passed())
                .containsExactly("IPv4 [127.0.0.1] true", "IPv6 [0:0:0:0:0:0:0:1] true", "IPv6 [0:0:0:0:0:0:0:1] true");
        assertThat(web4.getRequestCount()).isEqualTo(1);
        assertThat(web6.getRequestCount()).isEqualTo(2);
        assertThat(ProbeReport.table(run)).contains("PRIVATE_DNS IPv4").contains("PRIVATE_DNS IPv6");

        Recorder recorder = Recorder.standard();
        run.outcomes().forEach(o -> ProbeMetrics.record(recorder, o, Instant.now()));
        List<Map<String, String>> latency = recorder.drainAll().stream().map(IntervalSnapshot::series)
                .filter(s -> s.name().equals(ProbeMetrics.LATENCY) && s.dimensions().containsKey(ProbeMetrics.D_CHECK))
                .map(s -> (Map<String, String>) s.dimensions()).distinct().toList();
        assertThat(latency).hasSize(2);
        assertThat(latency).filteredOn(d -> "IPv6".equals(d.get(ProbeMetrics.D_IP_FAMILY))).hasSize(1);
        assertThat(latency).filteredOn(d -> !d.containsKey(ProbeMetrics.D_IP_FAMILY))
                .as("IPv4 keeps the dimensions every IPv4-only target has").hasSize(1);
    }

    @Test
    void theLoopbackIsAlwaysReachableOverIpv6() throws Exception {
        assertThat(ProbeEngine.ipv6Routable(InetAddress.getByName("::1"))).isTrue();
    }

    @Test
    void aCheckPinnedToIpv6AsksForAaaaOnlyAndFailsAsDnsWhenThereIsNone() throws Exception {
        Outcome o = engine().probe(target(V4).over(AddressFamily.IPV6));
        assertThat(o.passed()).isFalse();
        assertThat(o.errorClass()).isEqualTo(ErrorClass.DNS_FAILURE);
        assertThat(o.message()).contains("no AAAA records");
    }
}
