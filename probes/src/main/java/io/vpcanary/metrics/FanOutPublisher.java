package io.vpcanary.metrics;

import java.util.List;
import java.util.Objects;

/**
 * Hands the same snapshots to several publishers (CloudWatch and a local file, say), so that one
 * {@link MetricsPipeline} drains a {@link Recorder} once for all destinations. Snapshots are read-only
 * ({@link IntervalSnapshot}), so sharing them is safe.
 *
 * <p>Each destination keeps its own accounting: read it from the publishers themselves. {@link #report()} sums the
 * destinations' reports field by field, so a sample delivered to two destinations counts twice there; its
 * {@link PublishReport#droppedSamples()} is non-zero exactly when some destination dropped data. A destination that
 * throws does not keep the others from receiving the snapshots or from being closed; the first exception is rethrown
 * after every destination was served.
 */
public final class FanOutPublisher implements Publisher {

    private final List<Publisher> destinations;

    /** @param destinations at least one publisher; closed by {@link #close()} in order */
    public FanOutPublisher(List<? extends Publisher> destinations) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("at least one publisher is needed");
        }
        destinations.forEach(d -> Objects.requireNonNull(d, "publisher"));
        this.destinations = List.copyOf(destinations);
    }

    @Override
    public void publish(List<IntervalSnapshot> snapshots) {
        each(p -> p.publish(snapshots));
    }

    @Override
    public void flush() {
        each(Publisher::flush);
    }

    @Override
    public PublishReport report() {
        long[] t = new long[12];
        for (Publisher p : destinations) {
            PublishReport r = p.report();
            long[] v = {r.requests(), r.datumsSent(), r.samplesSent(), r.retriesThrottled(), r.retriesServerError(),
                    r.retriesNetwork(), r.ambiguousRequests(), r.possibleDuplicateSamples(), r.pendingSamples(),
                    r.droppedTooOldSamples(), r.droppedRejectedSamples(), r.droppedAtShutdownSamples()};
            for (int i = 0; i < t.length; i++) {
                t[i] += v[i];
            }
        }
        return new PublishReport(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]);
    }

    @Override
    public void close() {
        each(Publisher::close);
    }

    private void each(java.util.function.Consumer<Publisher> action) {
        RuntimeException first = null;
        for (Publisher p : destinations) {
            try {
                action.accept(p);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
