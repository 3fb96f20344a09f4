package io.vpcanary.lab.integration;

import io.vpcanary.estate.Latency;
import java.util.random.RandomGenerator;

/**
 * A log-normal latency distribution given by its median and 99th percentile: {@code mu = ln(median)},
 * {@code sigma = ln(p99 / median) / 2.326} (2.326 is the standard normal's 99th percentile), so that a sample is at
 * most p99 with probability 0.99. A zero median means no added latency; a p99 equal to the median means a constant
 * latency. Immutable and thread-safe; randomness comes from the caller.
 */
public final class LatencyModel {

    /** The standard normal distribution's 99th percentile. */
    static final double Z99 = 2.326;

    private final double medianMs;
    private final double p99Ms;
    private final double mu;
    private final double sigma;

    private LatencyModel(double medianMs, double p99Ms) {
        this.medianMs = medianMs;
        this.p99Ms = p99Ms;
        this.mu = medianMs > 0 ? Math.log(medianMs) : 0;
        this.sigma = medianMs > 0 ? Math.log(p99Ms / medianMs) / Z99 : 0;
    }

    /**
     * The model of {@code latency}.
     *
     * @throws IllegalArgumentException for a negative or non-finite median, or a p99 below the median
     */
    public static LatencyModel of(Latency latency) {
        double median = latency.medianMs();
        double p99 = latency.p99Ms();
        if (!Double.isFinite(median) || !Double.isFinite(p99) || median < 0) {
            throw new IllegalArgumentException("latency median must be a finite number >= 0 ms, was " + median);
        }
        if (median > 0 && p99 < median) {
            throw new IllegalArgumentException("latency p99 (" + p99 + " ms) must be >= the median (" + median + " ms)");
        }
        return new LatencyModel(median, median == 0 ? 0 : p99);
    }

    /** Whether this model adds no latency at all. */
    public boolean none() {
        return medianMs == 0;
    }

    /** One latency sample in nanoseconds (0 when {@link #none()}). */
    public long sampleNanos(RandomGenerator random) {
        if (medianMs == 0) {
            return 0;
        }
        double ms = sigma == 0 ? medianMs : Math.exp(mu + sigma * random.nextGaussian());
        return Math.round(ms * 1_000_000.0);
    }

    public double medianMs() {
        return medianMs;
    }

    public double p99Ms() {
        return p99Ms;
    }

    @Override
    public String toString() {
        return "LatencyModel[median=" + medianMs + "ms, p99=" + p99Ms + "ms]";
    }
}
