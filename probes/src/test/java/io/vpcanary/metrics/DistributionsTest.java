package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vpcanary.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Merging what three recorders sent gives one histogram of all their samples, within the stated precision. */
class DistributionsTest {

    @Test
    void theMergeOfWhatWasSentIsOneHistogramOfAllSamples() {
        Series s = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "orders", "Run", "r1"));
        Random random = new Random(13);
        Histogram all = new Histogram(Precision.SIGNIFICANT_DIGITS);
        List<Double> raw = new ArrayList<>();
        List<IntervalSnapshot> sent = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-28T23:00:00Z"));
            Recorder r = new Recorder(Duration.ofSeconds(60), clock);
            for (int i = 0; i < 2000; i++) {
                double v = (k + 1) * 5 + Math.exp(random.nextGaussian() * (k + 1));  // three different shapes
                r.record(s, v);
                all.recordValue(Precision.toRecorded(v));
                raw.add(v);
            }
            clock.advance(Duration.ofSeconds(90));
            sent.addAll(r.drainClosed());
        }
        Histogram merged = Distributions.merge(sent);
        assertThat(merged.getTotalCount()).isEqualTo(6000);
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            assertThat(all.valuesAreEquivalent(all.getValueAtPercentile(p), merged.getValueAtPercentile(p)))
                    .as("p%s", p).isTrue();
        }
        Distributions.Statistics stats = Distributions.Statistics.of(merged);
        double sum = raw.stream().mapToDouble(Double::doubleValue).sum();
        double tolerance = raw.stream().mapToDouble(v -> Precision.halfRange(all, v)).sum();
        assertThat(stats.sampleCount()).isEqualTo(6000);
        assertThat(stats.sum()).isCloseTo(sum, within(tolerance));
        double min = raw.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = raw.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(stats.minimum()).isCloseTo(min, within(Precision.halfRange(all, min)));
        assertThat(stats.maximum()).isCloseTo(max, within(Precision.halfRange(all, max)));
    }
}
