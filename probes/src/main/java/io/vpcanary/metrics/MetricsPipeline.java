package io.vpcanary.metrics;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves closed intervals from a {@link Recorder} to a {@link Publisher}: on every {@link #tick()} (scheduled once per
 * interval by {@link #start()}), and once more on {@link #close()}, which also publishes the interval still open and
 * closes the publisher, so that a process that stops loses nothing it recorded. A tick that fails is logged and the
 * data stays with the publisher (which counts what it finally drops).
 */
public final class MetricsPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPipeline.class);

    private final Recorder recorder;
    private final Publisher publisher;
    private ScheduledExecutorService scheduler;
    private boolean closed;

    public MetricsPipeline(Recorder recorder, Publisher publisher) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** Ticks in a daemon thread shortly after each interval boundary. */
    public synchronized MetricsPipeline start() {
        if (scheduler != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        long len = recorder.intervalLength().toMillis();
        long now = recorder.clock().millis();
        long firstDelay = len - Math.floorMod(now, len) + Math.min(len / 20, 2_000);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpcanary-metrics");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::tickQuietly, firstDelay, len, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Publishes every closed interval now. */
    public void tick() {
        publisher.publish(recorder.drainClosed());
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("publishing metrics failed: {}", e.toString());
        }
    }

    /** Stops ticking, publishes everything recorded (open intervals too) and closes the publisher. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (scheduler != null) {
                scheduler.shutdown();
                try {
                    if (!scheduler.awaitTermination(60, TimeUnit.SECONDS)) {
                        LOG.warn("metrics tick still running at shutdown");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            publisher.publish(recorder.drainAll());
        } finally {
            publisher.close();
        }
    }

    public PublishReport report() {
        return publisher.report();
    }
}
