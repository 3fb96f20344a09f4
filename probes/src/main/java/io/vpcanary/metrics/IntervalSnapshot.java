package io.vpcanary.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Everything recorded for one series in one closed interval: the distribution, in the integer domain of
 * {@link Precision}. The histogram is a private copy that nobody else writes; treat it as read-only.
 *
 * @param series    the series
 * @param start     start of the interval (inclusive), aligned to a multiple of its length since the epoch; it is the
 *                  timestamp published
 * @param length    interval length: 1 s, 10 s or 60 s
 * @param histogram the samples, each recorded as {@link Precision#toRecorded(double)}
 */
public record IntervalSnapshot(Series series, Instant start, Duration length, Histogram histogram) {

    public IntervalSnapshot {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(histogram, "histogram");
    }

    /** CloudWatch StorageResolution for this interval: 1 (high resolution) below 60 s, otherwise 60. */
    public int storageResolution() {
        return length.compareTo(Duration.ofSeconds(60)) < 0 ? 1 : 60;
    }

    /** Number of samples. */
    public long count() {
        return histogram.getTotalCount();
    }
}
