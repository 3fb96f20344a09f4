package io.vpcanary.dashboards.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.metrics.IntervalSnapshot;
import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.Precision;
import io.vpcanary.metrics.ProbeMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The figures of the local report, each computed from recorded samples: the HdrHistogram distributions of the metric
 * files, merged (never a percentile of percentiles), and the outcomes of the probe documents. Every figure carries
 * the number of samples it stands for. Values are what {@link Precision} keeps: a percentile is the published value
 * (median equivalent value) of the range that holds it, within 1 part in 2,000 of the recorded samples.
 *
 * <p>Series are grouped by namespace too ({@code vpcanary} for probes and canaries, {@code vpcanary/load} for load
 * runs): probe traffic and load traffic are never merged.
 *
 * @param sources  one line per input file saying what it held
 * @param latency  latency percentile curve per namespace and access path
 * @param success  success ratio per interval, per namespace and API
 * @param phases   median of each phase per namespace and access path
 * @param errors   error counts per namespace, API and class
 * @param served   answers per namespace, API and check, by the region that served them
 * @param checks   every outcome of the probe documents, in file order
 */
public record ReportModel(List<String> sources, List<LatencyCurve> latency, List<SuccessSeries> success,
                          List<PhaseRow> phases, List<Count> errors, List<Count> served, List<CheckRow> checks,
                          List<ReportInputs.GameDayFile> gameDays) {

    /** The percentiles of every latency curve. */
    public static final List<Double> PERCENTILES = List.of(50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9);

    /** The phases of the breakdown, in the order a request goes through them: metric name and label. */
    public static final Map<String, String> PHASES = ProbeMetrics.PHASE_LABELS;


    /** A value at a percentile. */
    public record Point(double percentile, double value) {
    }

    /** The merged latency distribution of every per-target series of one access path. */
    public record LatencyCurve(String namespace, String accessPath, long samples, double min, double max,
                               List<Point> points) {
    }

    /** One interval of a success timeline: its start, the passed samples and all samples. */
    public record SuccessPoint(Instant start, long passed, long samples) {
        public double ratio() {
            return (double) passed / samples;
        }
    }

    /** Success per interval of one API (every region's {Api, Region} rollup merged). */
    public record SuccessSeries(String namespace, String api, List<SuccessPoint> points) {
        public long passed() {
            return points.stream().mapToLong(SuccessPoint::passed).sum();
        }

        public long samples() {
            return points.stream().mapToLong(SuccessPoint::samples).sum();
        }
    }

    /** A phase's median and its sample count; {@code samples} 0 when the phase never happened. */
    public record PhaseMedian(double median, long samples) {
    }

    /** The phase medians of one access path, keyed like {@link #PHASES}. */
    public record PhaseRow(String namespace, String accessPath, Map<String, PhaseMedian> medians) {
    }

    /** A count of samples under two labels (API and error class; API/check and serving region). */
    public record Count(String namespace, String group, String label, long samples) {
    }

    /** One outcome of a probe document. */
    public record CheckRow(String file, String api, String check, String accessPath, String region, String vantage,
                           String status, String errorClass, String expectedErrorClass, Double totalMs,
                           boolean passed) {
    }

    /** Computes every figure from the inputs. */
    public static ReportModel of(ReportInputs in) {
        List<String> sources = new ArrayList<>();
        Map<List<String>, Histogram> latency = new TreeMap<>(ReportModel::compareKeys);
        Map<List<String>, Histogram> phases = new TreeMap<>(ReportModel::compareKeys);
        Map<List<String>, TreeMap<Instant, Histogram>> success = new TreeMap<>(ReportModel::compareKeys);
        Map<List<String>, Long> errors = new TreeMap<>(ReportModel::compareKeys);
        Map<List<String>, Long> served = new TreeMap<>(ReportModel::compareKeys);
        for (ReportInputs.MetricFile f : in.metricFiles()) {
            Set<String> namespaces = new TreeSet<>();
            TreeSet<Instant> starts = new TreeSet<>();
            for (LocalJsonReader.Entry e : f.entries()) {
                IntervalSnapshot s = e.snapshot();
                String ns = e.namespace();
                namespaces.add(ns);
                starts.add(s.start());
                SortedMap<String, String> d = s.series().dimensions();
                String name = s.series().name();
                boolean perTarget = d.containsKey(ProbeMetrics.D_ACCESS_PATH);
                if (name.equals(ProbeMetrics.LATENCY) && perTarget) {
                    merge(latency, List.of(ns, d.get(ProbeMetrics.D_ACCESS_PATH)), s.histogram());
                } else if (PHASES.containsKey(name) && perTarget) {
                    merge(phases, List.of(ns, d.get(ProbeMetrics.D_ACCESS_PATH), name), s.histogram());
                } else if (name.equals(ProbeMetrics.SUCCESS) && d.keySet().equals(
                        Set.of(ProbeMetrics.D_API, ProbeMetrics.D_REGION))) {
                    merge(success.computeIfAbsent(List.of(ns, d.get(ProbeMetrics.D_API)), k -> new TreeMap<>()),
                            s.start(), s.histogram());
                } else if (name.equals(ProbeMetrics.ERRORS)) {
                    errors.merge(List.of(ns, d.get(ProbeMetrics.D_API), d.get(ProbeMetrics.D_ERROR_CLASS)),
                            s.count(), Long::sum);
                } else if (name.equals(ProbeMetrics.SERVED_REGION)) {
                    served.merge(List.of(ns, d.get(ProbeMetrics.D_API) + "/" + d.get(ProbeMetrics.D_CHECK),
                            d.get(ProbeMetrics.D_SERVED_REGION)), s.count(), Long::sum);
                }
            }
            sources.add(f.name() + ": " + f.entries().size() + " series-intervals, namespace "
                    + String.join(", ", namespaces)
                    + (starts.isEmpty() ? "" : ", intervals from " + starts.first() + " to " + starts.last()));
        }

        List<LatencyCurve> curves = new ArrayList<>();
        latency.forEach((k, h) -> {
            List<Point> points = PERCENTILES.stream().map(p -> new Point(p, percentile(h, p))).toList();
            curves.add(new LatencyCurve(k.get(0), k.get(1), h.getTotalCount(),
                    Precision.published(h, h.getMinValue()), Precision.published(h, h.getMaxValue()), points));
        });

        Map<List<String>, Map<String, PhaseMedian>> byPath = new TreeMap<>(ReportModel::compareKeys);
        phases.forEach((k, h) -> byPath.computeIfAbsent(List.of(k.get(0), k.get(1)), x -> new LinkedHashMap<>())
                .put(k.get(2), new PhaseMedian(percentile(h, 50), h.getTotalCount())));
        List<PhaseRow> phaseRows = new ArrayList<>();
        byPath.forEach((k, m) -> {
            Map<String, PhaseMedian> ordered = new LinkedHashMap<>();
            PHASES.keySet().forEach(p -> ordered.put(p, m.getOrDefault(p, new PhaseMedian(0, 0))));
            phaseRows.add(new PhaseRow(k.get(0), k.get(1), ordered));
        });

        List<SuccessSeries> timelines = new ArrayList<>();
        long one = Precision.toRecorded(1);
        success.forEach((k, byStart) -> timelines.add(new SuccessSeries(k.get(0), k.get(1), byStart.entrySet()
                .stream().map(e -> new SuccessPoint(e.getKey(), e.getValue().getCountAtValue(one),
                        e.getValue().getTotalCount())).toList())));

        List<CheckRow> checks = new ArrayList<>();
        for (ReportInputs.ProbeRunFile run : in.probeRuns()) {
            JsonNode doc = run.document();
            for (JsonNode c : doc.get("checks")) {
                JsonNode total = c.path("phases").path("totalMs");
                checks.add(new CheckRow(run.name(), text(c, "api"), text(c, "check"), text(c, "accessPath"),
                        text(c, "region"), text(c, "vantage"), text(c, "status"), text(c, "errorClass"),
                        text(c, "expectedErrorClass"), total.isNumber() ? total.asDouble() : null,
                        c.path("passed").asBoolean(false)));
            }
            JsonNode summary = doc.path("summary");
            sources.add(run.name() + ": probe run started " + doc.path("startedAt").asText("?") + ", "
                    + doc.get("checks").size() + " checks (" + summary.path("passed").asText("?") + " passed, "
                    + summary.path("failed").asText("?") + " failed)");
        }
        in.gameDays().forEach(g -> sources.add(g.name() + " (game day)"));
        return new ReportModel(sources, curves, timelines, phaseRows, counts(errors), counts(served), checks,
                in.gameDays());
    }

    /** The published value of the range holding the {@code p}th percentile (nearest rank) of {@code h}. */
    static double percentile(Histogram h, double p) {
        return Precision.published(h, h.getValueAtPercentile(p));
    }

    private static <K> void merge(Map<K, Histogram> into, K key, Histogram h) {
        into.computeIfAbsent(key, k -> new Histogram(h.getNumberOfSignificantValueDigits())).add(h);
    }

    private static List<Count> counts(Map<List<String>, Long> m) {
        List<Count> out = new ArrayList<>();
        m.forEach((k, n) -> out.add(new Count(k.get(0), k.get(1), k.get(2), n)));
        return out;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Whether the figures come from more than one namespace (probe and load runs): labels then name it. */
    public boolean severalNamespaces() {
        Set<String> ns = new TreeSet<>();
        latency.forEach(c -> ns.add(c.namespace()));
        success.forEach(s -> ns.add(s.namespace()));
        phases.forEach(p -> ns.add(p.namespace()));
        errors.forEach(c -> ns.add(c.namespace()));
        served.forEach(c -> ns.add(c.namespace()));
        return ns.size() > 1;
    }
}
