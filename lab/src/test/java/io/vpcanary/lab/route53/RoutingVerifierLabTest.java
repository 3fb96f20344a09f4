package io.vpcanary.lab.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.metrics.IntervalSnapshot;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import io.vpcanary.routing.RoutingVerification;
import io.vpcanary.routing.RoutingVerifier;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * {@code RoutingVerifier} (probes) against the demo estate's lab: the weighted test accepts the configured 70/30 split
 * and rejects a deliberately wrong 50/50 one; the failover check passes on the primary and fails once its health check
 * fails; a caching resolver makes a weighted test INCONCLUSIVE. The lab's weighted draws are seeded, so the verdicts
 * are reproducible.
 */
class RoutingVerifierLabTest {

    @TempDir
    static Path state;
    static Lab lab;
    static Estate estate;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(state));
        estate = lab.estate();
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    static RoutingVerifier.Settings settings(Estate e, String domain, InetSocketAddress dns, Integer samples) {
        return new RoutingVerifier.Settings(e, domain, "canary-east", dns, lab.environment().httpsPort(),
                TrustStores.fromFile(Path.of(lab.environment().trustStore()),
                        lab.environment().trustStorePassword().toCharArray()),
                null, samples, 5000, false, RoutingVerifier.DEFAULT_DEVIATION, Duration.ofSeconds(5));
    }

    static InetSocketAddress view(String name) {
        return Resolvers.parseHostPort(lab.environment().resolvers().get(name));
    }

    @Test
    void theWeightedTestAcceptsTheConfiguredSplitAndRejectsAWrongOne() throws Exception {
        Recorder recorder = new Recorder(Duration.ofSeconds(60), Clock.systemUTC());
        RoutingVerification ok = RoutingVerifier.run(settings(estate, "orders-split.internal.example.com",
                view("canary-east"), null), recorder, Clock.systemUTC());
        assertThat(ok.verdict()).as(ok.toJson()).isEqualTo(RoutingVerification.PASS);
        assertThat(ok.requiredSamples()).isEqualTo(ok.samples()).isBetween(240L, 250L);
        assertThat(ok.resolutions()).isEqualTo(ok.samples());
        assertThat(ok.resolved().keySet()).containsExactly("us-east-1", "us-west-2");
        assertThat(ok.served()).isEqualTo(ok.resolved());
        assertThat(ok.pValue()).isGreaterThanOrEqualTo(0.01);
        assertThat(ok.warnings()).isEmpty();
        assertThat(ok.toJson()).contains("\"statistic\"", "\"pValue\"", "\"verdict\" : \"PASS\"");
        long servedMetric = recorder.drainAll().stream()
                .filter(s -> s.series().name().equals("ServedRegion")
                        && s.series().dimensions().get("Check").equals("orders-split.internal.example.com"))
                .mapToLong(IntervalSnapshot::count).sum();
        assertThat(servedMetric).isEqualTo(ok.samples());

        Estate wrong = EstateLoader.parse(Path.of("wrong.yaml"), EstateLoader.demoText()
                .replace("weight: 70", "weight: 50").replace("weight: 30", "weight: 50"));
        RoutingVerification bad = RoutingVerifier.run(settings(wrong, "orders-split.internal.example.com",
                view("canary-east"), 120), null, Clock.systemUTC());
        assertThat(bad.verdict()).as(bad.toJson()).isEqualTo(RoutingVerification.FAIL);
        assertThat(bad.pValue()).isLessThan(0.01);
    }

    @Test
    void failoverPassesOnThePrimaryAndFailsWhenTrafficLeavesIt() throws Exception {
        String domain = "orders.internal.example.com";
        RoutingVerification ok = RoutingVerifier.run(settings(estate, domain, view("canary-east"), 40), null,
                Clock.systemUTC());
        assertThat(ok.verdict()).as(ok.toJson()).isEqualTo(RoutingVerification.PASS);
        assertThat(ok.served()).containsExactly(Map.entry("us-east-1", 40L));

        LabControl control = LabControl.of(lab.environment());
        control.add(FaultSpec.of(FaultSpec.Kind.HEALTH_CHECK_FAILING, domain + "/orders-us-east-1",
                Duration.ofMinutes(5)));
        try {
            lab.routing().checkNow();
            RoutingVerification moved = RoutingVerifier.run(settings(estate, domain, view("canary-east"), 20), null,
                    Clock.systemUTC());
            assertThat(moved.verdict()).isEqualTo(RoutingVerification.FAIL);
            assertThat(moved.served()).containsExactly(Map.entry("us-west-2", 20L));
            assertThat(moved.message()).contains("[us-west-2]").contains("primary");
        } finally {
            control.clearAll();
            lab.routing().checkNow();
        }
    }

    @Test
    void answersFromACachingResolverMakeTheWeightedTestInconclusive() throws Exception {
        InetAddress east = lab.plan().endpointAddresses("vpce-0e1a00000000000a1").getFirst();
        try (DatagramSocket stub = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            stub.setSoTimeout(100);
            Thread t = Thread.ofVirtual().start(() -> cachingResolver(stub, east));
            RoutingVerification r = RoutingVerifier.run(settings(estate, "orders-split.internal.example.com",
                    (InetSocketAddress) stub.getLocalSocketAddress(), 20), null, Clock.systemUTC());
            t.interrupt();
            assertThat(r.verdict()).isEqualTo(RoutingVerification.INCONCLUSIVE);
            assertThat(r.cachedAnswers()).isEqualTo(20);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("caching resolver"));
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("only 20 fresh answers"));
        }
    }

    /** A resolver answering every A query from its "cache": the east endpoint, TTL 17 (below the record's 60). */
    static void cachingResolver(DatagramSocket socket, InetAddress answer) {
        byte[] buf = new byte[512];
        while (!Thread.currentThread().isInterrupted() && !socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                Message q = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.addRecord(q.getQuestion(), Section.QUESTION);
                r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 17, answer), Section.ANSWER);
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (SocketTimeoutException idle) {
                // look at the interrupt flag again
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
