package io.vpcanary.metrics;

import io.vpcanary.access.Target;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.probe.ErrorClass;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the metric catalogue of an estate costs in CloudWatch per month: how many custom metrics (series) it creates
 * and how many PutMetricData requests publishing them takes.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>Series: per target, {@link ProbeMetrics#PER_TARGET}; per API and region, {@link ProbeMetrics#PER_API_REGION};
 *       per distinct host, {@value ProbeMetrics#CERT_DAYS}; per routing domain and region it can serve,
 *       {@value ProbeMetrics#SERVED_REGION}. {@value ProbeMetrics#ERRORS} (per API, region and error class) is billed
 *       only for hours in which that error happens; it is counted separately, as an upper bound.</li>
 *   <li>Requests: each publishing process sends, per interval, one datum per series carrying up to
 *       {@code distinctValues} values, packed into requests by the same limits the publisher keeps (1,000 datums,
 *       1 MB). Lambda canaries publishing EMF make no requests.</li>
 *   <li>A month is the prices file's billing month (730 hours).</li>
 * </ul>
 *
 * @param alwaysOnSeries  series that receive data every interval, by metric name
 * @param errorSeriesMax  error series if every error class happened on every API and region
 * @param intervalSeconds publishing interval
 * @param storageResolution 1 or 60
 * @param processes       publishing processes (canaries, injectors)
 * @param requestsPerInterval requests per process and interval
 * @param requestsPerMonth requests of all processes per month
 */
public record CostModel(Map<String, Long> alwaysOnSeries, long errorSeriesMax, long intervalSeconds,
                        int storageResolution, int processes, long requestsPerInterval, long requestsPerMonth) {

    /**
     * @param estate         the estate, for routing domains
     * @param targets        its targets ({@code TargetPlanner.forAws(estate).targets()})
     * @param interval       publishing interval (1 s, 10 s or a multiple of 60 s)
     * @param processes      how many processes publish the catalogue
     * @param distinctValues distinct values per datum assumed, 1 to 150 (150 is the upper bound)
     * @param hoursPerMonth  hours in a billing month
     */
    public static CostModel of(Estate estate, List<Target> targets, Duration interval, int processes,
                               int distinctValues, int hoursPerMonth) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be at least 1");
        }
        if (distinctValues < 1 || distinctValues > DistributionEncoder.CLOUDWATCH_MAX_VALUES) {
            throw new IllegalArgumentException("distinct values per datum must be 1 to 150");
        }
        Recorder.requireValidLength(interval);
        Map<String, Long> series = new LinkedHashMap<>();
        Set<String> apiRegions = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (Target t : targets) {
            ProbeMetrics.PER_TARGET.forEach(m -> series.merge(m, 1L, Long::sum));
            if (apiRegions.add(t.api() + "\n" + t.region())) {
                ProbeMetrics.PER_API_REGION.forEach(m -> series.merge(m, 1L, Long::sum));
            }
            hosts.add(t.url().getHost());
        }
        if (!hosts.isEmpty()) {
            series.put(ProbeMetrics.CERT_DAYS, (long) hosts.size());
        }
        long served = 0;
        for (RoutingDomain d : estate.routingDomains()) {
            served += d.records().stream().map(RoutingRecord::region).distinct().count();
        }
        if (served > 0) {
            series.put(ProbeMetrics.SERVED_REGION, served);
        }
        long errorMax = (long) apiRegions.size() * ErrorClass.values().length;

        long datums = series.values().stream().mapToLong(Long::longValue).sum();
        long perRequest = datumsPerRequest(distinctValues);
        long requests = datums == 0 ? 0 : (datums + perRequest - 1) / perRequest;
        long intervalsPerMonth = hoursPerMonth * 3600L / interval.toSeconds();
        int resolution = interval.toSeconds() < 60 ? 1 : 60;
        return new CostModel(Map.copyOf(series), errorMax, interval.toSeconds(), resolution, processes, requests,
                requests * intervalsPerMonth * processes);
    }

    /** How many datums of {@code distinctValues} values and catalogue-sized dimensions fit in one request. */
    static long datumsPerRequest(int distinctValues) {
        double[] values = new double[distinctValues];
        double[] counts = new double[distinctValues];
        for (int i = 0; i < distinctValues; i++) {
            values[i] = 1234.5678 + i;
            counts[i] = 1234567;
        }
        Map<String, String> dims = new TreeMap<>(ProbeMetrics.targetDimensions("x".repeat(40), "x".repeat(40),
                "VPCE_API_ID_HEADER", "ap-southeast-4", "x".repeat(40)));
        Datum d = new Datum(Series.of("TimeToFirstByte", MetricUnit.MILLISECONDS, dims), Instant.EPOCH, 60,
                values, counts);
        long perDatum = PutMetricDataBatcher.estimate(d);
        return Math.max(1, Math.min(PutMetricDataBatcher.MAX_DATUMS, (PutMetricDataBatcher.MAX_BODY_BYTES - 200) / perDatum));
    }

    /** Series that receive data every interval. */
    public long alwaysOnTotal() {
        return alwaysOnSeries.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Monthly cost of the always-on series. */
    public BigDecimal metricsCost(CloudWatchPrices prices) {
        return prices.metricsCost(alwaysOnTotal());
    }

    /** Monthly cost if every error series existed all month (upper bound). */
    public BigDecimal metricsCostWithAllErrors(CloudWatchPrices prices) {
        return prices.metricsCost(alwaysOnTotal() + errorSeriesMax);
    }

    /** Monthly PutMetricData cost. */
    public BigDecimal requestsCost(CloudWatchPrices prices) {
        return prices.requestsCost(requestsPerMonth);
    }

    /** Metric names in catalogue order. */
    public static List<String> order() {
        return Arrays.asList(ProbeMetrics.LATENCY, ProbeMetrics.DNS, ProbeMetrics.CONNECT, ProbeMetrics.TLS,
                ProbeMetrics.TTFB, ProbeMetrics.SUCCESS, ProbeMetrics.SERVED_REGION, ProbeMetrics.CERT_DAYS);
    }
}
