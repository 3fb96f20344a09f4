package io.vpcanary.metrics;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The one merge of distributions: what CloudWatch holds for a series that several processes (injectors, canaries)
 * published into, computed from what they sent. Each snapshot is encoded as the publishers encode it
 * ({@link DistributionEncoder}: the median of each equivalent-value range, with its count) and every value is added
 * with its count, as CloudWatch adds the Values/Counts of every PutMetricData of a series; percentiles are never
 * averaged. The merged histogram keeps {@link Precision}'s 3 significant digits: each value stands for its samples
 * within half an equivalent-value range ({@link Precision#halfRange}), and counts are exact.
 */
public final class Distributions {

    private Distributions() {
    }

    /** The merged distribution of {@code snapshots} (any series, any intervals: pass those of one series). */
    public static Histogram merge(Iterable<IntervalSnapshot> snapshots) {
        List<Datum> datums = new ArrayList<>();
        for (IntervalSnapshot s : snapshots) {
            datums.addAll(DistributionEncoder.encode(s));
        }
        return DistributionEncoder.decode(datums);
    }

    /**
     * CloudWatch's statistics of a distribution, as it computes them from the values and counts it received.
     *
     * @param sampleCount number of samples
     * @param sum         sum of value × count
     * @param minimum     smallest value
     * @param maximum     largest value
     */
    public record Statistics(long sampleCount, double sum, double minimum, double maximum) {

        /** The statistics of {@code h}, each recorded value taken as {@link Precision#published} stands for it. */
        public static Statistics of(AbstractHistogram h) {
            long count = 0;
            double sum = 0;
            double min = Double.NaN;
            double max = Double.NaN;
            for (HistogramIterationValue v : h.recordedValues()) {
                double value = Precision.published(h, v.getValueIteratedTo());
                count += v.getCountAtValueIteratedTo();
                sum += value * v.getCountAtValueIteratedTo();
                min = Double.isNaN(min) ? value : Math.min(min, value);
                max = Double.isNaN(max) ? value : Math.max(max, value);
            }
            return new Statistics(count, sum, min, max);
        }
    }
}
