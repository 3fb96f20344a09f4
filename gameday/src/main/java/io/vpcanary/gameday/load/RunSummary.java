package io.vpcanary.gameday.load;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * The merged result of a distributed run, read back from CloudWatch: every series the run's injectors published in
 * one region (the metrics whose dimension {@value io.vpcanary.metrics.ProbeMetrics#D_RUN} is the run id), each summarised over the run's whole
 * window as one period. Every injector publishes distributions (Values/Counts) under identical dimension sets, so
 * CloudWatch's percentiles for a series are those of all injectors' requests together: computed over the merged
 * distribution, never an average of per-injector percentiles.
 *
 * <p>SampleCount, Sum, Minimum and Maximum are asked for in one set of GetMetricData queries, the percentiles
 * ({@link #PERCENTILES}) in another, so that an endpoint that cannot compute percentiles (moto_server answers 500)
 * still gives the counts; the summary then says the percentiles are unavailable and why, and holds none.
 */
public final class RunSummary {

    /** The percentiles asked of CloudWatch, as its extended statistics. */
    public static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9");
    static final List<String> BASIC = List.of("SampleCount", "Sum", "Minimum", "Maximum");
    /** GetMetricData takes at most this many queries per call. */
    static final int QUERIES_PER_CALL = 500;
    static final int MAX_PAGES = 1000;

    private RunSummary() {
    }

    /**
     * One series of the run.
     *
     * @param region      the CloudWatch region it was published in
     * @param metric      metric name
     * @param dimensions  its dimensions but {@value io.vpcanary.metrics.ProbeMetrics#D_RUN}
     * @param sampleCount requests (samples) over the window, 0 when none
     * @param sum         the sum of the samples
     * @param minimum     the least sample, null with none
     * @param maximum     the largest sample, null with none
     * @param percentiles p50, p90, p99 and p99.9 as CloudWatch computed them, or null when unavailable
     */
    public record SeriesResult(String region, String metric, SortedMap<String, String> dimensions, double sampleCount,
                               double sum, Double minimum, Double maximum, Map<String, Double> percentiles) {
    }

    /**
     * The run in one region.
     *
     * @param region             the CloudWatch region
     * @param series             every series, by metric then dimensions
     * @param percentilesMissing why percentiles are unavailable, or null when CloudWatch gave them
     */
    public record RegionResult(String region, List<SeriesResult> series, String percentilesMissing) {
    }

    /** The window to summarise: from {@code from} to {@code to}, widened to whole minutes. */
    public record Window(Instant from, Instant to) {
        public Window {
            from = from.truncatedTo(ChronoUnit.MINUTES);
            Instant end = to.truncatedTo(ChronoUnit.MINUTES);
            to = end.equals(to) ? end : end.plus(Duration.ofMinutes(1));
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("the window's end " + to + " is not after its start " + from);
            }
        }

        /** One period covering the whole window: whole minutes, as CloudWatch requires. */
        int periodSeconds() {
            return Math.toIntExact(Duration.between(from, to).toSeconds());
        }
    }

    /** The run {@code runId} in {@code namespace}, as {@code cloudWatch} (of {@code region}) has it. */
    public static RegionResult of(CloudWatchClient cloudWatch, String region, String namespace, RunId runId,
                                  Window window) {
        Map<String, Metric> found = new TreeMap<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListMetricsResponse page = cloudWatch.listMetrics(b -> b.namespace(namespace).nextToken(t)
                    .dimensions(DimensionFilter.builder().name(io.vpcanary.metrics.ProbeMetrics.D_RUN).value(runId.value()).build()));
            // one entry per metric (moto lists a metric once per datum; CloudWatch once)
            page.metrics().forEach(m -> found.putIfAbsent(m.metricName() + " " + dims(m), m));
            token = page.nextToken();
        } while (token != null && ++pages < MAX_PAGES);
        List<Metric> metrics = new ArrayList<>(found.values());

        Map<String, List<Double>> basic = query(cloudWatch, metrics, BASIC, window);
        Map<String, List<Double>> pct = null;
        String missing = null;
        if (!metrics.isEmpty()) {
            try {
                pct = query(cloudWatch, metrics, PERCENTILES, window);
            } catch (SdkException refused) {
                missing = "the endpoint refused percentile statistics (" + (refused instanceof AwsServiceException a
                        ? "status " + a.statusCode() + (a.awsErrorDetails() != null && a.awsErrorDetails().errorCode()
                        != null ? " " + a.awsErrorDetails().errorCode() : "") : oneLine(refused.getMessage())) + ")";
            }
        }
        List<SeriesResult> out = new ArrayList<>();
        boolean anyPercentile = false;
        boolean anySamples = false;
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            double count = sum(basic.get(id(i, "SampleCount")));
            anySamples |= count > 0;
            Map<String, Double> p = null;
            if (pct != null) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (String stat : PERCENTILES) {
                    List<Double> v = pct.get(id(i, stat));
                    if (v != null && v.size() == 1) {
                        values.put(stat, v.get(0));
                    }
                }
                if (values.size() == PERCENTILES.size()) {
                    p = values;
                    anyPercentile = true;
                }
            }
            out.add(new SeriesResult(region, m.metricName(), dims(m), count, sum(basic.get(id(i, "Sum"))),
                    extreme(basic.get(id(i, "Minimum")), true), extreme(basic.get(id(i, "Maximum")), false), p));
        }
        if (missing == null && anySamples && !anyPercentile) {
            missing = "the endpoint returned no percentile values for series with samples";
        }
        return new RegionResult(region, out, missing);
    }

    private static Map<String, List<Double>> query(CloudWatchClient cw, List<Metric> metrics, List<String> stats,
                                                   Window window) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            for (String stat : stats) {
                queries.add(MetricDataQuery.builder().id(id(i, stat)).returnData(true)
                        .metricStat(s -> s.metric(m).stat(stat).period(window.periodSeconds())).build());
            }
        }
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i += QUERIES_PER_CALL) {
            List<MetricDataQuery> batch = queries.subList(i, Math.min(queries.size(), i + QUERIES_PER_CALL));
            String token = null;
            int pages = 0;
            do {
                String t = token;
                GetMetricDataResponse r = cw.getMetricData(b -> b.metricDataQueries(batch).startTime(window.from())
                        .endTime(window.to()).nextToken(t));
                for (MetricDataResult result : r.metricDataResults()) {
                    out.computeIfAbsent(result.id(), k -> new ArrayList<>()).addAll(result.values());
                }
                token = r.nextToken();
            } while (token != null && ++pages < MAX_PAGES);
        }
        return out;
    }

    /** A query id: CloudWatch wants a lower-case letter first, then letters, digits and underscores. */
    private static String id(int index, String stat) {
        return "m" + index + "_" + stat.toLowerCase(java.util.Locale.ROOT).replace('.', '_');
    }

    private static SortedMap<String, String> dims(Metric m) {
        SortedMap<String, String> d = new TreeMap<>();
        for (Dimension x : m.dimensions()) {
            if (!x.name().equals(io.vpcanary.metrics.ProbeMetrics.D_RUN)) {
                d.put(x.name(), x.value());
            }
        }
        return d;
    }

    private static double sum(List<Double> values) {
        return values == null ? 0 : values.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static Double extreme(List<Double> values, boolean least) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        return least ? values.stream().min(Double::compare).get() : values.stream().max(Double::compare).get();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "no message";
        }
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
