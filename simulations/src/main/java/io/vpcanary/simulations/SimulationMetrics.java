package io.vpcanary.simulations;

import io.vpcanary.core.Durations;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metrics of a load run: every response's {@link Outcome} recorded through the one Outcome→metrics mapping (the
 * catalogue the probe uses, so load runs and canaries share dashboards), and, when a destination is configured,
 * published through the one publisher factory, {@link MetricsOutput}: each closed interval while the run goes on,
 * everything left on {@link #close()} (the simulation's {@code after} hook).
 *
 * <p>System properties (empty = not given):
 * <ul>
 *   <li>{@code vpcanary.publish}: comma-separated destinations {@code cloudwatch}, {@code emf} (EMF events on standard
 *       output), {@code local} (JSON lines); none = record only;</li>
 *   <li>{@code vpcanary.namespace}: namespace (default {@value ProbeMetrics#LOAD_NAMESPACE}, apart from the canaries'
 *       {@value ProbeMetrics#DEFAULT_NAMESPACE} so that alarms on canary metrics never see load traffic);</li>
 *   <li>{@code vpcanary.region}: CloudWatch region (default: the AWS SDK's region chain, else us-east-1);</li>
 *   <li>{@code vpcanary.endpoint}: CloudWatch endpoint override (default: the SDK's own
 *       {@code AWS_ENDPOINT_URL_CLOUDWATCH} / {@code AWS_ENDPOINT_URL} settings);</li>
 *   <li>{@code vpcanary.metricsFile}: the JSON-lines file, required for {@code local} (relative to
 *       {@code vpcanary.invocationDir});</li>
 *   <li>{@code vpcanary.resolution}: {@code 60} (default) or {@code 1} (one-second intervals);</li>
 *   <li>{@code vpcanary.publishTimeout}: how long publishing may keep trying at the end (default 30s);</li>
 *   <li>{@code vpcanary.runId}: a load run's id, published as the dimension {@code Run} of every metric, so that the
 *       injectors of one run publish identical dimension sets and CloudWatch merges their distributions.</li>
 * </ul>
 * CloudWatch credentials come from the AWS SDK's default chain; nothing here prints them.
 */
public final class SimulationMetrics implements AutoCloseable {

    private final Recorder recorder;
    private final MetricsOutput output;
    private boolean closed;

    private SimulationMetrics(Recorder recorder, MetricsOutput output) {
        this.recorder = recorder;
        this.output = output;
    }

    /** A recorder only: nothing is published. */
    public static SimulationMetrics recordOnly(Recorder recorder) {
        return new SimulationMetrics(Objects.requireNonNull(recorder, "recorder"), null);
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
     * @throws IllegalArgumentException for an unknown destination, a missing metrics file, a bad resolution
     * @throws IOException              when the metrics file cannot be opened
     */
    public static SimulationMetrics from(Map<String, String> props, PrintStream emfOut) throws IOException {
        Set<MetricsOutput.Destination> chosen = new LinkedHashSet<>();
        for (String d : value(props, "vpcanary.publish", "").split(",")) {
            if (!d.isBlank()) {
                try {
                    chosen.add(MetricsOutput.Destination.parse(d));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("vpcanary.publish takes cloudwatch, emf and local, "
                            + "comma-separated; got '" + d.strip() + "'");
                }
            }
        }
        String resolution = value(props, "vpcanary.resolution", "60");
        if (!resolution.equals("60") && !resolution.equals("1")) {
            throw new IllegalArgumentException("vpcanary.resolution must be 60 or 1 (seconds); got '" + resolution
                    + "'");
        }
        int seconds = Integer.parseInt(resolution);
        if (chosen.isEmpty()) {
            return recordOnly(new Recorder(Duration.ofSeconds(seconds), Clock.systemUTC()));
        }
        String namespace = value(props, "vpcanary.namespace", ProbeMetrics.LOAD_NAMESPACE);
        Path base = Path.of(value(props, "vpcanary.invocationDir", System.getProperty("user.dir")));
        String file = value(props, "vpcanary.metricsFile", "");
        if (chosen.contains(MetricsOutput.Destination.LOCAL) && file.isEmpty()) {
            throw new IllegalArgumentException("vpcanary.publish=local needs vpcanary.metricsFile, such as "
                    + "target/metrics.jsonl");
        }
        String region = value(props, "vpcanary.region", "");
        String endpoint = value(props, "vpcanary.endpoint", "");
        String timeout = value(props, "vpcanary.publishTimeout", "");
        String runId = value(props, "vpcanary.runId", "");
        MetricsOutput.Settings settings = new MetricsOutput.Settings(chosen, namespace,
                region.isEmpty() ? null : region,
                endpoint.isEmpty() ? null : MetricsOutput.Settings.endpoint(endpoint),
                file.isEmpty() ? null : base.resolve(file).normalize(), seconds,
                timeout.isEmpty() ? null : Durations.parsePositive("vpcanary.publishTimeout", timeout),
                runId.isEmpty() ? Map.of() : Map.of(ProbeMetrics.D_RUN, runId));
        MetricsOutput output = MetricsOutput.create(settings,
                new PrintWriter(new java.io.OutputStreamWriter(emfOut, java.nio.charset.StandardCharsets.UTF_8), true),
                Clock.systemUTC()).start();
        return new SimulationMetrics(output.recorder(), output);
    }

    /** Records one load-run outcome. Thread-safe. */
    public void record(Outcome outcome) {
        ProbeMetrics.record(recorder, outcome, recorder.clock().instant());
    }

    /** Where every response is recorded. */
    public Recorder recorder() {
        return recorder;
    }

    /** The destinations published to, empty when recording only. */
    public List<String> destinations() {
        return output == null ? List.of()
                : output.destinations().stream().map(MetricsOutput.Destination::label).toList();
    }

    /** Publishes everything recorded and not yet published, then closes the destinations. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (output != null) {
            output.close();
            System.out.println("vpcanary: metrics published to " + String.join(", ", destinations()) + ":");
            output.printSummary();
        }
    }

    private static String value(Map<String, String> props, String name, String orElse) {
        String v = props.get(name);
        return v == null || v.isBlank() ? orElse : v.strip();
    }
}
