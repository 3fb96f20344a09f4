package io.vpcanary.metrics;

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
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The one publisher factory of every runner (the probe command, load runs, and the runners to come): one
 * {@link Recorder} fed with every {@link Outcome} through {@link ProbeMetrics#record(Recorder, Outcome, Instant)},
 * one {@link MetricsPipeline} that drains it into every chosen destination (through a {@link FanOutPublisher}), and a
 * one-line report per destination.
 *
 * <p>Lifecycle: {@link #create}, then {@link #start()} to publish once per interval in the background (repeat mode,
 * load runs) or nothing for a single run, {@link #record(ProbeRun)} or {@link #record(Outcome)} as results come, and
 * {@link #close()} to publish what is left and flush (idempotent; safe from a shutdown hook). Credentials come from
 * the AWS SDK's default chain and are never printed: the summaries hold counts only. The CloudWatch endpoint is the
 * SDK's own ({@code AWS_ENDPOINT_URL_CLOUDWATCH}, {@code AWS_ENDPOINT_URL}, a profile's {@code endpoint_url}) unless
 * {@link Settings#endpoint()} overrides it.
 */
public final class MetricsOutput implements AutoCloseable {

    /** Default bound on how long publishing may wait for CloudWatch when closing. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    /** Where metrics go. */
    public enum Destination {
        CLOUDWATCH, EMF, LOCAL;

        /** {@code cloudwatch}, {@code emf} or {@code local}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Reads {@code cloudwatch}, {@code emf} or {@code local}, in any case.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Destination parse(String text) {
            for (Destination d : values()) {
                if (d.label().equalsIgnoreCase(text.strip())) {
                    return d;
                }
            }
            throw new IllegalArgumentException("'" + text.strip() + "' is not one of cloudwatch, emf, local");
        }
    }

    /**
     * The AWS SDK's region chain ({@code AWS_REGION}, {@code aws.region}, the profile, instance metadata), else
     * {@code us-east-1}: the one CloudWatch region default of every runner.
     */
    public static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException none) {
            return "us-east-1";
        }
    }

    /**
     * What the command line chose.
     *
     * @param destinations at least one
     * @param namespace    CloudWatch namespace
     * @param region       CloudWatch region (used for {@link Destination#CLOUDWATCH} only), or null for
     *                     {@link #defaultRegion()}
     * @param endpoint     CloudWatch endpoint override, or null
     * @param metricsFile  JSON-lines file (required for {@link Destination#LOCAL})
     * @param resolution   storage resolution in seconds: 60 (one-minute intervals) or 1 (one-second intervals)
     * @param publishTimeout how long publishing to CloudWatch may keep trying when closing (and per flush), or null
     *                     for {@link #DEFAULT_PUBLISH_TIMEOUT}; a refused endpoint fails within it
     * @param dimensions   dimensions added to every series published, such as {@code Run=ID} of a load run whose
     *                     injectors all publish the same set (so CloudWatch merges their distributions); empty for none
     */
    public record Settings(Set<Destination> destinations, String namespace, String region, URI endpoint,
                           Path metricsFile, int resolution, Duration publishTimeout, Map<String, String> dimensions) {

        /** Settings that add no dimension. */
        public Settings(Set<Destination> destinations, String namespace, String region, URI endpoint,
                        Path metricsFile, int resolution, Duration publishTimeout) {
            this(destinations, namespace, region, endpoint, metricsFile, resolution, publishTimeout, Map.of());
        }

        public Settings {
            dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
            destinations = Set.copyOf(destinations);
            if (destinations.isEmpty()) {
                throw new IllegalArgumentException("no destination to publish to");
            }
            if (namespace == null || namespace.isBlank()) {
                throw new IllegalArgumentException("the metric namespace must not be blank");
            }
            if (resolution != 60 && resolution != 1) {
                throw new IllegalArgumentException("the resolution must be 60 or 1 (seconds), got " + resolution);
            }
            if (destinations.contains(Destination.LOCAL) && metricsFile == null) {
                throw new IllegalArgumentException("publishing locally needs a metrics file");
            }
            if (region == null && destinations.contains(Destination.CLOUDWATCH)) {
                region = defaultRegion();
            }
            if (publishTimeout == null) {
                publishTimeout = DEFAULT_PUBLISH_TIMEOUT;
            }
            if (publishTimeout.isNegative() || publishTimeout.isZero()) {
                throw new IllegalArgumentException("the publish timeout must be positive, got " + publishTimeout);
            }
        }

        /**
         * Checks an endpoint given as text: an http or https URL with a host.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static URI endpoint(String text) {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("endpoint " + text + " is not a URI: " + e.getReason());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the endpoint must be an http or https URL with a host, got "
                        + text);
            }
            return uri;
        }
    }

    private final Recorder recorder;
    private final Map<Destination, Publisher> publishers;
    private final MetricsPipeline pipeline;
    private final PrintWriter out;

    private MetricsOutput(Recorder recorder, Map<Destination, Publisher> publishers, Map<String, String> dimensions,
                          PrintWriter out) {
        this.recorder = recorder;
        this.publishers = publishers;
        Publisher all = new FanOutPublisher(List.copyOf(publishers.values()));
        this.pipeline = new MetricsPipeline(recorder, dimensions.isEmpty() ? all
                : new AddedDimensionsPublisher(all, dimensions));
        this.out = out;
    }

    /**
     * Opens every destination of {@code settings}. EMF events are written to {@code out}.
     *
     * @throws IOException when the metrics file cannot be opened
     */
    public static MetricsOutput create(Settings settings, PrintWriter out, Clock clock) throws IOException {
        Duration interval = settings.resolution() == 1 ? Duration.ofSeconds(1) : Duration.ofSeconds(60);
        Recorder recorder = new Recorder(interval, clock);
        Map<Destination, Publisher> publishers = new LinkedHashMap<>();
        try {
            for (Destination d : settings.destinations()) {
                publishers.put(d, switch (d) {
                    case CLOUDWATCH -> CloudWatchPublisher.builder().namespace(settings.namespace())
                            .region(settings.region()).endpoint(settings.endpoint())
                            .flushTimeout(settings.publishTimeout()).shutdownTimeout(settings.publishTimeout())
                            .requestTimeout(min(settings.publishTimeout(), Duration.ofSeconds(20))).build();
                    case EMF -> new EmfPublisher(settings.namespace(),
                            new PrintStream(new WriterStream(out), false, StandardCharsets.UTF_8));
                    case LOCAL -> new LocalJsonPublisher(settings.namespace(), settings.metricsFile());
                });
            }
        } catch (IOException | RuntimeException e) {
            publishers.values().forEach(Publisher::close);
            throw e;
        }
        return new MetricsOutput(recorder, publishers, settings.dimensions(), out);
    }

    /** Publishes closed intervals in the background, once per interval. */
    public MetricsOutput start() {
        pipeline.start();
        return this;
    }

    /** Records every outcome of {@code run} at the current time. */
    public void record(ProbeRun run) {
        Instant now = recorder.clock().instant();
        for (Outcome o : run.outcomes()) {
            ProbeMetrics.record(recorder, o, now);
        }
    }

    /** Records one outcome at the current time. Thread-safe. */
    public void record(Outcome o) {
        ProbeMetrics.record(recorder, o, recorder.clock().instant());
    }

    /** The recorder outcomes go into. */
    public Recorder recorder() {
        return recorder;
    }

    /** The destinations, in the order given. */
    public Set<Destination> destinations() {
        return publishers.keySet();
    }

    /** Samples sent so far, over every destination. */
    public long sentSamples() {
        return publishers.values().stream().map(Publisher::report).mapToLong(PublishReport::samplesSent).sum();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** One line per destination: what was sent, retried, pending, dropped and possibly duplicated. */
    public void printSummary() {
        publishers.forEach((d, p) -> out.println("publish " + d.label() + ": " + p.report().summary()));
        out.flush();
    }

    /** Whether any destination dropped samples for good. */
    public boolean dropped() {
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
