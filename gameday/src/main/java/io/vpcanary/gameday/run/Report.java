package io.vpcanary.gameday.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a game day measured, beside what the configuration implies. Every time is in seconds with millisecond
 * precision, from the monotonic clock; each probe is stamped when it was sent, so a measurement is exact to the probing
 * interval ({@link Bounds#samplingSeconds()}).
 *
 * @param name                    the plan's name
 * @param domain                  the routing domain
 * @param url                     what was probed
 * @param injector                the fault, in words
 * @param startedAt               when the game day started
 * @param primaryRegion           the region serving while healthy
 * @param injectedAt              seconds from the start to the fault, or null when it was never injected
 * @param restoredAt              seconds from the start to the restore, or null
 * @param timeToFirstErrorSeconds from the fault to the first failed probe, or null when none failed
 * @param timeToFailoverSeconds   from the fault to the first healthy answer from another region, or null
 * @param rtoSeconds              the recovery time: {@code timeToFailoverSeconds} (null when no failover was seen)
 * @param errorsDuringFault       failed probes between the fault and its restore
 * @param errorsAfterRestore      failed probes after the restore
 * @param timeToFailbackSeconds   from the restore to the first healthy answer from the primary region, or null
 * @param probes                  probes sent
 * @param servedRegions           healthy answers by region
 * @param errorClasses            failed probes by error class
 * @param signingRegionMismatches auth failures caused by a signing-region mismatch
 * @param bounds                  what the configuration implies
 * @param dnsCaches               the DNS caches in the clients' path
 * @param aborted                 why it stopped early, or null
 * @param restored                whether the fault was put back
 * @param restoreDetail           what the restore did, or why it failed
 * @param passed                  whether the game day met the plan's expectation (an RTO within expect.rtoSeconds
 *                                when given, else a failover seen) and restored
 * @param events                  the timeline
 * @param seconds                 per second: healthy answers by region and failures
 */
public record Report(String name, String domain, String url, String injector,
                     @com.fasterxml.jackson.databind.annotation.JsonSerialize(
                             using = com.fasterxml.jackson.databind.ser.std.ToStringSerializer.class) Instant startedAt,
                     String primaryRegion,
                     Double injectedAt, Double restoredAt, Double timeToFirstErrorSeconds, Double timeToFailoverSeconds,
                     Double rtoSeconds, long errorsDuringFault, long errorsAfterRestore, Double timeToFailbackSeconds,
                     long probes, Map<String, Long> servedRegions, Map<String, Long> errorClasses,
                     long signingRegionMismatches, Bounds bounds, List<String> dnsCaches, String aborted,
                     boolean restored, String restoreDetail, boolean passed, List<Event> events,
                     List<Second> seconds) {

    /** One event of the timeline, in milliseconds from the start. */
    public record Event(long tMillis, String what) {
    }

    /** One second of the timeline: healthy answers by region, and failures. */
    public record Second(long t, Map<String, Long> ok, long failed) {
    }

    /**
     * What the configuration implies for the failover, in seconds (lab time scale applied).
     *
     * @param detectionSeconds   health check interval × failure threshold, or alarm period × evaluation periods;
     *                           null when the primary has no health check (no failover expected)
     * @param route53ReadSeconds how long until Route 53 (the lab reading it from an endpoint) sees a changed health
     *                           check, 0 when it reads none
     * @param ttlSeconds         the record's TTL (the client keeps an answer that long)
     * @param clientCacheSeconds what client caches add beyond the TTL
     * @param samplingSeconds    the probing interval: the resolution of every measurement
     * @param expectedMaxSeconds the sum: the longest failover the configuration allows
     * @param timeScale          how many times faster the lab runs Route 53 and CloudWatch time (1 in AWS)
     */
    public record Bounds(Double detectionSeconds, double route53ReadSeconds, double ttlSeconds,
                         double clientCacheSeconds, double samplingSeconds, Double expectedMaxSeconds, int timeScale) {

        /** The bounds with their sum. */
        public static Bounds of(Double detection, double route53Read, double ttl, double clientCache, double sampling,
                                int timeScale) {
            return new Bounds(detection, route53Read, ttl, clientCache, sampling, detection == null ? null
                    : round(detection + route53Read + ttl + clientCache + sampling), timeScale);
        }
    }

    static Report of(GameDay.Settings s, Instant started, List<Sample> samples, List<Event> events, String aborted,
                     boolean restored, String restoreDetail) {
        Long inject = first(events, e -> e.what().startsWith("fault injected"));
        Long restore = first(events, e -> e.what().startsWith("fault restored"));
        String primary = s.primaryRegion();
        Double firstError = null;
        Double failover = null;
        Double failback = null;
        long errorsDuring = 0;
        long errorsAfter = 0;
        for (Sample x : samples) {
            if (inject != null && x.tMillis() >= inject) {
                boolean beforeRestore = restore == null || x.tMillis() < restore;
                if (!x.ok()) {
                    if (firstError == null) {
                        firstError = secs(x.tMillis() - inject);
                    }
                    if (beforeRestore) {
                        errorsDuring++;
                    } else {
                        errorsAfter++;
                    }
                } else if (failover == null && x.region() != null && !x.region().equals(primary)) {
                    failover = secs(x.tMillis() - inject);
                }
            }
            if (restore != null && x.tMillis() >= restore && x.ok() && primary.equals(x.region())
                    && failback == null) {
                failback = secs(x.tMillis() - restore);
            }
        }
        Map<String, Long> regions = new TreeMap<>();
        Map<String, Long> classes = new TreeMap<>();
        Map<Long, Map<String, Long>> okBySecond = new TreeMap<>();
        Map<Long, Long> failedBySecond = new TreeMap<>();
        for (Sample x : samples) {
            long sec = x.tMillis() / 1000;
            okBySecond.computeIfAbsent(sec, k -> new TreeMap<>());
            if (x.ok()) {
                String r = x.region() == null ? "unknown" : x.region();
                regions.merge(r, 1L, Long::sum);
                okBySecond.get(sec).merge(r, 1L, Long::sum);
            } else {
                classes.merge(String.valueOf(x.errorClass()), 1L, Long::sum);
                failedBySecond.merge(sec, 1L, Long::sum);
            }
        }
        List<Second> seconds = okBySecond.entrySet().stream()
                .map(e -> new Second(e.getKey(), e.getValue(), failedBySecond.getOrDefault(e.getKey(), 0L))).toList();
        Double expected = s.plan().expect() == null ? null : s.plan().expect().rtoSeconds();
        boolean passed = restored && aborted == null && failover != null
                && (expected == null || failover <= expected);
        return new Report(s.plan().name(), s.plan().domain(), s.url().toString(), s.injector().describe(), started,
                primary, inject == null ? null : secs(inject), restore == null ? null : secs(restore), firstError,
                failover, failover, errorsDuring, errorsAfter, failback, samples.size(), regions, classes,
                samples.stream().filter(Sample::signingMismatch).count(), s.bounds(), s.dnsCaches(), aborted,
                restored, restoreDetail, passed, List.copyOf(events), seconds);
    }

    private static Long first(List<Event> events, Predicate<Event> p) {
        return events.stream().filter(p).map(Event::tMillis).findFirst().orElse(null);
    }

    private static double secs(long millis) {
        return millis / 1000.0;
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** The metric the failover time is published as, in milliseconds, dimensions {@code Domain} and {@code GameDay}. */
    public static final String FAILOVER_TIME_METRIC = "GameDayFailoverTime";
    /** The metric the failback time is published as, likewise. */
    public static final String FAILBACK_TIME_METRIC = "GameDayFailbackTime";

    /** Records the failover and failback times (those seen) in {@code recorder}, stamped now. */
    public void record(io.vpcanary.metrics.Recorder recorder) {
        Map<String, String> dims = Map.of("Domain", domain, "GameDay", Objects.toString(name, domain));
        if (timeToFailoverSeconds != null) {
            recorder.record(io.vpcanary.metrics.Series.of(FAILOVER_TIME_METRIC,
                    io.vpcanary.metrics.MetricUnit.MILLISECONDS, dims), timeToFailoverSeconds * 1000);
        }
        if (timeToFailbackSeconds != null) {
            recorder.record(io.vpcanary.metrics.Series.of(FAILBACK_TIME_METRIC,
                    io.vpcanary.metrics.MetricUnit.MILLISECONDS, dims), timeToFailbackSeconds * 1000);
        }
    }

    /** The report as JSON (the fields above; times in seconds). */
    public String json() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.valueToTree(this);
        ArrayNode ev = root.putArray("events");
        for (Event e : events) {
            ev.addObject().put("t", secs(e.tMillis())).put("what", e.what());
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The measurements beside the bounds, and the timeline by second, for a terminal or the local report. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("game day ").append(Objects.toString(name, domain)).append(": ").append(injector).append('\n');
        line(sb, "time to first error", timeToFirstErrorSeconds, null);
        line(sb, "time to failover (RTO)", timeToFailoverSeconds, bounds.expectedMaxSeconds());
        sb.append(String.format("  %-26s %d during the fault, %d after the restore%n", "errors", errorsDuringFault,
                errorsAfterRestore));
        line(sb, "time to failback", timeToFailbackSeconds, null);
        sb.append(String.format("  bounds: detection %s s + Route 53 read %.3f s + TTL %.0f s + client caches %.0f s "
                        + "+ sampling %.3f s = %s s (time scale %d)%n",
                bounds.detectionSeconds() == null ? "none" : String.format("%.3f", bounds.detectionSeconds()),
                bounds.route53ReadSeconds(), bounds.ttlSeconds(), bounds.clientCacheSeconds(),
                bounds.samplingSeconds(), bounds.expectedMaxSeconds() == null ? "no failover expected"
                        : String.format("%.3f", bounds.expectedMaxSeconds()), bounds.timeScale()));
        dnsCaches.forEach(c -> sb.append("  DNS cache: ").append(c).append('\n'));
        if (signingRegionMismatches > 0) {
            sb.append("  ").append(signingRegionMismatches).append(" auth failures were a signing-region mismatch "
                    + "(sign with SigV4a, or for the region that answers)\n");
        }
        sb.append("  served: ").append(servedRegions).append("  failed: ").append(errorClasses).append('\n');
        sb.append("  timeline (per second: healthy answers by region, failures):\n");
        for (Second x : seconds) {
            sb.append(String.format("    %4d s  %-40s %s%n", x.t(), x.ok(), x.failed() == 0 ? "" : x.failed()
                    + " failed"));
        }
        sb.append("  ").append(aborted == null ? "" : "aborted: " + aborted + "; ")
                .append(restored ? "restored: " + restoreDetail : "NOT RESTORED: " + restoreDetail
                        + " (run 'vpcanary gameday restore')").append('\n');
        sb.append("  ").append(passed ? "PASS" : "FAIL").append('\n');
        return sb.toString();
    }

    private static void line(StringBuilder sb, String what, Double v, Double bound) {
        sb.append(String.format("  %-26s %s%s%n", what, v == null ? "not seen" : String.format("%.3f s", v),
                bound == null ? "" : String.format("   (configuration allows at most %.3f s)", bound)));
    }
}
