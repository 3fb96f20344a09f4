package io.vpcanary.simulations;

import io.vpcanary.metrics.CloudWatchPublisher;
import io.vpcanary.metrics.EmfPublisher;
import io.vpcanary.metrics.FanOutPublisher;
import io.vpcanary.metrics.LocalJsonPublisher;
import io.vpcanary.metrics.MetricsPipeline;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Publisher;
import io.vpcanary.metrics.Recorder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metrics of a load run: one {@link Recorder} that every response of every simulation is recorded into (through
 * {@link ResponseRecording} and {@link ProbeMetrics}, the same catalogue the probe uses, so load runs and canaries share
 * dashboards and alarms), and, when a destination is configured, a {@link MetricsPipeline} that publishes each closed
 * interval while the run goes on and everything left on {@link #close()} (the simulation's {@code after} hook).
 *
 * <p>System properties (empty = not given):
 * <ul>
 *   <li>{@code vpcanary.publish}: comma-separated destinations {@code cloudwatch}, {@code emf} (EMF events on standard
 *       output), {@code local} (JSON lines, see {@link LocalJsonPublisher}); none = record only;</li>
 *   <li>{@code vpcanary.namespace}: CloudWatch namespace (default {@value ProbeMetrics#DEFAULT_NAMESPACE});</li>
 *   <li>{@code vpcanary.region}: CloudWatch region, required for {@code cloudwatch};</li>
 *   <li>{@code vpcanary.endpoint}: CloudWatch endpoint override;</li>
 *   <li>{@code vpcanary.metricsFile}: the JSON-lines file, required for {@code local} (relative to
 *       {@code vpcanary.invocationDir});</li>
 *   <li>{@code vpcanary.resolution}: {@code 60} (one-minute intervals, default) or {@code 1} (one-second intervals,
 *       high-resolution metrics).</li>
 * </ul>
 * CloudWatch credentials come from the AWS SDK's default chain; nothing here prints them.
 */
public final class SimulationMetrics implements AutoCloseable {

    /** Destination names of {@code vpcanary.publish}. */
    public static final Set<String> DESTINATIONS = Set.of("cloudwatch", "emf", "local");

    private final Recorder recorder;
    private final MetricsPipeline pipeline;
    private final List<String> destinations;
    private boolean closed;

    private SimulationMetrics(Recorder recorder, MetricsPipeline pipeline, List<String> destinations) {
        this.recorder = recorder;
        this.pipeline = pipeline;
        this.destinations = destinations;
    }

    /** A recorder only: nothing is published. */
    public static SimulationMetrics recordOnly(Recorder recorder) {
        return new SimulationMetrics(Objects.requireNonNull(recorder, "recorder"), null, List.of());
    }

    /** The metrics configured by {@link System#getProperties()}, publishing started when a destination is given. */
    public static SimulationMetrics fromSystemProperties() throws IOException {
        Map<String, String> props = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().forEach(n -> props.put(n, System.getProperty(n)));
        return from(props, System.out);
    }

    /**
     * The metrics configured by {@code props} (see the type's documentation); EMF events go to {@code emfOut}.
     *
     * @throws IllegalArgumentException for an unknown destination, a missing region or metrics file, a bad resolution
     * @throws IOException              when the metrics file cannot be opened
     */
    public static SimulationMetrics from(Map<String, String> props, PrintStream emfOut) throws IOException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String d : value(props, "vpcanary.publish", "").split(",")) {
            String name = d.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!DESTINATIONS.contains(name)) {
                throw new IllegalArgumentException("vpcanary.publish takes cloudwatch, emf and local, comma-separated; got '"
                        + d.strip() + "'");
            }
            chosen.add(name);
        }
        String resolution = value(props, "vpcanary.resolution", "60");
        Duration interval = switch (resolution) {
            case "60" -> Duration.ofSeconds(60);
            case "1" -> Duration.ofSeconds(1);
            default -> throw new IllegalArgumentException("vpcanary.resolution must be 60 or 1 (seconds); got '"
                    + resolution + "'");
        };
        Recorder recorder = new Recorder(interval, Clock.systemUTC());
        if (chosen.isEmpty()) {
            return recordOnly(recorder);
        }
        String namespace = value(props, "vpcanary.namespace", ProbeMetrics.DEFAULT_NAMESPACE);
        Path base = Path.of(value(props, "vpcanary.invocationDir", System.getProperty("user.dir")));
        List<Publisher> publishers = new ArrayList<>();
        try {
            for (String d : chosen) {
                publishers.add(switch (d) {
                    case "cloudwatch" -> {
                        String region = value(props, "vpcanary.region", "");
                        if (region.isEmpty()) {
                            throw new IllegalArgumentException("vpcanary.publish=cloudwatch needs vpcanary.region, such as us-east-1");
                        }
                        String endpoint = value(props, "vpcanary.endpoint", "");
                        yield CloudWatchPublisher.create(namespace, region, endpoint.isEmpty() ? null : URI.create(endpoint), null);
                    }
                    case "emf" -> new EmfPublisher(namespace, emfOut);
                    case "local" -> {
                        String file = value(props, "vpcanary.metricsFile", "");
                        if (file.isEmpty()) {
                            throw new IllegalArgumentException("vpcanary.publish=local needs vpcanary.metricsFile, such as target/metrics.jsonl");
                        }
                        yield new LocalJsonPublisher(namespace, base.resolve(file).normalize());
                    }
                    default -> throw new IllegalStateException(d);
                });
            }
        } catch (IOException | RuntimeException e) {
            publishers.forEach(Publisher::close);
            throw e;
        }
        MetricsPipeline pipeline = new MetricsPipeline(recorder, new FanOutPublisher(publishers)).start();
        return new SimulationMetrics(recorder, pipeline, List.copyOf(chosen));
    }

    /** Where every response is recorded. */
    public Recorder recorder() {
        return recorder;
    }

    /** The destinations published to, empty when recording only. */
    public List<String> destinations() {
        return destinations;
    }

    /** Publishes everything recorded and not yet published, then closes the destinations. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pipeline != null) {
            pipeline.close();
            System.out.println("vpcanary: metrics published to " + String.join(", ", destinations) + ": "
                    + pipeline.report().summary());
        }
    }

    private static String value(Map<String, String> props, String name, String orElse) {
        String v = props.get(name);
        return v == null || v.isBlank() ? orElse : v.strip();
    }
}
