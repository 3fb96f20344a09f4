package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void anOutcomeBecomesTheCatalogueSeries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        ProbeMetrics.record(r, "orders", "list", "PRIVATE_DNS", "us-east-1", true, null, 1.5, 2.0, 8.25, 20.0, 25.5,
                "us-east-1");
        // a reused connection: no DNS, connect or TLS phase; a failure with an error class
        ProbeMetrics.record(r, "orders", "list", "PRIVATE_DNS", "us-east-1", false, "HTTP_5XX", null, null, null,
                30.0, 31.0, null);
        ProbeMetrics.recordCertificateDaysToExpiry(r, "orders.internal.example.com", -3);
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        String target = "{AccessPath=PRIVATE_DNS, Api=orders, Check=list, Region=us-east-1}";
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
                .isZero();
        assertThat(got.get("Latency" + target).series().unit()).isEqualTo(MetricUnit.MILLISECONDS);
        assertThat(got.get("Success" + target).series().unit()).isEqualTo(MetricUnit.NONE);
    }

    @Test
    void aNegativeCheckThatGotItsErrorCountsTheErrorAndASuccess() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        ProbeMetrics.record(r, "orders", "foreign-endpoint-denied", "VPCE_API_ID_HEADER", "us-east-1", true,
                "POLICY_DENIED", 1.0, 1.0, 5.0, 3.0, 11.0, null);
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        assertThat(got.get("Errors{Api=orders, ErrorClass=POLICY_DENIED, Region=us-east-1}").count()).isEqualTo(1);
        assertThat(got.get("Success{Api=orders, Region=us-east-1}").histogram().getMinValue())
                .as("the check passed").isEqualTo((long) Precision.SCALE);
    }

    @Test
    void pacedLoadCorrectsOnlyTheLatency() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        ProbeMetrics.recordPaced(r, 100, "orders", "list", "REGIONAL", "us-east-1", true, null, null, null, null,
                450.0, 500.0, null);
        clock.advance(Duration.ofSeconds(60));
        Map<String, IntervalSnapshot> got = byKey(r.drainClosed());
        assertThat(got.get("Latency{Api=orders, Region=us-east-1}").count()).isEqualTo(5);
        assertThat(got.get("TimeToFirstByte{AccessPath=REGIONAL, Api=orders, Check=list, Region=us-east-1}").count())
                .isEqualTo(1);
        assertThat(got.get("Success{Api=orders, Region=us-east-1}").count()).isEqualTo(1);
    }
}
