package io.vpcanary.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Adds fixed dimensions to every series before handing the snapshots on, such as {@code Run=ID} of a load run: every
 * injector of the run publishes the same dimension set, so CloudWatch merges their distributions into one series per
 * target. A series that already has one of these dimension names keeps its own value. Accounting and closing are the
 * delegate's.
 */
public final class AddedDimensionsPublisher implements Publisher {

    private final Publisher delegate;
    private final Map<String, String> dimensions;

    /**
     * @param delegate   where the snapshots go
     * @param dimensions names and values added to each series (checked as {@link Series} checks them)
     */
    public AddedDimensionsPublisher(Publisher delegate, Map<String, String> dimensions) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.dimensions = Map.copyOf(dimensions);
    }

    @Override
    public void publish(List<IntervalSnapshot> snapshots) {
        delegate.publish(snapshots.stream().map(this::withDimensions).toList());
    }

    private IntervalSnapshot withDimensions(IntervalSnapshot s) {
        Map<String, String> dims = new TreeMap<>(dimensions);
        dims.putAll(s.series().dimensions());
        return new IntervalSnapshot(Series.of(s.series().name(), s.series().unit(), dims), s.start(), s.length(),
                s.histogram());
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public PublishReport report() {
        return delegate.report();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
