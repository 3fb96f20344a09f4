package io.vpcanary.probe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a streamed answer's body arrived (an answer without a length, sent in chunks: API Gateway's response streaming
 * for REST, {@code responseTransferMode: STREAM}), in milliseconds from sending the request headers, measured with
 * {@link System#nanoTime()} as the probe read the body. A read that returned data is one arrival; arrivals are what the
 * client saw (TCP may join chunks sent close together, never split the cadence it reports).
 *
 * @param firstByteMs from the request headers to the first byte of the body (time to first chunk)
 * @param lastByteMs  from the request headers to the end of the body (time to last byte); null when the stream was
 *                    cut before its end
 * @param arrivals    reads that returned data
 * @param medianGapMs median time between consecutive arrivals; null with fewer than two
 * @param maxGapMs    longest time between consecutive arrivals; null with fewer than two
 * @param bytes       body bytes received
 */
public record StreamTimings(Double firstByteMs, Double lastByteMs, int arrivals, Double medianGapMs, Double maxGapMs,
                            long bytes) {

    /** Collects arrivals while a body is read. Not thread-safe: one reader. */
    static final class Clock {

        private final long startNanos;
        private final List<Long> arrivals = new ArrayList<>();
        private long endNanos;
        private long bytes;

        /** @param startNanos when the request headers went out ({@link System#nanoTime()}) */
        Clock(long startNanos) {
            this.startNanos = startNanos;
        }

        void arrived(long n) {
            arrivals.add(System.nanoTime());
            bytes += n;
        }

        void ended() {
            endNanos = System.nanoTime();
        }

        /** The timings; null when no body byte arrived. */
        StreamTimings timings() {
            if (arrivals.isEmpty() || startNanos == 0) {
                return null;
            }
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < arrivals.size(); i++) {
                gaps.add(arrivals.get(i) - arrivals.get(i - 1));
            }
            Collections.sort(gaps);
            Double median = gaps.isEmpty() ? null : Phases.millis(gaps.get(gaps.size() / 2));
            Double max = gaps.isEmpty() ? null : Phases.millis(gaps.getLast());
            return new StreamTimings(Phases.millis(startNanos, arrivals.getFirst()),
                    endNanos == 0 ? null : Phases.millis(startNanos, endNanos), arrivals.size(), median, max, bytes);
        }
    }
}
