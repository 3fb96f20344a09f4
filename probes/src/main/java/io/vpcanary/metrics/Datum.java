package io.vpcanary.metrics;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One CloudWatch MetricDatum carrying part or all of one interval's distribution as {@code Values}/{@code Counts}:
 * sample value {@code values[i]} occurred {@code counts[i]} times. Values are distinct, ascending, finite and not
 * negative; counts are positive whole numbers.
 *
 * @param series            the series
 * @param timestamp         the interval start
 * @param storageResolution 1 or 60
 * @param values            distinct sample values
 * @param counts            how often each occurred
 */
public record Datum(Series series, Instant timestamp, int storageResolution, double[] values, double[] counts) {

    public Datum {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(timestamp, "timestamp");
        if (storageResolution != 1 && storageResolution != 60) {
            throw new IllegalArgumentException("StorageResolution must be 1 or 60, got " + storageResolution);
        }
        if (values.length != counts.length || values.length == 0) {
            throw new IllegalArgumentException("values and counts must be non-empty and of equal length");
        }
        values = values.clone();
        counts = counts.clone();
    }

    /** Total samples this datum carries. */
    public long sampleCount() {
        long n = 0;
        for (double c : counts) {
            n += (long) c;
        }
        return n;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datum d && series.equals(d.series) && timestamp.equals(d.timestamp)
                && storageResolution == d.storageResolution && Arrays.equals(values, d.values)
                && Arrays.equals(counts, d.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(series, timestamp, storageResolution, Arrays.hashCode(values), Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
        return series + "@" + timestamp + " n=" + sampleCount() + " distinct=" + values.length;
    }
}
