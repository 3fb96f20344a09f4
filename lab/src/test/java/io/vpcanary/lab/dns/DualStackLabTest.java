package io.vpcanary.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-stack estate served by a real lab and asked by independent clients: {@code dig} gets the AAAA records of the
 * views, and {@code curl} reaches the IPv6 front door on {@code [::1]}, where the lab tells the doors apart by the
 * TLS server name the client sends, and the VPC endpoint the answer names is the one the name stands for (so the
 * endpoint policies and {@code aws:SourceVpce} see what they would on AWS).
 */
class DualStackLabTest {

    @TempDir
    static Path dir;

    private static Lab lab;
    private static LabEnvironment env;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.start(EstateLoader.parse(Path.of("dual-stack.yaml"), DualStackViewsTest.ESTATE), null,
                Lab.Options.ephemeral(dir.resolve("state")));
        env = lab.environment();
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private record Run(int exit, String out) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Run(p.waitFor(), out);
    }

    private static String dig(String view, String type, String name) throws Exception {
        String[] server = env.resolvers().get(view).split(":");
        Run r = run("dig", "+short", "+tries=1", "+time=5", "@" + server[0], "-p", server[1], name, type);
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    /** curl over IPv6 to the lab's [::1] with {@code name} as the URL's host (and so its TLS server name). */
    private static Run curl6(String name, String path, String... headers) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-6", "--max-time", "10", "--cacert", env.ca(),
                "--resolve", name + ":" + env.httpsPort() + ":[::1]", "-w", "\n%{http_code} %{remote_ip}"));
        for (String h : headers) {
            cmd.add("-H");
            cmd.add(h);
        }
        cmd.add("https://" + name + ":" + env.httpsPort() + path);
        return run(cmd.toArray(String[]::new));
    }

    @Test
    void digSeesTheAaaaRecordsOfTheViews() throws Exception {
        boolean dig = run("sh", "-c", "command -v dig").exit() == 0;
        if ("true".equals(System.getenv("CI"))) {
            assertThat(dig).as("dig (dnsutils) is installed: .ci/run installs it with bin/ensure-dig").isTrue();
        }
        assumeTrue(dig, "dig (dnsutils) is installed (.ci/run installs it)");
        assertThat(dig("charlie", "AAAA", "pay.internal.example.com")).isEqualTo("::1");
        assertThat(dig("charlie", "A", "pay.internal.example.com")).as("IPv6 records only").isEmpty();
        assertThat(dig("bravo", "AAAA", "pay.internal.example.com")).as("bravo's endpoint is IPv4").isEmpty();
        assertThat(dig("bravo", "A", "pay.internal.example.com")).isEqualTo("127.0.1.20");
        assertThat(dig("alpha", "AAAA", "payeast001.execute-api.us-east-1.amazonaws.com")).isEqualTo("::1");
        assertThat(dig("on-premises", "AAAA", "shop.example.com")).isEqualTo("::1");
    }

    @Test
    void curlOverIpv6ReachesTheEndpointItsNameStandsFor() throws Exception {
        Run byDomain = curl6("pay.internal.example.com", "/");
        assertThat(byDomain.out()).as("the private domain in charlie: endpoint c1")
                .contains("\"vpcEndpoint\":\"vpce-0c0000000000000c1\"").endsWith("200 ::1");
        Run byC1 = curl6("vpce-0c0000000000000c1-cccc3333.execute-api.us-east-1.vpce.amazonaws.com", "/prod/",
                "Host: payeast001.execute-api.us-east-1.amazonaws.com");
        assertThat(byC1.out()).contains("\"vpcEndpoint\":\"vpce-0c0000000000000c1\"").endsWith("200 ::1");
        Run byA1 = curl6("vpce-0a0000000000000a1-aaaa1111.execute-api.us-east-1.vpce.amazonaws.com", "/prod/",
                "x-apigw-api-id: payeast001");
        assertThat(byA1.out()).contains("\"vpcEndpoint\":\"vpce-0a0000000000000a1\"").endsWith("200 ::1");
        Run privateDns = curl6("payeast001.execute-api.us-east-1.amazonaws.com", "/prod/");
        assertThat(privateDns.out()).contains("\"vpcEndpoint\":\"vpce-0a0000000000000a1\"").endsWith("200 ::1");
        Run regional = curl6("shop.example.com", "/");
        assertThat(regional.out()).as("the public door").doesNotContain("vpcEndpoint\":\"vpce").endsWith("200 ::1");
    }

    @Test
    void aNameWithoutAnIpv6DoorGetsNoAnswerOnIpv6() throws Exception {
        Run b1 = curl6("vpce-0b0000000000000b1-bbbb2222.execute-api.us-east-1.vpce.amazonaws.com", "/prod/",
                "x-apigw-api-id: payeast001");
        assertThat(b1.exit()).as(b1.out()).isNotZero();
        assertThat(b1.out()).doesNotContain("vpcEndpoint");
    }

    @Test
    void anEndpointDownFaultRefusesItsIpv6DoorToo() throws Exception {
        String name = "vpce-0c0000000000000c1-cccc3333.execute-api.us-east-1.vpce.amazonaws.com";
        var fault = lab.faults().add(FaultSpec.of(FaultSpec.Kind.ENDPOINT_DOWN, "vpce-0c0000000000000c1",
                Duration.ofMinutes(5)));
        try {
            Run down = curl6(name, "/prod/", "x-apigw-api-id: payeast001");
            assertThat(down.exit()).as(down.out()).isNotZero();
            assertThat(curl6("vpce-0a0000000000000a1-aaaa1111.execute-api.us-east-1.vpce.amazonaws.com", "/prod/",
                    "x-apigw-api-id: payeast001").out()).as("another endpoint on the same [::1]").endsWith("200 ::1");
        } finally {
            lab.faults().clear(fault.id());
        }
        assertThat(curl6(name, "/prod/", "x-apigw-api-id: payeast001").out()).endsWith("200 ::1");
    }
}
