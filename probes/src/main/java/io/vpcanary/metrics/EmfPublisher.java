package io.vpcanary.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Writes CloudWatch Embedded Metric Format events, one JSON object per line, for the Lambda canary: Lambda ships
 * stdout to CloudWatch Logs, which extracts the metrics without any PutMetricData call.
 *
 * <h2>Encoding</h2>
 * Snapshots that share a timestamp, a storage resolution and a dimension set become the metrics of one event: the
 * dimensions are top-level members, each metric a member holding an array of sample values, and the
 * {@code _aws.CloudWatchMetrics} directive names them. EMF has no counts, so a value that occurred {@code n} times
 * appears {@code n} times; the EMF limits are kept by writing several events when needed: at most
 * {@value #MAX_METRICS} metrics per directive and {@value #MAX_VALUES} values per array. Values are the same
 * equivalent-value medians as {@link DistributionEncoder} publishes, so precision is {@link Precision}'s. Nothing is
 * buffered: write failures of the stream are the stream's ({@link PrintStream#checkError()}).
 */
public final class EmfPublisher implements Publisher {

    public static final int MAX_METRICS = 100;
    public static final int MAX_VALUES = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final PrintStream out;
    private long events;
    private long samples;

    /** Writes to {@code out} (stdout in Lambda) under {@code namespace}. */
    public EmfPublisher(String namespace, PrintStream out) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.out = Objects.requireNonNull(out, "out");
    }

    private record Group(Instant timestamp, int resolution, SortedMap<String, String> dimensions) {
    }

    /** The EMF events for {@code snapshots}, without writing them. */
    public List<ObjectNode> events(List<IntervalSnapshot> snapshots) {
        Map<Group, List<IntervalSnapshot>> groups = new LinkedHashMap<>();
        for (IntervalSnapshot s : snapshots) {
            groups.computeIfAbsent(new Group(s.start(), s.storageResolution(), s.series().dimensions()),
                    g -> new ArrayList<>()).add(s);
        }
        List<ObjectNode> result = new ArrayList<>();
        for (Map.Entry<Group, List<IntervalSnapshot>> g : groups.entrySet()) {
            List<IntervalSnapshot> metrics = merged(g.getValue());
            for (int from = 0; from < metrics.size(); from += MAX_METRICS) {
                List<IntervalSnapshot> part = metrics.subList(from, Math.min(metrics.size(), from + MAX_METRICS));
                List<List<Double>> expanded = part.stream().map(EmfPublisher::expand).toList();
                int rounds = expanded.stream().mapToInt(l -> (l.size() + MAX_VALUES - 1) / MAX_VALUES).max().orElse(0);
                for (int r = 0; r < rounds; r++) {
                    result.add(event(g.getKey(), part, expanded, r));
                }
            }
        }
        return result;
    }

    /** Two snapshots of the same series and interval (a drain split) are merged, since a key appears once per event. */
    private static List<IntervalSnapshot> merged(List<IntervalSnapshot> in) {
        Map<Series, IntervalSnapshot> bySeries = new LinkedHashMap<>();
        for (IntervalSnapshot s : in) {
            bySeries.merge(s.series(), s, (a, b) -> {
                var h = a.histogram().copy();
                h.add(b.histogram());
                return new IntervalSnapshot(a.series(), a.start(), a.length(), h);
            });
        }
        return new ArrayList<>(bySeries.values());
    }

    private static List<Double> expand(IntervalSnapshot s) {
        List<Double> values = new ArrayList<>();
        for (Datum d : DistributionEncoder.encode(s, Integer.MAX_VALUE)) {
            double[] v = d.values();
            double[] c = d.counts();
            for (int i = 0; i < v.length; i++) {
                for (long k = 0; k < (long) c[i]; k++) {
                    values.add(v[i]);
                }
            }
        }
        return values;
    }

    private ObjectNode event(Group g, List<IntervalSnapshot> part, List<List<Double>> expanded, int round) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", g.timestamp().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimSet = directive.putArray("Dimensions").addArray();
        g.dimensions().keySet().forEach(dimSet::add);
        ArrayNode defs = directive.putArray("Metrics");
        g.dimensions().forEach(root::put);
        for (int i = 0; i < part.size(); i++) {
            List<Double> values = expanded.get(i);
            int from = round * MAX_VALUES;
            if (from >= values.size()) {
                continue;
            }
            Series s = part.get(i).series();
            ObjectNode def = defs.addObject();
            def.put("Name", s.name());
            def.put("Unit", s.unit().cloudWatchName());
            def.put("StorageResolution", g.resolution());
            ArrayNode arr = root.putArray(s.name());
            values.subList(from, Math.min(values.size(), from + MAX_VALUES)).forEach(arr::add);
        }
        return root;
    }

    @Override
    public synchronized void publish(List<IntervalSnapshot> snapshots) {
        for (ObjectNode e : events(snapshots)) {
            out.println(e.toString());
            events++;
        }
        samples += snapshots.stream().mapToLong(IntervalSnapshot::count).sum();
        out.flush();
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** Events written so far. */
    public synchronized long eventsWritten() {
        return events;
    }

    @Override
    public synchronized PublishReport report() {
        return new PublishReport(events, events, samples, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
        out.flush();
    }
}
