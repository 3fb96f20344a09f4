package io.vpcanary.lab.route53;

import io.vpcanary.metrics.AlarmRule;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.LabView;
import io.vpcanary.labenv.HealthCheckStatus;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.metrics.MotoServer;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.testing.MutableClock;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The lab's Route 53 over moto_server: CLOUDWATCH_METRIC health checks follow the health alarm the lab evaluates over
 * the {@code Success} metric read from moto's CloudWatch, and the records and health checks are loaded from moto's
 * Route 53, so that UpdateHealthCheck (Inverted) through the SDK changes the answer. The lab runs at time scale 60
 * (one-second alarm periods) on a hand-moved clock; the test drives the checks with {@link LabRouting#checkNow()}.
 */
class LabRoutingMotoTest {

    static final String FAILOVER = "orders.internal.example.com";

    @TempDir
    static Path state;
    static MotoServer moto;
    static Lab lab;
    static Map<String, String> healthCheckIds;
    static Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static MutableClock clock = new MutableClock(t0);

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        String text = EstateLoader.demoText().replace("    timeScale: 60 ",
                "    cloudWatchEndpoint: " + moto.uri() + "\n    route53Endpoint: " + moto.uri() + "\n    timeScale: 60 ");
        Path file = state.resolve("moto-estate.yaml");
        Files.writeString(file, text);
        Estate estate = EstateLoader.load(file);
        try (Route53Records r53 = Route53Records.at(moto.uri())) {
            healthCheckIds = r53.put(estate, "vpcanary");
        }
        lab = Lab.start(estate, file, new Lab.Options(state.resolve("lab"), 0, 0, null, clock));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    static void success(String region, double value, Instant... at) {
        // each region's canaries publish in their region, where its health alarm lives
        try (var cw = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder().region(Region.of(region))
                .endpointOverride(moto.uri()).credentialsProvider(MotoServer.FAKE)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            for (Instant t : at) {
                cw.putMetricData(b -> b.namespace("vpcanary").metricData(MetricDatum.builder()
                        .metricName(ProbeMetrics.SUCCESS).timestamp(t).value(value)
                        .dimensions(Dimension.builder().name(ProbeMetrics.D_API).value("orders").build(),
                                Dimension.builder().name(ProbeMetrics.D_REGION).value(region).build()).build()));
            }
        }
    }

    /** Success published in each of the three one-second periods before {@code end}. */
    static void successFor3Periods(String region, double value, Instant end) {
        success(region, value, end.minusMillis(500), end.minusMillis(1500), end.minusMillis(2500));
    }

    static String answerRegion() {
        LabView view = lab.plan().view("canary-east");
        List<InetAddress> a = lab.routing().answer(view, FAILOVER).orElseThrow();
        return lab.plan().regionOf(a.getFirst()).orElseThrow();
    }

    static HealthCheckStatus status(String region) {
        return LabControl.of(lab.environment()).healthChecks().stream()
                .filter(s -> s.domain().equals(FAILOVER) && s.region().equals(region)).findFirst().orElseThrow();
    }

    static Route53Client route53() {
        return Route53Client.builder().endpointOverride(moto.uri()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MotoServer.FAKE).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void theHealthAlarmOverSuccessDrivesFailoverAndAnInversionThroughRoute53FlipsTheAnswer() {
        // no data yet: the health alarms breach (missing data breaching), both unhealthy, the primary answers
        lab.routing().checkNow();
        assertThat(status("us-east-1").alarmState()).isEqualTo("ALARM");
        assertThat(answerRegion()).isEqualTo("us-east-1");

        successFor3Periods("us-east-1", 1, t0);
        successFor3Periods("us-west-2", 1, t0);
        lab.routing().checkNow();
        assertThat(status("us-east-1").alarmState()).isEqualTo("OK");
        assertThat(status("us-east-1").route53HealthCheckId()).isEqualTo(healthCheckIds.get(FAILOVER + "/orders-us-east-1"));
        assertThat(answerRegion()).isEqualTo("us-east-1");

        // the primary's canaries fail for three periods: its alarm fires, the secondary answers
        Instant t1 = t0.plusSeconds(3);
        successFor3Periods("us-east-1", 0, t1);
        successFor3Periods("us-west-2", 1, t1);
        clock.set(t1);
        lab.routing().checkNow();
        assertThat(status("us-east-1").alarmState()).isEqualTo("ALARM");
        assertThat(status("us-east-1").healthy()).isFalse();
        assertThat(answerRegion()).isEqualTo("us-west-2");

        // recovered: back to the primary
        Instant t2 = t1.plusSeconds(3);
        successFor3Periods("us-east-1", 1, t2);
        successFor3Periods("us-west-2", 1, t2);
        clock.set(t2);
        lab.routing().checkNow();
        assertThat(answerRegion()).isEqualTo("us-east-1");

        // a game day's lever: invert the primary's health check in Route 53
        String primary = healthCheckIds.get(FAILOVER + "/orders-us-east-1");
        try (Route53Client r53 = route53()) {
            r53.updateHealthCheck(b -> b.healthCheckId(primary).inverted(true));
            lab.routing().reload();
            lab.routing().checkNow();
            assertThat(status("us-east-1").inverted()).isTrue();
            assertThat(answerRegion()).as(LabControl.of(lab.environment()).healthChecks().toString())
                    .isEqualTo("us-west-2");
            r53.updateHealthCheck(b -> b.healthCheckId(primary).inverted(false));
            lab.routing().reload();
            assertThat(answerRegion()).isEqualTo("us-east-1");
        }
    }

    @Test
    void everyStatisticRoute53AcceptsIsReadFromCloudWatch() {
        Instant t = t0.minusSeconds(60);
        success("us-west-2", 0.5, t.plusMillis(100), t.plusMillis(200));
        success("us-west-2", 1.0, t.plusMillis(300));
        try (AlarmMetrics m = AlarmMetrics.at(moto.uri(), "us-west-2")) {
            Map<String, Double> expected = Map.of("Average", 2.0 / 3, "Minimum", 0.5, "Maximum", 1.0, "Sum", 2.0,
                    "SampleCount", 3.0);
            for (var e : expected.entrySet()) {
                AlarmRule rule = new AlarmRule("x", "vpcanary", ProbeMetrics.SUCCESS,
                        Map.of(ProbeMetrics.D_API, "orders", ProbeMetrics.D_REGION, "us-west-2"), e.getKey(), 0.9,
                        "LessThanThreshold", 1, 1, "missing");
                assertThat(m.statistic(rule, t, t.plusSeconds(1))).as(e.getKey()).isCloseTo(e.getValue(),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
            AlarmRule rule = new AlarmRule("x", "vpcanary", ProbeMetrics.SUCCESS,
                    Map.of(ProbeMetrics.D_API, "orders", ProbeMetrics.D_REGION, "us-west-2"), "Sum", 0.9,
                    "LessThanThreshold", 1, 1, "missing");
            assertThat(m.statistic(rule, t.plusSeconds(1), t.plusSeconds(2))).isNull();
        }
    }
}
