package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Resolvers} and {@link DnsServerLookup} against a real DNS responder on loopback. */
class ResolversTest {

    private TestDnsServer dns;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private static List<String> texts(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void viewResolvesThroughItsServerOverUdp() throws Exception {
        dns.a("api.example.test", "127.0.0.7", "127.0.0.8");
        Resolvers r = Resolvers.builder().view("canary-east", dns.address()).build();

        List<InetAddress> found = r.forVantage("canary-east").lookup("api.example.test");

        assertThat(texts(found)).containsExactly("127.0.0.7", "127.0.0.8");
        assertThat(found.get(0).getHostName()).isEqualTo("api.example.test");
        assertThat(dns.udpQueries()).isEqualTo(1);
        assertThat(dns.tcpQueries()).isZero();
    }

    @Test
    void nxdomainIsUnknownHostNamingTheServer() throws Exception {
        Dns lookup = Resolvers.server(dns.address()).forVantage("anywhere");

        assertThatThrownBy(() -> lookup.lookup("missing.example.test"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("missing.example.test")
                .hasMessageContaining("NXDOMAIN")
                .hasMessageContaining("127.0.0.1:" + dns.address().getPort());
    }

    @Test
    void truncatedUdpAnswerIsRetriedOverTcp() throws Exception {
        dns.a("big.example.test", "127.0.0.9").truncateOverUdp("big.example.test");

        List<InetAddress> found = Resolvers.server(dns.address()).forVantage("x").lookup("big.example.test");

        assertThat(texts(found)).containsExactly("127.0.0.9");
        assertThat(dns.udpQueries()).isEqualTo(1);
        assertThat(dns.tcpQueries()).isEqualTo(1);
    }

    @Test
    void cnameIsFollowed() throws Exception {
        dns.cname("alias.example.test", "real.example.test").a("real.example.test", "127.0.0.10");

        List<InetAddress> found = Resolvers.server(dns.address()).forVantage("x").lookup("alias.example.test");

        assertThat(texts(found)).containsExactly("127.0.0.10");
    }

    @Test
    void silentServerTimesOutAsUnknownHost() throws Exception {
        dns.silent("slow.example.test");
        Dns lookup = Resolvers.builder().timeout(Duration.ofMillis(300)).defaultServer(dns.address()).build()
                .forVantage("x");

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> lookup.lookup("slow.example.test"))
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("no answer")
                .hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void unknownVantageWithoutDefaultIsAClearError() {
        Resolvers r = Resolvers.ofViews(Map.of("canary-east", "127.0.0.1:53", "on-premises", "127.0.0.2:53"));

        assertThat(r.knows("canary-east")).isTrue();
        assertThat(r.knows("partner-east")).isFalse();
        assertThatThrownBy(() -> r.forVantage("partner-east"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partner-east")
                .hasMessageContaining("[canary-east, on-premises]");
    }

    @Test
    void defaultsApplyToUnknownVantages() {
        assertThat(Resolvers.system().forVantage("anything")).isSameAs(Dns.SYSTEM);
        assertThat(Resolvers.system().describe("anything")).isEqualTo("system resolver");
        Resolvers r = Resolvers.builder().view("a", dns.address()).defaultSystem().build();
        assertThat(r.forVantage("b")).isSameAs(Dns.SYSTEM);
        assertThat(r.describe("a")).isEqualTo("DNS server 127.0.0.1:" + dns.address().getPort());
    }

    @Test
    void badHostPortIsRejected() {
        assertThatThrownBy(() -> Resolvers.ofViews(Map.of("v", "127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not host:port");
        assertThatThrownBy(() -> Resolvers.parseHostPort("127.0.0.1:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Resolvers.parseHostPort("127.0.0.1:abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad port");
        assertThat(Resolvers.parseHostPort("[::1]:53").getPort()).isEqualTo(53);
    }
}
