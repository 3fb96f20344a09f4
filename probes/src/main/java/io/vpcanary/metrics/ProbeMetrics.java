package io.vpcanary.metrics;

import io.vpcanary.access.Target;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.WebSocketExchange;
import io.vpcanary.probe.Phases;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric catalogue (docs/metrics.md) and the one place that turns an {@link Outcome}, of a probe or of a load-run
 * request, into samples.
 *
 * <h2>Series recorded per outcome</h2>
 * <table>
 *   <caption>catalogue</caption>
 *   <tr><th>metric</th><th>unit</th><th>dimensions</th><th>sample</th></tr>
 *   <tr><td>{@value #LATENCY}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region, Vantage; and Api, Region</td><td>total time</td></tr>
 *   <tr><td>{@value #DNS}, {@value #CONNECT}, {@value #TLS}, {@value #TTFB}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region, Vantage</td><td>phase time, when the phase happened</td></tr>
 *   <tr><td>{@value #SUCCESS}</td><td>None</td><td>Api, Check, AccessPath, Region, Vantage; and Api, Region</td><td>1 passed, 0 failed</td></tr>
 *   <tr><td>{@value #ERRORS}</td><td>Count</td><td>Api, Region, ErrorClass</td><td>1 per request that ended in an error class, expected or not</td></tr>
 *   <tr><td>{@value #SERVED_REGION}</td><td>Count</td><td>Api, Check, ServingRegion</td><td>1 per answer naming the region that served it</td></tr>
 *   <tr><td>{@value #CERT_DAYS}</td><td>None</td><td>Host</td><td>days until the certificate expires, 0 when expired</td></tr>
 *   <tr><td>{@value #STREAM_FIRST_BYTE}, {@value #STREAM_LAST_BYTE}, {@value #STREAM_MAX_GAP}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region, Vantage</td><td>streamed answers only: time to the first body byte, to the last byte (a stream cut short has none), longest time between chunks</td></tr>
 *   <tr><td>{@value #MESSAGE_ROUND_TRIP}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region, Vantage</td><td>WebSocket: one per message answered, send to reply</td></tr>
 *   <tr><td>{@value #PUSH_LATENCY}</td><td>Milliseconds</td><td>Api, Check, AccessPath, Region, Vantage</td><td>WebSocket: {@code @connections} POST sent to the push's arrival</td></tr>
 *   <tr><td>{@value #CLOSE_CODE}</td><td>Count</td><td>Api, Region, CloseCode</td><td>WebSocket: 1 per connection that ended with a close code</td></tr>
 * </table>
 * Latency and Success are recorded whether the check passed or not (a failure's latency is part of what clients see).
 * Phases that did not happen (a reused connection has no DNS, connect or TLS phase) are not recorded: null means
 * absent, never zero.
 */
public final class ProbeMetrics {

    /** Default CloudWatch namespace of canaries and probes. */
    public static final String DEFAULT_NAMESPACE = "vpcanary";
    /**
     * Default namespace of load runs: apart from canary metrics, so that alarms and Route 53 health checks built on
     * canary metrics never see load traffic.
     */
    public static final String LOAD_NAMESPACE = "vpcanary/load";

    public static final String LATENCY = "Latency";
    public static final String DNS = "DnsTime";
    public static final String CONNECT = "ConnectTime";
    public static final String TLS = "TlsTime";
    public static final String TTFB = "TimeToFirstByte";
    public static final String SUCCESS = "Success";
    public static final String ERRORS = "Errors";
    public static final String SERVED_REGION = "ServedRegion";
    public static final String CERT_DAYS = "CertificateDaysToExpiry";
    /** Streamed answers (API Gateway response streaming): from the request to the first byte of the body. */
    public static final String STREAM_FIRST_BYTE = "StreamFirstByte";
    /** Streamed answers: from the request to the end of the body. */
    public static final String STREAM_LAST_BYTE = "StreamLastByte";
    /** Streamed answers: the longest time between two arrivals of body bytes (the chunk cadence at its worst). */
    public static final String STREAM_MAX_GAP = "StreamMaxGap";
    public static final String MESSAGE_ROUND_TRIP = "MessageRoundTrip";
    public static final String PUSH_LATENCY = "PushLatency";
    public static final String CLOSE_CODE = "CloseCodes";

    public static final String D_API = "Api";
    public static final String D_CHECK = "Check";
    public static final String D_ACCESS_PATH = "AccessPath";
    public static final String D_REGION = "Region";
    public static final String D_ERROR_CLASS = "ErrorClass";
    public static final String D_SERVED_REGION = "ServingRegion";
    public static final String D_HOST = "Host";
    public static final String D_CLOSE_CODE = "CloseCode";
    /** {@code IPv6} on the per-target series of a check over IPv6 of a dual-stack name; absent for IPv4. */
    public static final String D_IP_FAMILY = "IpFamily";
    /**
     * The load run a metric belongs to ({@code vpcanary load run --run-id}): every injector of one run publishes the
     * same dimension sets with it, so CloudWatch merges their distributions.
     */
    public static final String D_RUN = "Run";
    /** Where the client stood: one canary per VPC runs the same checks from different places. */
    public static final String D_VANTAGE = "Vantage";

    /** The phase metrics in the order a request goes through them, with a short label for charts and tables. */
    public static final Map<String, String> PHASE_LABELS = phaseLabels();

    private static Map<String, String> phaseLabels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DNS, "DNS");
        m.put(CONNECT, "connect");
        m.put(TLS, "TLS");
        m.put(TTFB, "TTFB");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Metrics recorded per target (api × check × access path × region, from its vantage). */
    public static final List<String> PER_TARGET = List.of(LATENCY, DNS, CONNECT, TLS, TTFB, SUCCESS);
    /** Metrics also recorded per API and region, across checks and access paths. */
    public static final List<String> PER_API_REGION = List.of(LATENCY, SUCCESS);

    private ProbeMetrics() {
    }

    /**
     * Records one outcome as the catalogue says: every phase that happened, success 0/1, the error class and the
     * served region; and, when a TLS handshake completed, the days left on the certificate of the URL's host
     * (fractional days at {@code now}, clamped at 0). This is the one mapping from an {@link Outcome} to samples, for
     * probes and load runs alike: one latency sample per request, none invented (no coordinated-omission back-fill:
     * see docs/metrics.md for why an open-model load run needs none).
     */
    public static void record(Recorder recorder, Outcome o, Instant now) {
        Target t = o.target();
        TargetSeries series = TargetSeries.of(t);
        Map<String, String> target = series.target;
        Phases p = o.phases();
        if (p.totalMs() != null) {
            recorder.record(series.latency, p.totalMs());
            recorder.record(series.apiRegionLatency, p.totalMs());
        }
        phase(recorder, DNS, target, p.dnsMs());
        phase(recorder, CONNECT, target, p.connectMs());
        phase(recorder, TLS, target, p.tlsMs());
        phase(recorder, TTFB, target, p.ttfbMs());
        double ok = o.passed() ? 1 : 0;
        recorder.record(series.success, ok);
        recorder.record(series.apiRegionSuccess, ok);
        if (o.errorClass() != null) {
            recorder.record(Series.of(ERRORS, MetricUnit.COUNT,
                    Map.of(D_API, t.api(), D_REGION, t.region(), D_ERROR_CLASS, o.errorClass().name())), 1);
        }
        if (o.servedRegion() != null) {
            recorder.record(series.servedRegion(o.servedRegion()), 1);
        }
        if (o.stream() != null) {
            phase(recorder, STREAM_FIRST_BYTE, target, o.stream().firstByteMs());
            phase(recorder, STREAM_LAST_BYTE, target, o.stream().lastByteMs());
            phase(recorder, STREAM_MAX_GAP, target, o.stream().maxGapMs());
        }
        if (o.webSocket() != null) {
            WebSocketExchange ws = o.webSocket();
            ws.roundTripsMs().forEach(ms -> recordMessageRoundTrip(recorder, target, ms));
            if (ws.pushMs() != null) {
                recorder.record(Series.of(PUSH_LATENCY, MetricUnit.MILLISECONDS, target), ws.pushMs());
            }
            if (ws.closeCode() != null) {
                recordCloseCode(recorder, t.api(), t.region(), ws.closeCode());
            }
        }
        if (o.certificateNotAfter() != null) {
            double days = Duration.between(now, o.certificateNotAfter()).toMillis() / 86_400_000.0;
            recordCertificateDaysToExpiry(recorder, t.url().getHost(), days);
        }
    }

    /**
     * The series every outcome of one target records into, made once per target rather than per outcome (a load run
     * records thousands of outcomes per second; building their dimension maps was a tenth of its work): they depend
     * only on the target's api, check, access path, region and vantage. Interned in a map of at most
     * {@value #LIMIT} targets, emptied when full.
     */
    static final class TargetSeries {
        static final int LIMIT = 4096;
        private static final Map<List<String>, TargetSeries> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

        final Map<String, String> target;
        final Series latency;
        final Series apiRegionLatency;
        final Series success;
        final Series apiRegionSuccess;
        private final String api;
        private final String check;
        /** The served-region series last recorded for this target (answers come from one region most of the time). */
        private volatile Series lastServed;

        private TargetSeries(Target t) {
            api = t.api();
            check = t.check();
            target = java.util.Collections.unmodifiableMap(targetDimensions(t));
            Map<String, String> apiRegion = apiRegionDimensions(t.api(), t.region());
            latency = Series.of(LATENCY, MetricUnit.MILLISECONDS, target);
            apiRegionLatency = Series.of(LATENCY, MetricUnit.MILLISECONDS, apiRegion);
            success = Series.of(SUCCESS, MetricUnit.NONE, target);
            apiRegionSuccess = Series.of(SUCCESS, MetricUnit.NONE, apiRegion);
        }

        static TargetSeries of(Target t) {
            // Arrays.asList: a null vantage is an error Series reports, not one of the key's
            List<String> key = java.util.Arrays.asList(t.api(), t.check(), t.accessPath().name(), t.region(),
                    t.vantage(), t.family() == io.vpcanary.access.AddressFamily.IPV6 ? "IPv6" : null);
            TargetSeries known = KNOWN.get(key);
            if (known == null) {
                known = new TargetSeries(t);
                if (KNOWN.size() >= LIMIT) {
                    KNOWN.clear();
                }
                KNOWN.put(key, known);
            }
            return known;
        }

        Series servedRegion(String servingRegion) {
            Series last = lastServed;
            if (last == null || !servingRegion.equals(last.dimensions().get(D_SERVED_REGION))) {
                last = Series.of(SERVED_REGION, MetricUnit.COUNT,
                        Map.of(D_API, api, D_CHECK, check, D_SERVED_REGION, servingRegion));
                lastServed = last;
            }
            return last;
        }
    }

    /** Counts one answer of {@code api} served by {@code servingRegion}, for {@code check} (a check, or a routing domain). */
    public static void recordServedRegion(Recorder recorder, String api, String check, String servingRegion) {
        recorder.record(Series.of(SERVED_REGION, MetricUnit.COUNT,
                Map.of(D_API, api, D_CHECK, check, D_SERVED_REGION, servingRegion)), 1);
    }

    /**
     * Records one WebSocket message's round trip (send to reply) under the per-target dimensions
     * ({@link #targetDimensions}): the probe records each message of an outcome, and a load run each message it awaits.
     */
    public static void recordMessageRoundTrip(Recorder recorder, Map<String, String> target, double ms) {
        recorder.record(Series.of(MESSAGE_ROUND_TRIP, MetricUnit.MILLISECONDS, target), ms);
    }

    /** Records that a WebSocket connection of {@code api} in {@code region} ended with {@code code}. */
    public static void recordCloseCode(Recorder recorder, String api, String region, int code) {
        recorder.record(Series.of(CLOSE_CODE, MetricUnit.COUNT,
                Map.of(D_API, api, D_REGION, region, D_CLOSE_CODE, Integer.toString(code))), 1);
    }

    /**
     * Records the days left on a TLS certificate; an expired certificate records 0, since CloudWatch percentiles
     * need non-negative values and "expired" is what an alarm on {@code Minimum <= N} must see.
     */
    public static void recordCertificateDaysToExpiry(Recorder recorder, String host, double days) {
        recorder.record(Series.of(CERT_DAYS, MetricUnit.NONE, Map.of(D_HOST, host)), Math.max(0, days));
    }

    /** The dimensions of a per-target series, in catalogue order. */
    /**
     * The per-target dimensions of {@code t}: {@link #targetDimensions(String, String, String, String, String)}, and
     * {@code IpFamily=IPv6} for a check over IPv6 (a check over IPv4 keeps the dimensions it always had, so dashboards
     * and alarms of IPv4 targets see no change).
     */
    public static Map<String, String> targetDimensions(Target t) {
        Map<String, String> d = targetDimensions(t.api(), t.check(), t.accessPath().name(), t.region(), t.vantage());
        if (t.family() == io.vpcanary.access.AddressFamily.IPV6) {
            d.put(D_IP_FAMILY, t.family().label());
        }
        return d;
    }

    public static Map<String, String> targetDimensions(String api, String check, String accessPath, String region,
                                                       String vantage) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(D_API, api);
        d.put(D_CHECK, check);
        d.put(D_ACCESS_PATH, accessPath);
        d.put(D_REGION, region);
        d.put(D_VANTAGE, vantage);
        return d;
    }

    /** The dimensions of a per-API-and-region rollup ({@link #PER_API_REGION}), in catalogue order. */
    public static Map<String, String> apiRegionDimensions(String api, String region) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(D_API, api);
        d.put(D_REGION, region);
        return d;
    }

    private static void phase(Recorder recorder, String name, Map<String, String> dims, Double ms) {
        if (ms != null) {
            recorder.record(Series.of(name, MetricUnit.MILLISECONDS, dims), ms);
        }
    }
}
