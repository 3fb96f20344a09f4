package io.vpcanary.metrics;

import java.util.List;

/**
 * Ships closed intervals somewhere: CloudWatch ({@link CloudWatchPublisher}), stdout as EMF ({@link EmfPublisher}) or
 * a local JSON-lines file ({@link LocalJsonPublisher}).
 *
 * <p>Contract: {@link #publish} hands over snapshots; the publisher owns them from then on and either delivers every
 * sample or counts it in {@link #report()} as dropped, with the reason. {@link #close()} delivers what it still holds
 * (within the publisher's shutdown deadline) and then reports anything it could not deliver. Implementations are
 * safe to call from several threads.
 */
public interface Publisher extends AutoCloseable {

    /** Hands over closed intervals. */
    void publish(List<IntervalSnapshot> snapshots);

    /** Delivers what is buffered, as far as the publisher's deadline allows. */
    void flush();

    /** What happened so far. */
    PublishReport report();

    /** Flushes, then releases resources. Never throws for delivery failures: they are in {@link #report()}. */
    @Override
    void close();
}
