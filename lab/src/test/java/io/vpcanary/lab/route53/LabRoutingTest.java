package io.vpcanary.lab.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.FaultSpec.Kind;
import io.vpcanary.labenv.HealthCheckStatus;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.testing.MutableClock;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The lab's Route 53 end to end, over one lab of the demo estate whose failover domain has HTTPS health checks
 * (failure threshold 2): real DNS packets to the resolver views, HTTPS to the front doors, faults through the
 * control channel. Health checks are driven by {@link LabRouting#checkNow()} (the lab runs at time scale 1, so its own
 * 30 s schedule never fires during the test).
 */
class LabRoutingTest {

    static final String FAILOVER = "orders.internal.example.com";
    static final String WEIGHTED = "orders-split.internal.example.com";

    @TempDir
    static Path state;
    static Lab lab;
    static LabControl control;
    static MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        String text = EstateLoader.demoText()
                .replace("    timeScale: 60 ", "    timeScale: 1 ")
                .replace("        role: PRIMARY\n", "        role: PRIMARY\n        healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2}\n")
                .replace("        role: SECONDARY\n", "        role: SECONDARY\n        healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2}\n");
        Path file = state.resolve("routing-estate.yaml");
        Files.writeString(file, text);
        Estate estate = EstateLoader.load(file);
        lab = Lab.start(estate, file, new Lab.Options(state.resolve("lab"), 0, 0, null, clock));
        control = LabControl.of(lab.environment());
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void clearFaults() {
        control.clearAll();
        lab.faults().expire();
        for (int i = 0; i < 2; i++) {
            lab.routing().checkNow();
        }
    }

    static Message query(String view, String name) throws Exception {
        String[] hostPort = lab.environment().resolvers().get(view).split(":");
        SimpleResolver r = new SimpleResolver(InetAddress.getByName(hostPort[0]));
        r.setPort(Integer.parseInt(hostPort[1]));
        r.setTimeout(Duration.ofSeconds(5));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
    }

    static List<String> addresses(String view, String name) throws Exception {
        return query(view, name).getSection(Section.ANSWER).stream()
                .map(rec -> ((ARecord) rec).getAddress().getHostAddress()).toList();
    }

    static String servedRegion(String view) throws Exception {
        InetAddress a = InetAddress.getByName(addresses(view, FAILOVER).getFirst());
        OkHttpClient client = LabClients.client(lab.ca(), LabClients.pinned(a)).build();
        try (Response r = client.newCall(new Request.Builder()
                .url("https://" + FAILOVER + ":" + lab.environment().httpsPort() + "/orders").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            String body = r.body().string();
            return body.replaceAll(".*\"region\":\"([a-z0-9-]+)\".*", "$1");
        }
    }

    static HealthCheckStatus status(String domain, String region) {
        return control.healthChecks().stream().filter(s -> s.domain().equals(domain) && s.region().equals(region))
                .findFirst().orElseThrow();
    }

    @Test
    void failoverAnswersThePrimaryAndFailsOverAfterTheThresholdWhenItsRegionIsDownThenFailsBack() throws Exception {
        Message m = query("canary-east", FAILOVER);
        assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(60));
        assertThat(addresses("canary-east", FAILOVER)).allMatch(a -> a.startsWith("127.0.1."));
        assertThat(servedRegion("canary-east")).isEqualTo("us-east-1");

        Fault outage = control.add(FaultSpec.of(Kind.REGION_OUTAGE, "us-east-1", Duration.ofMinutes(5)));
        assertThat(control.list()).extracting(Fault::id).containsExactly(outage.id());
        String east = addresses("canary-east", FAILOVER).getFirst();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(east, lab.environment().httpsPort()), 2000);
            }
        }).isInstanceOf(ConnectException.class);

        lab.routing().checkNow();
        assertThat(status(FAILOVER, "us-east-1").healthy()).as("one failure is below the threshold of 2").isTrue();
        assertThat(addresses("canary-east", FAILOVER)).allMatch(a -> a.startsWith("127.0.1."));
        lab.routing().checkNow();
        assertThat(status(FAILOVER, "us-east-1").healthy()).isFalse();
        assertThat(addresses("canary-east", FAILOVER)).allMatch(a -> a.startsWith("127.0.2."));
        assertThat(addresses("canary-west", FAILOVER)).allMatch(a -> a.startsWith("127.0.2."));
        assertThat(servedRegion("canary-east")).isEqualTo("us-west-2");

        assertThat(control.clear(outage.id())).isTrue();
        assertThat(control.clear(outage.id())).isFalse();
        lab.routing().checkNow();
        lab.routing().checkNow();
        assertThat(status(FAILOVER, "us-east-1").healthy()).isTrue();
        assertThat(servedRegion("canary-east")).isEqualTo("us-east-1");
    }

    @Test
    void aFailingHealthCheckFaultFailsOverAndBothUnhealthyAnswerThePrimary() throws Exception {
        control.add(FaultSpec.of(Kind.HEALTH_CHECK_FAILING, FAILOVER + "/orders-us-east-1", Duration.ofMinutes(5)));
        lab.routing().checkNow();
        lab.routing().checkNow();
        assertThat(addresses("canary-east", FAILOVER)).allMatch(a -> a.startsWith("127.0.2."));
        control.add(FaultSpec.of(Kind.HEALTH_CHECK_FAILING, FAILOVER + "/orders-us-west-2", Duration.ofMinutes(5)));
        lab.routing().checkNow();
        lab.routing().checkNow();
        assertThat(status(FAILOVER, "us-west-2").healthy()).isFalse();
        assertThat(addresses("canary-east", FAILOVER)).as("both unhealthy: the primary")
                .allMatch(a -> a.startsWith("127.0.1."));
    }

    @Test
    void weightedAnswersSplitByWeightAndAnswersOnlyInsideTheEstatesVpcs() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(addresses("canary-west", WEIGHTED).getFirst().startsWith("127.0.1.") ? "east" : "west", 1,
                    Integer::sum);
        }
        assertThat(counts.get("east")).isBetween(170, 250);
        assertThat(query("on-premises", WEIGHTED).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void faultsAnswerServfailErrorsAndExpireByThemselves() throws Exception {
        control.add(FaultSpec.of(Kind.DNS_SERVFAIL, FAILOVER, Duration.ofSeconds(30)));
        assertThat(query("canary-east", FAILOVER).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(query("canary-east", WEIGHTED).getRcode()).isEqualTo(Rcode.NOERROR);
        control.add(new FaultSpec(Kind.ERROR_RATE, "orders/us-east-1", 1.0, null, Duration.ofSeconds(10)));
        InetAddress a = InetAddress.getByName(addresses("canary-east", "orders.east.internal.example.com").getFirst());
        OkHttpClient client = LabClients.client(lab.ca(), LabClients.pinned(a)).build();
        try (Response r = client.newCall(new Request.Builder().url("https://orders.east.internal.example.com:"
                + lab.environment().httpsPort() + "/orders").build()).execute()) {
            assertThat(r.code()).isIn(502, 503, 504);
        }
        clock.advance(Duration.ofSeconds(11));
        lab.faults().expire();
        assertThat(control.list()).extracting(f -> f.spec().kind()).containsExactly(Kind.DNS_SERVFAIL);
        clock.advance(Duration.ofSeconds(20));
        lab.faults().expire();
        assertThat(control.list()).isEmpty();
        assertThat(query("canary-east", FAILOVER).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void blackholeEndpointDownAndLatencyBreakOnlyWhatTheyName() throws Exception {
        int port = lab.environment().httpsPort();
        String east = addresses("canary-east", "orders.east.internal.example.com").getFirst();
        String west = addresses("canary-west", "orders.west.internal.example.com").getFirst();
        control.add(FaultSpec.of(Kind.ENDPOINT_DOWN, "vpce-0e1a00000000000a1", Duration.ofMinutes(1)));
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(east, port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(west, port), 2000);
        }
        control.clearAll();

        control.add(FaultSpec.of(Kind.BLACKHOLE, "us-west-2", Duration.ofMinutes(1)));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(west, port), 2000);
            s.setSoTimeout(300);
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0});
            assertThatThrownBy(() -> s.getInputStream().read()).as("accepted, never answered")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
        control.clearAll();

        control.add(new FaultSpec(Kind.LATENCY, "us-east-1", null, 400L, Duration.ofMinutes(1)));
        OkHttpClient client = LabClients.client(lab.ca(), LabClients.pinned(InetAddress.getByName(east))).build();
        long start = System.nanoTime();
        try (Response r = client.newCall(new Request.Builder().url("https://orders.east.internal.example.com:"
                + port + "/orders").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void theControlChannelRefusesBadTargetsAndOtherTokensAndItsTokenStaysInAnOwnerOnlyFile() throws Exception {
        assertThatThrownBy(() -> control.add(FaultSpec.of(Kind.REGION_OUTAGE, "eu-west-9", Duration.ofSeconds(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("us-east-1, us-west-2");
        LabEnvironment env = lab.environment();
        LabControl other = LabControl.of(env.withControl(new LabEnvironment.Control(env.control().url(), "wrong")));
        assertThatThrownBy(other::list).isInstanceOf(IllegalStateException.class).hasMessageContaining("401");
        assertThat(env.control().toString()).doesNotContain(env.control().token());
        Path file = state.resolve("env.json");
        lab.writeEnvironment(file);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(LabControl.of(LabEnvironment.read(file)).list()).isEmpty();
    }
}
