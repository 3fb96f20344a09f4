package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;

class DistributionEncoderTest {

    static IntervalSnapshot snapshot(Histogram h) {
        return new IntervalSnapshot(Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a")),
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(60), h);
    }

    @Test
    void encodesEveryEquivalentRangeWithItsExactCountInDatumsOfAtMost150() {
        Histogram h = new Histogram(Precision.SIGNIFICANT_DIGITS);
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            h.recordValue(Precision.toRecorded(random.nextDouble() * random.nextDouble() * 30_000));
        }
        List<Datum> datums = DistributionEncoder.encode(snapshot(h));
        assertThat(datums.size()).isGreaterThan(10);
        long distinct = 0;
        for (Datum d : datums) {
            assertThat(d.values().length).isBetween(1, 150);
            distinct += d.values().length;
        }
        long ranges = 0;
        for (HistogramIterationValue ignored : h.recordedValues()) {
            ranges++;
        }
        assertThat(distinct).isEqualTo(ranges);
        assertThat(datums.stream().mapToLong(Datum::sampleCount).sum()).isEqualTo(20_000);

        Histogram back = DistributionEncoder.decode(datums);
        for (HistogramIterationValue v : h.recordedValues()) {
            assertThat(back.getCountAtValue(v.getValueIteratedTo())).isEqualTo(v.getCountAtValueIteratedTo());
        }
        for (double p : new double[] {0, 50, 90, 99, 99.9, 99.99, 100}) {
            assertThat(h.valuesAreEquivalent(h.getValueAtPercentile(p), back.getValueAtPercentile(p))).isTrue();
        }
    }

    @Test
    void publishedValueIsWithinHalfARangeOfTheSample() {
        Histogram h = new Histogram(Precision.SIGNIFICANT_DIGITS);
        double sample = 1234.567;
        h.recordValue(Precision.toRecorded(sample));
        double published = DistributionEncoder.encode(snapshot(h)).get(0).values()[0];
        assertThat(Math.abs(published - sample)).isLessThanOrEqualTo(Precision.halfRange(h, sample));
        assertThat(Precision.halfRange(h, sample)).isLessThanOrEqualTo(sample / 1000);
    }

    @Test
    void smallValuesAndSuccessSamplesAreExact() {
        Histogram h = new Histogram(Precision.SIGNIFICANT_DIGITS);
        h.recordValueWithCount(Precision.toRecorded(0), 3);
        h.recordValueWithCount(Precision.toRecorded(1), 7);
        h.recordValue(Precision.toRecorded(2.047));
        Datum d = DistributionEncoder.encode(snapshot(h)).get(0);
        assertThat(d.values()).containsExactly(0, 1, 2.047);
        assertThat(d.counts()).containsExactly(3, 7, 1);
    }
}
