package io.vpcanary.metrics;

import org.HdrHistogram.AbstractHistogram;

/**
 * What precision vpcanary keeps, in HdrHistogram's terms, and the one conversion between a recorded value and the
 * histogram's integer domain.
 *
 * <p>Every value is multiplied by {@value #SCALE} and rounded to the nearest integer before it is recorded, so the
 * smallest step is 0.001 of the metric's unit (one microsecond for latencies in milliseconds). Histograms keep
 * {@value #SIGNIFICANT_DIGITS} significant decimal digits: two recorded values are told apart whenever they differ by
 * more than 1 part in 1,000 (HdrHistogram's {@code sizeOfEquivalentValueRange(v)} is at most {@code v / 1000}
 * rounded up to a power of two, and exactly 1 below 2,048). Published values are the median of each non-empty
 * equivalent-value range, so every published value is within half a range of every sample it stands for: for a
 * latency of {@code v} ms the error is at most {@code v / 2000} ms plus the 0.0005 ms rounding step. Counts are exact.
 * Values below 2.048 (the 0/1 success samples among them) are kept exactly to the 0.001 step.
 */
public final class Precision {

    /** Recorded values are {@code round(value * SCALE)}. */
    public static final double SCALE = 1000.0;

    /** HdrHistogram's {@code numberOfSignificantValueDigits}. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private Precision() {
    }

    /**
     * The integer HdrHistogram records for {@code value}.
     *
     * @throws IllegalArgumentException for negative, NaN or infinite values, which CloudWatch refuses (a negative
     *                                  value would also switch off percentiles for the whole metric)
     */
    public static long toRecorded(double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("metric values must be finite and not negative, got " + value);
        }
        double scaled = Math.rint(value * SCALE);
        if (scaled >= Long.MAX_VALUE / 4.0) {
            throw new IllegalArgumentException("metric value " + value + " is too large to record");
        }
        return (long) scaled;
    }

    /** The value a recorded integer stands for. */
    public static double fromRecorded(long recorded) {
        return recorded / SCALE;
    }

    /** The value published for the equivalent-value range that holds {@code recorded}: its median, unscaled. */
    public static double published(AbstractHistogram histogram, long recorded) {
        return fromRecorded(histogram.medianEquivalentValue(recorded));
    }

    /** Half the width of the equivalent-value range that holds {@code value}, unscaled: the worst-case error. */
    public static double halfRange(AbstractHistogram histogram, double value) {
        return fromRecorded(histogram.sizeOfEquivalentValueRange(toRecorded(value))) / 2.0 + 0.5 / SCALE;
    }
}
