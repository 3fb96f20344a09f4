package io.vpcanary.metrics;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Encodes an interval's histogram as CloudWatch {@code Values}/{@code Counts} and back.
 *
 * <p>Each non-empty HdrHistogram equivalent-value range becomes one value (its median, see {@link Precision}) with
 * its exact count. Ranges are taken in ascending order and cut into datums of at most {@code maxValuesPerDatum}
 * values; CloudWatch aggregates datums of the same series and timestamp, so the union of the datums is the
 * distribution. Nothing is rounded beyond the histogram's own precision: {@link #decode} of the result yields a
 * histogram with the same count in every equivalent-value range as the one encoded.
 */
public final class DistributionEncoder {

    /** CloudWatch's limit on distinct values in one datum. */
    public static final int CLOUDWATCH_MAX_VALUES = 150;

    private DistributionEncoder() {
    }

    /** Datums of at most {@value #CLOUDWATCH_MAX_VALUES} values. */
    public static List<Datum> encode(IntervalSnapshot snapshot) {
        return encode(snapshot, CLOUDWATCH_MAX_VALUES);
    }

    /** Datums of at most {@code maxValuesPerDatum} values, ascending. */
    public static List<Datum> encode(IntervalSnapshot snapshot, int maxValuesPerDatum) {
        if (maxValuesPerDatum < 1) {
            throw new IllegalArgumentException("maxValuesPerDatum must be positive");
        }
        Histogram h = snapshot.histogram();
        List<Datum> out = new ArrayList<>();
        List<double[]> pairs = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            pairs.add(new double[] {Precision.published(h, v.getValueIteratedTo()), v.getCountAddedInThisIterationStep()});
            if (pairs.size() == maxValuesPerDatum) {
                out.add(datum(snapshot, pairs));
                pairs.clear();
            }
        }
        if (!pairs.isEmpty()) {
            out.add(datum(snapshot, pairs));
        }
        return out;
    }

    private static Datum datum(IntervalSnapshot s, List<double[]> pairs) {
        double[] values = new double[pairs.size()];
        double[] counts = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            values[i] = pairs.get(i)[0];
            counts[i] = pairs.get(i)[1];
        }
        return new Datum(s.series(), s.start(), s.storageResolution(), values, counts);
    }

    /**
     * Rebuilds a histogram from values and counts, as CloudWatch sees them: each value recorded {@code count} times.
     * Used to prove what was sent and by readers of local files.
     */
    public static Histogram decode(Iterable<Datum> datums) {
        Histogram h = new Histogram(Precision.SIGNIFICANT_DIGITS);
        for (Datum d : datums) {
            double[] values = d.values();
            double[] counts = d.counts();
            for (int i = 0; i < values.length; i++) {
                h.recordValueWithCount(Precision.toRecorded(values[i]), (long) counts[i]);
            }
        }
        return h;
    }
}
