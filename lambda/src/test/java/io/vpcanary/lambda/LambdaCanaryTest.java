package io.vpcanary.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.lab.Lab;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canary in process, against a lab: planning, rounds, the remaining-time bound, priming, bad configuration. */
class LambdaCanaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static DemoLab demo;
    private static Lab lab;
    private static Path labEnv;

    @BeforeAll
    static void startLab() throws Exception {
        demo = DemoLab.start(dir);
        lab = demo.lab();
        labEnv = demo.envFile();
    }

    @AfterAll
    static void stopLab() {
        if (demo != null) {
            demo.close();
        }
    }

    private static LambdaCanary canary(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("VPCANARY_LAB_ENV", labEnv.toString(),
                "VPCANARY_VANTAGE", "canary-east"));
        all.putAll(env);
        return LambdaCanary.plan(CanaryConfig.fromEnvironment(all::get), all::get);
    }

    @Test
    void runsEveryRoundAndRecordsEachThroughMetricsOutput() throws Exception {
        LambdaCanary c = canary(Map.of("VPCANARY_ROUNDS", "3", "VPCANARY_ROUND_INTERVAL", "200ms"));
        StringWriter log = new StringWriter();
        CanarySummary s = c.run(() -> Long.MAX_VALUE, new PrintWriter(log));
        int targets = c.canaryPlan().targets().size();
        assertThat(s.rounds()).isEqualTo(3);
        assertThat(s.checks()).isEqualTo(3 * targets);
        assertThat(s.failed()).as("%s", s.failures()).isZero();
        assertThat(s.cutShort()).isFalse();
        assertThat(s.samplesSent()).isPositive();
        assertThat(log.toString()).contains("\"Vantage\":\"canary-east\"").contains("publish emf: sent ");
    }

    @Test
    void stopsWhenTheRemainingTimeWouldNotHoldAnotherRound() throws Exception {
        LambdaCanary c = canary(Map.of("VPCANARY_ROUNDS", "5", "VPCANARY_ROUND_INTERVAL", "1ms",
                "VPCANARY_PUBLISH", "none"));
        // less than the margin kept for publishing: the first round runs, no second
        CanarySummary s = c.run(() -> LambdaCanary.FLUSH_MARGIN.toMillis() - 1, new PrintWriter(new StringWriter()));
        assertThat(s.rounds()).isEqualTo(1);
        assertThat(s.cutShort()).isTrue();
        assertThat(s.checks()).isEqualTo(c.canaryPlan().targets().size());
    }

    @Test
    void primingEncodesEveryTargetAndSendsNothing() throws Exception {
        // AWS mode with the lab's estate, resolving through a socket of this test: any DNS query would arrive there
        try (DatagramSocket resolver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Map<String, String> env = Map.of("VPCANARY_ESTATE", lab.environment().estate(),
                    "VPCANARY_VANTAGE", "canary-east", "VPCANARY_RESOLVER", "127.0.0.1:" + resolver.getLocalPort());
            CanaryHandler handler = new CanaryHandler(env::get, new PrintStream(new ByteArrayOutputStream()));
            LambdaCanary c = LambdaCanary.plan(CanaryConfig.fromEnvironment(env::get), env::get);
            JsonNode primed = JSON.readTree(c.prime());
            handler.prime();
            assertThat(primed.get("checks").asInt()).isEqualTo(c.canaryPlan().targets().size()).isPositive();
            assertThat(primed.get("vantage").asText()).isEqualTo("canary-east");
            // the first datagram the resolver receives is this sentinel, so planning and priming sent none
            byte[] sentinel = "sentinel".getBytes(StandardCharsets.US_ASCII);
            try (DatagramSocket sender = new DatagramSocket()) {
                sender.send(new DatagramPacket(sentinel, sentinel.length, resolver.getLocalSocketAddress()));
            }
            resolver.setSoTimeout(30_000);
            DatagramPacket first = new DatagramPacket(new byte[512], 512);
            resolver.receive(first);
            assertThat(new String(first.getData(), 0, first.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("sentinel");
        }
    }

    @Test
    void aBadConfigurationFailsEachInvocationWithOneLoggedLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "account: \"111122223333\"\napiz: []\n");
        Map<String, String> env = Map.of("VPCANARY_ESTATE", bad.toString(), "VPCANARY_VANTAGE", "canary-east");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CanaryHandler handler = new CanaryHandler(env::get, new PrintStream(out, true, StandardCharsets.UTF_8));
        handler.prime(); // nothing to prime; must not throw
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream("{}".getBytes()),
                new ByteArrayOutputStream(), null)).isInstanceOf(CanaryConfigException.class)
                .hasMessageContaining("bad.yaml:2:").hasMessageContaining("apiz");
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().toList()).hasSize(2).first().asString()
                .matches("vpcanary: init [0-9]+ ms after JVM start; configuration error.*");
        assertThat(log.lines().toList().get(1)).startsWith("vpcanary: configuration error: invalid estate: ");

        Map<String, String> unknown = Map.of("VPCANARY_ESTATE", lab.environment().estate(),
                "VPCANARY_VANTAGE", "vpc-nowhere");
        assertThatThrownBy(() -> LambdaCanary.plan(CanaryConfig.fromEnvironment(unknown::get), unknown::get))
                .isInstanceOf(CanaryConfigException.class).hasMessageContaining("unknown vantage 'vpc-nowhere'");
        Map<String, String> noFile = Map.of("VPCANARY_ESTATE", dir.resolve("missing.yaml").toString(),
                "VPCANARY_VANTAGE", "canary-east");
        assertThatThrownBy(() -> LambdaCanary.plan(CanaryConfig.fromEnvironment(noFile::get), noFile::get))
                .isInstanceOf(CanaryConfigException.class).hasMessageContaining("cannot read estate file");
        Map<String, String> noBundle = Map.of("VPCANARY_VANTAGE", "canary-east");
        assertThatThrownBy(() -> LambdaCanary.plan(CanaryConfig.fromEnvironment(noBundle::get), noBundle::get))
                .isInstanceOf(CanaryConfigException.class).hasMessageContaining(CanaryConfig.BUNDLED_ESTATE);
    }
}
