package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.probe.ErrorClass;
import io.vpcanary.estate.Expectation;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.WebSocketExchange;
import io.vpcanary.probe.Phases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProbeMetricsTest {

    static Map<String, IntervalSnapshot> byKey(List<IntervalSnapshot> snaps) {
        return snaps.stream().collect(Collectors.toMap(s -> s.series().name() + s.series().dimensions(), s -> s));
    }

    static Target target(String check, AccessPath path, String vantage) {
        return new Target("orders", ApiType.REST, "ordrseast1", "prod", "us-east-1", path, check, "GET",
                URI.create("https://orders.internal.example.com/list"), Map.of(), "orders.internal.example.com",
                vantage, null, null, AuthType.NONE, Expectation.SUCCESS);
    }

    static Outcome outcome(Target t, boolean passed, ErrorClass error, Phases phases, String servedRegion,
                           Instant notAfter) {
        return new Outcome(t, passed ? 200 : 500, error, passed, phases, notAfter, null, null, List.of(), servedRegion,
                null, null, null);
    }

    @Test
    void anOutcomeBecomesTheCatalogueSeries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Target t = target("list", AccessPath.PRIVATE_DNS, "canary-east");
        ProbeMetrics.record(r, outcome(t, true, null, new Phases(1.5, 2.0, 8.25, 20.0, 25.5), "us-east-1",
                clock.instant().minus(Duration.ofDays(3))), clock.instant());
        // a reused connection: no DNS, connect or TLS phase; a failure with an error class
        ProbeMetrics.record(r, outcome(t, false, ErrorClass.HTTP_5XX, new Phases(null, null, null, 30.0, 31.0), null,
                null), clock.instant());
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        String target = "{AccessPath=PRIVATE_DNS, Api=orders, Check=list, Region=us-east-1, Vantage=canary-east}";
        String apiRegion = "{Api=orders, Region=us-east-1}";
        assertThat(got.keySet()).containsExactlyInAnyOrder(
                "Latency" + target, "Latency" + apiRegion, "DnsTime" + target, "ConnectTime" + target,
                "TlsTime" + target, "TimeToFirstByte" + target, "Success" + target, "Success" + apiRegion,
                "Errors{Api=orders, ErrorClass=HTTP_5XX, Region=us-east-1}",
                "ServedRegion{Api=orders, Check=list, ServingRegion=us-east-1}",
                "CertificateDaysToExpiry{Host=orders.internal.example.com}");
        assertThat(got.get("Latency" + target).count()).isEqualTo(2);
        assertThat(got.get("DnsTime" + target).count()).as("absent phases are not zeros").isEqualTo(1);
        IntervalSnapshot success = got.get("Success" + apiRegion);
        assertThat(success.histogram().getMean()).as("Average of Success is the success ratio")
                .isEqualTo(Precision.SCALE / 2);
        assertThat(got.get("CertificateDaysToExpiry{Host=orders.internal.example.com}").histogram().getMaxValue())
                .as("an expired certificate records 0").isZero();
        assertThat(got.get("Latency" + target).series().unit()).isEqualTo(MetricUnit.MILLISECONDS);
        assertThat(got.get("Success" + target).series().unit()).isEqualTo(MetricUnit.NONE);
    }

    @Test
    void aWebSocketOutcomeAddsItsRoundTripsPushAndCloseCode() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Target t = new Target("live", ApiType.WEBSOCKET, "livewseast", "prod", "us-east-1", AccessPath.REGIONAL,
                "echo", "GET", URI.create("wss://livewseast.execute-api.us-east-1.amazonaws.com/prod"), Map.of(),
                "livewseast.execute-api.us-east-1.amazonaws.com", "on-premises", null, null, AuthType.IAM,
                Expectation.SUCCESS);
        ProbeMetrics.record(r, new Outcome(t, 101, null, true, new Phases(1.0, 1.0, 5.0, 3.0, 240.0), null, null,
                null, List.of(), null, null, null, null, null,
                new WebSocketExchange("abc=", List.of(6.5, 7.25, 5.0), 12.0, 1000, "")), clock.instant());
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        String target = "{AccessPath=REGIONAL, Api=live, Check=echo, Region=us-east-1, Vantage=on-premises}";
        assertThat(got.get("MessageRoundTrip" + target).count()).as("one sample per message").isEqualTo(3);
        assertThat(got.get("MessageRoundTrip" + target).series().unit()).isEqualTo(MetricUnit.MILLISECONDS);
        assertThat(got.get("PushLatency" + target).count()).isEqualTo(1);
        assertThat(got.get("CloseCodes{Api=live, CloseCode=1000, Region=us-east-1}").count()).isEqualTo(1);
    }

    @Test
    void aNegativeCheckThatGotItsErrorCountsTheErrorAndASuccess() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Target t = target("foreign-endpoint-denied", AccessPath.VPCE_API_ID_HEADER, "partner-east");
        ProbeMetrics.record(r, outcome(t, true, ErrorClass.POLICY_DENIED, new Phases(1.0, 1.0, 5.0, 3.0, 11.0), null,
                null), clock.instant());
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        assertThat(got.get("Errors{Api=orders, ErrorClass=POLICY_DENIED, Region=us-east-1}").count()).isEqualTo(1);
        assertThat(got.get("Success{Api=orders, Region=us-east-1}").histogram().getMinValue())
                .as("the check passed").isEqualTo((long) Precision.SCALE);
    }

    @Test
    void oneLatencySamplePerOutcomeWhateverItsLatency() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Target t = target("load", AccessPath.REGIONAL, "on-premises");
        // slow answers (far beyond any pacing interval of a load run) still count once each: nothing is back-filled
        for (double ms : new double[] {500.0, 1500.0, 3000.0}) {
            ProbeMetrics.record(r, Outcome.ofLoad(t, 200, null, true, ms, null, null), clock.instant());
        }
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        assertThat(got.get("Latency{Api=orders, Region=us-east-1}").count()).isEqualTo(3);
        assertThat(Precision.fromRecorded(got.get("Latency{Api=orders, Region=us-east-1}").histogram().getMinValue()))
                .as("the smallest of the three real samples, within Precision's 3 significant digits")
                .isCloseTo(500.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(got).doesNotContainKey(
                "TimeToFirstByte{AccessPath=REGIONAL, Api=orders, Check=load, Region=us-east-1, Vantage=on-premises}");
    }

    @Test
    void aTargetsSeriesAreMadeOnceAndAServedRegionChangeGetsItsOwnSeries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Target t = target("list", AccessPath.PRIVATE_DNS, "canary-east");
        Target same = target("list", AccessPath.PRIVATE_DNS, "canary-east");
        ProbeMetrics.TargetSeries series = ProbeMetrics.TargetSeries.of(t);
        assertThat(ProbeMetrics.TargetSeries.of(same)).as("interned per target").isSameAs(series);
        assertThat(series.latency).isEqualTo(Series.of(ProbeMetrics.LATENCY, MetricUnit.MILLISECONDS,
                ProbeMetrics.targetDimensions("orders", "list", "PRIVATE_DNS", "us-east-1", "canary-east")));
        assertThat(ProbeMetrics.TargetSeries.of(target("list", AccessPath.PRIVATE_DNS, "canary-west")))
                .isNotSameAs(series);
        for (String region : new String[] {"us-east-1", "us-east-1", "us-west-2"}) {
            ProbeMetrics.record(r, Outcome.ofLoad(same, 200, null, true, 5.0, region, null), clock.instant());
        }
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        assertThat(got.get("ServedRegion{Api=orders, Check=list, ServingRegion=us-east-1}").count()).isEqualTo(2);
        assertThat(got.get("ServedRegion{Api=orders, Check=list, ServingRegion=us-west-2}").count()).isEqualTo(1);
        assertThat(got.get("Success{AccessPath=PRIVATE_DNS, Api=orders, Check=list, Region=us-east-1, "
                + "Vantage=canary-east}").count()).isEqualTo(3);
    }
}
