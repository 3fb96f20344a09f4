package io.vpcanary.simulations;

import io.vpcanary.estate.Latency;

/**
 * What a load run accepts as response time on one request name, derived from the latency the lab adds in the
 * simulated integration ({@code lab.integration.latency} of the estate, or the API's own {@code integration.latency}).
 *
 * <p>Every response waits for the integration, so each response time is at least the latency added to it, and so
 * every percentile of response times is at least the same percentile of added latency. The floor asserts that the
 * lab really adds it: the 50th percentile must reach {@value #FLOOR_FRACTION} of the configured median, which leaves
 * room for the sampling error of a few hundred samples (about 3% for the demo's spread) and for Gatling's whole
 * milliseconds. The ceiling bounds the 95th percentile by the configured 99th percentile plus an overhead budget for
 * what is not the integration: the client, a TLS handshake whenever a connection pool grows, the front door's
 * policy evaluation, and GC pauses and other processes on a busy laptop.
 *
 * @param p50FloorMs   lowest acceptable 50th percentile, whole milliseconds
 * @param p95CeilingMs highest acceptable 95th percentile, whole milliseconds
 */
public record LatencyBudget(int p50FloorMs, int p95CeilingMs) {

    /** Share of the configured median the measured median must reach. */
    public static final double FLOOR_FRACTION = 0.8;

    public LatencyBudget {
        if (p50FloorMs < 0 || p95CeilingMs < p50FloorMs) {
            throw new IllegalArgumentException("need 0 <= p50 floor <= p95 ceiling; got " + p50FloorMs + " and " + p95CeilingMs);
        }
    }

    /** The budget for an integration with {@code latency} and {@code overheadMs} of allowed overhead. */
    public static LatencyBudget of(Latency latency, long overheadMs) {
        if (overheadMs < 0) {
            throw new IllegalArgumentException("overheadMs must be >= 0; got " + overheadMs);
        }
        int floor = (int) Math.floor(FLOOR_FRACTION * latency.medianMs());
        long ceiling = (long) Math.ceil(latency.p99Ms()) + overheadMs;
        return new LatencyBudget(floor, (int) Math.min(Integer.MAX_VALUE, ceiling));
    }
}
