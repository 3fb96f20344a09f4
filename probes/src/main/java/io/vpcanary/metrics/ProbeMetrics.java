package io.vpcanary.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric catalogue (docs/metrics.md) and the one place that turns a probe or Gatling outcome into samples.
 * Callers pass plain values, so this class knows nothing of the probe engine.
 *
 * <h2>Series recorded per outcome</h2>
 * <table>
 *   <caption>catalogue</caption>
 *   <tr><th>metric</th><th>unit</th><th>dimensions</th><th>sample</th></tr>
 *   <tr><td>{@value #LATENCY}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region; and Api, Region</td><td>total time</td></tr>
 *   <tr><td>{@value #DNS}, {@value #CONNECT}, {@value #TLS}, {@value #TTFB}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region</td><td>phase time, when the phase happened</td></tr>
 *   <tr><td>{@value #SUCCESS}</td><td>None</td><td>Api, Check, AccessPath, Region; and Api, Region</td><td>1 passed, 0 failed</td></tr>
 *   <tr><td>{@value #ERRORS}</td><td>Count</td><td>Api, Region, ErrorClass</td><td>1 per failed request</td></tr>
 *   <tr><td>{@value #SERVED_REGION}</td><td>Count</td><td>Api, Check, ServedRegion</td><td>1 per answer naming the region that served it</td></tr>
 *   <tr><td>{@value #CERT_DAYS}</td><td>None</td><td>Host</td><td>days until the certificate expires, 0 when expired</td></tr>
 * </table>
 * Latency and Success are recorded whether the check passed or not (a failure's latency is part of what clients see).
 * Phases that did not happen (a reused connection has no DNS, connect or TLS phase) are not recorded: null means
 * absent, never zero.
 */
public final class ProbeMetrics {

    /** Default CloudWatch namespace. */
    public static final String DEFAULT_NAMESPACE = "vpcanary";

    public static final String LATENCY = "Latency";
    public static final String DNS = "DnsTime";
    public static final String CONNECT = "ConnectTime";
    public static final String TLS = "TlsTime";
    public static final String TTFB = "TimeToFirstByte";
    public static final String SUCCESS = "Success";
    public static final String ERRORS = "Errors";
    public static final String SERVED_REGION = "ServedRegion";
    public static final String CERT_DAYS = "CertificateDaysToExpiry";

    public static final String D_API = "Api";
    public static final String D_CHECK = "Check";
    public static final String D_ACCESS_PATH = "AccessPath";
    public static final String D_REGION = "Region";
    public static final String D_ERROR_CLASS = "ErrorClass";
    public static final String D_SERVED_REGION = "ServedRegion";
    public static final String D_HOST = "Host";

    /** Metrics recorded per target (api × check × access path × region). */
    public static final List<String> PER_TARGET = List.of(LATENCY, DNS, CONNECT, TLS, TTFB, SUCCESS);
    /** Metrics also recorded per API and region, across checks and access paths. */
    public static final List<String> PER_API_REGION = List.of(LATENCY, SUCCESS);

    private ProbeMetrics() {
    }

    /**
     * Records one request's outcome.
     *
     * @param recorder     where to record
     * @param api          API name
     * @param check        check name
     * @param accessPath   access path name, such as {@code PRIVATE_DNS}
     * @param region       region of the target
     * @param passed       whether the check passed
     * @param errorClass   error class name when it failed, else null
     * @param dnsMs        DNS phase, null when absent
     * @param connectMs    TCP connect phase, null when absent
     * @param tlsMs        TLS handshake, null when absent
     * @param ttfbMs       time to first byte, null when absent
     * @param totalMs      total time, null when the request never started
     * @param servedRegion region named by the answer, null when unknown
     */
    public static void record(Recorder recorder, String api, String check, String accessPath, String region,
                              boolean passed, String errorClass, Double dnsMs, Double connectMs, Double tlsMs,
                              Double ttfbMs, Double totalMs, String servedRegion) {
        record(recorder, null, api, check, accessPath, region, passed, errorClass, dnsMs, connectMs, tlsMs, ttfbMs,
                totalMs, servedRegion);
    }

    /**
     * Records one request of load paced every {@code expectedIntervalMs} (Gatling's open injection at a constant
     * rate): as {@link #record}, except that the total latency is corrected for coordinated omission, so a response
     * slower than the pacing interval also stands for the requests that would have been sent while it was awaited.
     * Phases, success and errors are recorded once per actual request.
     */
    public static void recordPaced(Recorder recorder, double expectedIntervalMs, String api, String check,
                                   String accessPath, String region, boolean passed, String errorClass, Double dnsMs,
                                   Double connectMs, Double tlsMs, Double ttfbMs, Double totalMs,
                                   String servedRegion) {
        record(recorder, expectedIntervalMs, api, check, accessPath, region, passed, errorClass, dnsMs, connectMs,
                tlsMs, ttfbMs, totalMs, servedRegion);
    }

    private static void record(Recorder recorder, Double pacedMs, String api, String check, String accessPath,
                               String region, boolean passed, String errorClass, Double dnsMs, Double connectMs,
                               Double tlsMs, Double ttfbMs, Double totalMs, String servedRegion) {
        Map<String, String> target = targetDimensions(api, check, accessPath, region);
        Map<String, String> apiRegion = Map.of(D_API, api, D_REGION, region);
        if (totalMs != null) {
            for (Map<String, String> dims : List.of(target, apiRegion)) {
                Series latency = Series.of(LATENCY, MetricUnit.MILLISECONDS, dims);
                if (pacedMs == null) {
                    recorder.record(latency, totalMs);
                } else {
                    recorder.recordPaced(latency, totalMs, pacedMs);
                }
            }
        }
        phase(recorder, DNS, target, dnsMs);
        phase(recorder, CONNECT, target, connectMs);
        phase(recorder, TLS, target, tlsMs);
        phase(recorder, TTFB, target, ttfbMs);
        double ok = passed ? 1 : 0;
        recorder.record(Series.of(SUCCESS, MetricUnit.NONE, target), ok);
        recorder.record(Series.of(SUCCESS, MetricUnit.NONE, apiRegion), ok);
        if (!passed && errorClass != null) {
            recorder.record(Series.of(ERRORS, MetricUnit.COUNT,
                    Map.of(D_API, api, D_REGION, region, D_ERROR_CLASS, errorClass)), 1);
        }
        if (servedRegion != null) {
            recorder.record(Series.of(SERVED_REGION, MetricUnit.COUNT,
                    Map.of(D_API, api, D_CHECK, check, D_SERVED_REGION, servedRegion)), 1);
        }
    }

    /**
     * Records the days left on a TLS certificate; an expired certificate records 0, since CloudWatch percentiles
     * need non-negative values and "expired" is what an alarm on {@code Minimum <= N} must see.
     */
    public static void recordCertificateDaysToExpiry(Recorder recorder, String host, double days) {
        recorder.record(Series.of(CERT_DAYS, MetricUnit.NONE, Map.of(D_HOST, host)), Math.max(0, days));
    }

    /** The dimensions of a per-target series, in catalogue order. */
    public static Map<String, String> targetDimensions(String api, String check, String accessPath, String region) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(D_API, api);
        d.put(D_CHECK, check);
        d.put(D_ACCESS_PATH, accessPath);
        d.put(D_REGION, region);
        return d;
    }

    private static void phase(Recorder recorder, String name, Map<String, String> dims, Double ms) {
        if (ms != null) {
            recorder.record(Series.of(name, MetricUnit.MILLISECONDS, dims), ms);
        }
    }
}
