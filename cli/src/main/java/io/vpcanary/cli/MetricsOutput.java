package io.vpcanary.cli;

import io.vpcanary.metrics.CloudWatchPublisher;
import io.vpcanary.metrics.EmfPublisher;
import io.vpcanary.metrics.FanOutPublisher;
import io.vpcanary.metrics.LocalJsonPublisher;
import io.vpcanary.metrics.MetricsPipeline;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.PublishReport;
import io.vpcanary.metrics.Publisher;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.ProbeRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metrics side of {@code vpcanary probe --publish}: one {@link Recorder} fed with every outcome through
 * {@link ProbeMetrics}, one {@link MetricsPipeline} that drains it into every chosen destination (through a
 * {@link FanOutPublisher}), and a one-line report per destination.
 *
 * <p>Lifecycle: {@link #create}, then {@link #start()} for repeat mode (publishes once per interval in the
 * background) or nothing for a single run, {@link #record(ProbeRun)} after each run, and {@link #close()} to publish
 * what is left and flush (idempotent; safe from a shutdown hook). Credentials come from the AWS SDK's default chain
 * and are never printed: the summaries hold counts only.
 */
final class MetricsOutput implements AutoCloseable {

    /** Where metrics go. */
    enum Destination {
        CLOUDWATCH, EMF, LOCAL;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What the command line chose.
     *
     * @param destinations at least one
     * @param namespace    CloudWatch namespace
     * @param region       CloudWatch region (used for {@link Destination#CLOUDWATCH} only)
     * @param endpoint     CloudWatch endpoint override, or null
     * @param metricsFile  JSON-lines file (required for {@link Destination#LOCAL})
     * @param resolution   storage resolution in seconds: 60 (one-minute intervals) or 1 (one-second intervals)
     */
    record Settings(Set<Destination> destinations, String namespace, String region, URI endpoint, Path metricsFile,
                    int resolution) {
    }

    private final Recorder recorder;
    private final Map<Destination, Publisher> publishers;
    private final MetricsPipeline pipeline;
    private final PrintWriter out;

    private MetricsOutput(Recorder recorder, Map<Destination, Publisher> publishers, PrintWriter out) {
        this.recorder = recorder;
        this.publishers = publishers;
        this.pipeline = new MetricsPipeline(recorder, new FanOutPublisher(List.copyOf(publishers.values())));
        this.out = out;
    }

    /**
     * Opens every destination of {@code settings}. EMF events are written to {@code out}.
     *
     * @throws IOException when the metrics file cannot be opened
     */
    static MetricsOutput create(Settings settings, PrintWriter out, Clock clock) throws IOException {
        Duration interval = settings.resolution() == 1 ? Duration.ofSeconds(1) : Duration.ofSeconds(60);
        Recorder recorder = new Recorder(interval, clock);
        Map<Destination, Publisher> publishers = new LinkedHashMap<>();
        try {
            for (Destination d : settings.destinations()) {
                publishers.put(d, switch (d) {
                    case CLOUDWATCH -> CloudWatchPublisher.create(settings.namespace(), settings.region(),
                            settings.endpoint(), null);
                    case EMF -> new EmfPublisher(settings.namespace(),
                            new PrintStream(new WriterStream(out), false, StandardCharsets.UTF_8));
                    case LOCAL -> new LocalJsonPublisher(settings.namespace(), settings.metricsFile());
                });
            }
        } catch (IOException | RuntimeException e) {
            publishers.values().forEach(Publisher::close);
            throw e;
        }
        return new MetricsOutput(recorder, publishers, out);
    }

    /** Publishes closed intervals in the background, once per interval. */
    MetricsOutput start() {
        pipeline.start();
        return this;
    }

    /** Records every outcome of {@code run}, and the certificate expiry of each TLS handshake, at the current time. */
    void record(ProbeRun run) {
        Instant now = recorder.clock().instant();
        for (Outcome o : run.outcomes()) {
            record(recorder, o, now);
        }
    }

    /**
     * Records one outcome as the catalogue says (docs/metrics.md): every phase that happened, success 0/1, the
     * error class and the served region; and, when a handshake completed, the days left on the certificate of the
     * URL's host (fractional days, clamped at 0 by {@link ProbeMetrics#recordCertificateDaysToExpiry}).
     */
    static void record(Recorder recorder, Outcome o, Instant now) {
        ProbeMetrics.record(recorder, o.api(), o.check(), o.accessPath().name(), o.region(), o.passed(),
                o.errorClass() == null ? null : o.errorClass().name(),
                o.phases().dnsMs(), o.phases().connectMs(), o.phases().tlsMs(), o.phases().ttfbMs(),
                o.phases().totalMs(), o.servedRegion());
        if (o.certificateNotAfter() != null) {
            double days = Duration.between(now, o.certificateNotAfter()).toMillis() / 86_400_000.0;
            ProbeMetrics.recordCertificateDaysToExpiry(recorder, o.url().getHost(), days);
        }
    }

    /** One line per destination: what was sent, retried, pending, dropped and possibly duplicated. */
    void printSummary() {
        publishers.forEach((d, p) -> out.println("publish " + d.label() + ": " + p.report().summary()));
        out.flush();
    }

    /** Whether any destination dropped samples for good. */
    boolean dropped() {
        return publishers.values().stream().map(Publisher::report).mapToLong(PublishReport::droppedSamples).sum() > 0;
    }

    /** Publishes everything recorded, open interval included, flushes and closes every destination. */
    @Override
    public void close() {
        pipeline.close();
    }

    /**
     * Bytes to a {@link PrintWriter}, decoded as UTF-8 at each flush (EMF is written line by line and flushed, so
     * no character is split), so EMF events and the command's table share one ordered output.
     */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.size() > 0) {
                target.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
            target.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
