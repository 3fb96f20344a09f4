package io.vpcanary.gameday.audit;

import io.vpcanary.gameday.audit.Finding.Severity;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * The Route 53 audit ({@code vpcanary routing audit}): reads hosted zones, their routed record sets (failover,
 * weighted, latency), the health checks they name and the CloudWatch alarms those follow, and says what would keep a
 * failover from working or from meeting the RTO goal, each with a {@link Severity} and the fix. Reads only.
 *
 * <p>Rules ({@link Finding#rule()}):
 * <ul>
 *   <li>{@code FAILOVER_PAIR_INCOMPLETE} (ERROR): a failover name and type without exactly one PRIMARY and one
 *       SECONDARY.</li>
 *   <li>{@code PRIMARY_WITHOUT_HEALTH_CHECK} (ERROR): a PRIMARY with no health check (and, for an alias, not
 *       evaluating target health): Route 53 treats it as always healthy, so it never fails over.</li>
 *   <li>{@code HEALTH_CHECK_MISSING} (ERROR): a record names a health check that does not exist.</li>
 *   <li>{@code PRIVATE_TARGET_ENDPOINT_CHECK} (ERROR): an HTTP, HTTPS or TCP health check on a record of a private
 *       hosted zone or on a private address: Route 53's health checkers live on the internet and cannot reach it;
 *       such a check is always unhealthy (or, if nothing resolves, fails). Use a CLOUDWATCH_METRIC check.</li>
 *   <li>{@code HEALTH_ALARM_UNKNOWN} (WARNING): a CLOUDWATCH_METRIC check without an alarm identifier nor a
 *       {@code Name} tag naming its alarm (moto_server drops the identifier; AWS always has it).</li>
 *   <li>{@code HEALTH_ALARM_MISSING} (ERROR): the alarm a CLOUDWATCH_METRIC check follows does not exist.</li>
 *   <li>{@code HEALTH_ALARM_HIGH_RESOLUTION} (ERROR): the alarm's period is under 60 s: Route 53 needs
 *       standard-resolution alarms.</li>
 *   <li>{@code HEALTH_ALARM_STATISTIC} (ERROR): the alarm uses a percentile (extended statistic) or metric math:
 *       Route 53 accepts Average, Minimum, Maximum, Sum and SampleCount only.</li>
 *   <li>{@code INSUFFICIENT_DATA_HEALTHY} (WARNING): a PRIMARY's alarm-based check treats missing data as healthy:
 *       a canary that stops publishing (it is down with its region) keeps traffic on the primary.</li>
 *   <li>{@code TTL_OVER_RTO} (ERROR) and {@code DETECTION_OVER_RTO} (WARNING): the record's TTL alone, or TTL plus
 *       the health check's detection time (request interval × failure threshold; alarm period × evaluation
 *       periods), exceeds the RTO goal.</li>
 *   <li>{@code ALL_WEIGHTS_ZERO} (WARNING): every weighted record of a name has weight 0: Route 53 splits equally,
 *       rarely what was meant. {@code WEIGHTED_WITHOUT_HEALTH_CHECK} (WARNING): a weighted record without a health
 *       check keeps its share when its region is down.</li>
 *   <li>{@code ALIAS_TARGET_HEALTH_OFF} (WARNING): a routed alias record with neither a health check nor
 *       {@code EvaluateTargetHealth}.</li>
 *   <li>{@code HEALTH_CHECK_INVERTED} (WARNING) and {@code HEALTH_CHECK_DISABLED} (WARNING): a routed record's check
 *       is inverted (a game day left behind?) or disabled (always healthy).</li>
 * </ul>
 * Thread-compatible; one audit per call.
 */
public final class RoutingAudit {

    /** The statistics Route 53 accepts for an alarm-based health check. */
    static final Set<String> ACCEPTED_STATISTICS = Set.of("Average", "Minimum", "Maximum", "Sum", "SampleCount");

    private final Route53Client route53;
    private final Function<String, CloudWatchClient> cloudWatch;
    private final String defaultAlarmRegion;
    private final Duration rto;

    /**
     * @param route53            Route 53
     * @param cloudWatch         CloudWatch by region
     * @param defaultAlarmRegion the region of an alarm whose health check does not say (moto drops it)
     * @param rto                the recovery time objective the TTLs and detection must fit, or null for none
     */
    public RoutingAudit(Route53Client route53, Function<String, CloudWatchClient> cloudWatch,
                        String defaultAlarmRegion, Duration rto) {
        this.route53 = Objects.requireNonNull(route53, "route53");
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.defaultAlarmRegion = Objects.requireNonNull(defaultAlarmRegion, "defaultAlarmRegion");
        this.rto = rto;
    }

    /** What was audited and what was found. */
    public record Result(List<String> zones, int routedRecords, int healthChecks, List<Finding> findings) {
        public Result {
            zones = List.copyOf(zones);
            findings = List.copyOf(findings);
        }

        /** Findings of {@code severity}. */
        public long count(Severity severity) {
            return findings.stream().filter(f -> f.severity() == severity).count();
        }

        /**
         * The audit as JSON: {@code zones}, {@code routedRecords}, {@code healthChecks}, {@code rtoSeconds} (null
         * without a goal), {@code counts} by severity, and {@code findings} (severity, rule, zone, record,
         * setIdentifier, message, fix), most severe first.
         */
        public String json(Duration rto) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var root = mapper.createObjectNode();
            root.putPOJO("zones", zones);
            root.put("routedRecords", routedRecords);
            root.put("healthChecks", healthChecks);
            if (rto == null) {
                root.putNull("rtoSeconds");
            } else {
                root.put("rtoSeconds", rto.toSeconds());
            }
            var counts = root.putObject("counts");
            for (Severity s : Severity.values()) {
                counts.put(s.name(), count(s));
            }
            root.putPOJO("findings", findings);
            try {
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Audits the hosted zones named in {@code zones} (by name, with or without the trailing dot, or by id), or every
     * hosted zone when empty.
     *
     * @throws IllegalArgumentException when a named zone does not exist
     */
    public Result run(List<String> zones) {
        List<HostedZone> all = route53.listHostedZonesPaginator(r -> { }).hostedZones().stream().toList();
        List<HostedZone> chosen = new ArrayList<>();
        for (String want : zones) {
            String name = want.endsWith(".") ? want : want + ".";
            HostedZone z = all.stream().filter(h -> h.name().equalsIgnoreCase(name) || h.id().endsWith("/" + want)
                    || h.id().equals(want)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "no hosted zone '" + want + "' (zones: " + String.join(", ", all.stream().map(HostedZone::name)
                    .toList()) + ")"));
            chosen.add(z);
        }
        if (zones.isEmpty()) {
            chosen.addAll(all);
        }
        List<Finding> findings = new ArrayList<>();
        int routed = 0;
        Map<String, Optional<HealthCheck>> checks = new LinkedHashMap<>();
        for (HostedZone zone : chosen) {
            List<ResourceRecordSet> records = route53.listResourceRecordSetsPaginator(r -> r.hostedZoneId(zone.id()))
                    .resourceRecordSets().stream().filter(RoutingAudit::routed).toList();
            routed += records.size();
            Map<String, List<ResourceRecordSet>> byName = new LinkedHashMap<>();
            records.forEach(r -> byName.computeIfAbsent(r.name() + " " + r.typeAsString(), k -> new ArrayList<>())
                    .add(r));
            boolean privateZone = zone.config() != null && Boolean.TRUE.equals(zone.config().privateZone());
            for (Map.Entry<String, List<ResourceRecordSet>> e : byName.entrySet()) {
                new NameAudit(zone.name(), e.getKey(), e.getValue(), privateZone, checks, findings).run();
            }
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(f -> String.valueOf(f.record()))
                .thenComparing(f -> String.valueOf(f.setIdentifier())));
        return new Result(chosen.stream().map(HostedZone::name).toList(), routed,
                (int) checks.values().stream().filter(Optional::isPresent).count(), findings);
    }

    /** A record routed by a policy that can fail over or split: failover, weighted, latency. */
    private static boolean routed(ResourceRecordSet r) {
        return r.setIdentifier() != null && (r.failover() != null || r.weight() != null || r.region() != null);
    }

    /** The audit of one name and type: its records together. */
    private final class NameAudit {
        private final String zone;
        private final String key;
        private final List<ResourceRecordSet> records;
        private final boolean privateZone;
        private final Map<String, Optional<HealthCheck>> checks;
        private final List<Finding> findings;

        NameAudit(String zone, String key, List<ResourceRecordSet> records, boolean privateZone,
                  Map<String, Optional<HealthCheck>> checks, List<Finding> findings) {
            this.zone = zone;
            this.key = key;
            this.records = records;
            this.privateZone = privateZone;
            this.checks = checks;
            this.findings = findings;
        }

        void run() {
            List<ResourceRecordSet> failover = records.stream().filter(r -> r.failover() != null).toList();
            if (!failover.isEmpty()) {
                long primaries = failover.stream().filter(r -> r.failover() == ResourceRecordSetFailover.PRIMARY).count();
                long secondaries = failover.size() - primaries;
                if (primaries != 1 || secondaries != 1) {
                    add(Severity.ERROR, "FAILOVER_PAIR_INCOMPLETE", null, primaries + " PRIMARY and " + secondaries
                            + " SECONDARY records", primaries == 0 ? "add a PRIMARY record for " + key
                            : "add the SECONDARY record (the other region) for " + key);
                }
            }
            List<ResourceRecordSet> weighted = records.stream().filter(r -> r.weight() != null).toList();
            if (!weighted.isEmpty() && weighted.stream().allMatch(r -> r.weight() == 0)) {
                add(Severity.WARNING, "ALL_WEIGHTS_ZERO", null, "every weighted record has weight 0: Route 53 "
                        + "splits traffic equally among them", "give each record the share it should get (0-255)");
            }
            for (ResourceRecordSet r : records) {
                record(r);
            }
        }

        private void record(ResourceRecordSet r) {
            boolean primary = r.failover() == ResourceRecordSetFailover.PRIMARY;
            boolean alias = r.aliasTarget() != null;
            boolean evaluates = alias && Boolean.TRUE.equals(r.aliasTarget().evaluateTargetHealth());
            if (r.healthCheckId() == null) {
                if (primary && !evaluates) {
                    add(Severity.ERROR, "PRIMARY_WITHOUT_HEALTH_CHECK", r.setIdentifier(), "the PRIMARY record "
                            + "has no health check" + (alias ? " and does not evaluate target health" : "")
                            + ": Route 53 treats it as healthy and never fails over", privateZone
                            ? "associate a CLOUDWATCH_METRIC health check following the region's health alarm"
                            : "associate a health check (CLOUDWATCH_METRIC for a private target)");
                } else if (r.weight() != null && !evaluates) {
                    add(Severity.WARNING, "WEIGHTED_WITHOUT_HEALTH_CHECK", r.setIdentifier(), "a weighted record "
                            + "without a health check keeps its share of traffic when its region is down",
                            "associate the region's health check");
                }
                if (alias && !evaluates && r.failover() != null) {
                    add(Severity.WARNING, "ALIAS_TARGET_HEALTH_OFF", r.setIdentifier(), "a routed alias record "
                            + "with neither a health check nor EvaluateTargetHealth", "set EvaluateTargetHealth "
                            + "to true, or associate a health check");
                }
                ttl(r, null);
                return;
            }
            Optional<HealthCheck> found = checks.computeIfAbsent(r.healthCheckId(), this::healthCheck);
            if (found.isEmpty()) {
                add(Severity.ERROR, "HEALTH_CHECK_MISSING", r.setIdentifier(), "health check " + r.healthCheckId()
                        + " does not exist", "create it, or associate an existing one");
                ttl(r, null);
                return;
            }
            HealthCheck hc = found.get();
            HealthCheckConfig c = hc.healthCheckConfig();
            if (Boolean.TRUE.equals(c.inverted())) {
                add(Severity.WARNING, "HEALTH_CHECK_INVERTED", r.setIdentifier(), "health check " + hc.id()
                        + " is inverted: healthy reads as unhealthy", "set Inverted to false (vpcanary gameday "
                        + "restore puts back what a game day changed)");
            }
            if (Boolean.TRUE.equals(c.disabled())) {
                add(Severity.WARNING, "HEALTH_CHECK_DISABLED", r.setIdentifier(), "health check " + hc.id()
                        + " is disabled: Route 53 treats it as healthy", "enable it");
            }
            Duration detection = null;
            if (c.type() == HealthCheckType.CLOUDWATCH_METRIC) {
                detection = alarm(r, hc, primary);
            } else if (c.type() == HealthCheckType.HTTP || c.type() == HealthCheckType.HTTPS
                    || c.type() == HealthCheckType.HTTP_STR_MATCH || c.type() == HealthCheckType.HTTPS_STR_MATCH
                    || c.type() == HealthCheckType.TCP) {
                if (privateZone || privateAddress(c.ipAddress())) {
                    add(Severity.ERROR, "PRIVATE_TARGET_ENDPOINT_CHECK", r.setIdentifier(), c.typeAsString()
                            + " health check " + hc.id() + " on a private target" + (privateZone
                            ? " (private hosted zone)" : " (" + c.ipAddress() + ")") + ": Route 53's health "
                            + "checkers are on the internet and cannot reach it", "use a CLOUDWATCH_METRIC health "
                            + "check following an alarm on the canary's Success metric for that region");
                }
                int interval = c.requestInterval() == null ? 30 : c.requestInterval();
                int threshold = c.failureThreshold() == null ? 3 : c.failureThreshold();
                detection = Duration.ofSeconds((long) interval * threshold);
            }
            ttl(r, detection);
        }

        /** Checks the alarm behind an alarm-based check; answers its detection time, or null when unknown. */
        private Duration alarm(ResourceRecordSet r, HealthCheck hc, boolean primary) {
            HealthCheckConfig c = hc.healthCheckConfig();
            String name = c.alarmIdentifier() != null ? c.alarmIdentifier().name() : nameTag(hc.id()).orElse(null);
            String region = c.alarmIdentifier() != null && c.alarmIdentifier().region() != null
                    ? c.alarmIdentifier().regionAsString() : defaultAlarmRegion;
            if (primary && "Healthy".equals(c.insufficientDataHealthStatusAsString())) {
                add(Severity.WARNING, "INSUFFICIENT_DATA_HEALTHY", r.setIdentifier(), "health check " + hc.id()
                        + " treats missing data as healthy: a canary that stops publishing keeps traffic on the "
                        + "primary", "set InsufficientDataHealthStatus to Unhealthy (or LastKnownStatus)");
            }
            if (name == null) {
                add(Severity.WARNING, "HEALTH_ALARM_UNKNOWN", r.setIdentifier(), "CLOUDWATCH_METRIC health check "
                        + hc.id() + " names no alarm (no AlarmIdentifier, no Name tag)", "recreate it with its "
                        + "alarm, or tag it Name=<alarm name>");
                return null;
            }
            List<MetricAlarm> alarms = cloudWatch.apply(region).describeAlarms(b -> b.alarmNames(name))
                    .metricAlarms();
            if (alarms.isEmpty()) {
                add(Severity.ERROR, "HEALTH_ALARM_MISSING", r.setIdentifier(), "alarm '" + name + "' (" + region
                        + ") of health check " + hc.id() + " does not exist", "create the alarm (vpcanary alarms "
                        + "generate / dashboards deploy), or point the health check at an existing one");
                return null;
            }
            MetricAlarm a = alarms.getFirst();
            if (a.period() != null && a.period() < 60) {
                add(Severity.ERROR, "HEALTH_ALARM_HIGH_RESOLUTION", r.setIdentifier(), "alarm '" + name
                        + "' has a period of " + a.period() + " s (high resolution)", "use a period of 60 s or "
                        + "a multiple: Route 53 needs standard-resolution alarms");
            }
            if (a.extendedStatistic() != null || (a.metrics() != null && !a.metrics().isEmpty())
                    || (a.statistic() != null && !ACCEPTED_STATISTICS.contains(a.statisticAsString()))) {
                String what = a.extendedStatistic() != null ? "the statistic " + a.extendedStatistic()
                        : a.metrics() != null && !a.metrics().isEmpty() ? "metric math" : a.statisticAsString();
                add(Severity.ERROR, "HEALTH_ALARM_STATISTIC", r.setIdentifier(), "alarm '" + name + "' uses "
                        + what + ", which Route 53 does not accept", "use Average, Minimum, Maximum, Sum or "
                        + "SampleCount of one metric (Average of Success is the success ratio)");
            }
            int period = a.period() == null ? 60 : a.period();
            int evaluations = a.evaluationPeriods() == null ? 1 : a.evaluationPeriods();
            return Duration.ofSeconds((long) period * evaluations);
        }

        private void ttl(ResourceRecordSet r, Duration detection) {
            if (rto == null || r.ttl() == null) {
                return;
            }
            Duration ttl = Duration.ofSeconds(r.ttl());
            if (ttl.compareTo(rto) > 0) {
                add(Severity.ERROR, "TTL_OVER_RTO", r.setIdentifier(), "TTL " + r.ttl() + " s exceeds the RTO goal "
                        + rto.toSeconds() + " s on its own: clients keep the failed answer that long", "lower the "
                        + "TTL to at most " + Math.max(1, rto.minus(detection == null ? Duration.ZERO : detection)
                        .toSeconds()) + " s (60 s is AWS's usual choice for failover records)");
            } else if (detection != null && ttl.plus(detection).compareTo(rto) > 0) {
                add(Severity.WARNING, "DETECTION_OVER_RTO", r.setIdentifier(), "TTL " + r.ttl() + " s + detection "
                        + detection.toSeconds() + " s = " + ttl.plus(detection).toSeconds() + " s exceeds the RTO "
                        + "goal " + rto.toSeconds() + " s", "shorten detection (fewer evaluation periods or a lower "
                        + "failure threshold) or the TTL");
            }
        }

        private Optional<HealthCheck> healthCheck(String id) {
            try {
                return Optional.of(route53.getHealthCheck(b -> b.healthCheckId(id)).healthCheck());
            } catch (NoSuchHealthCheckException e) {
                return Optional.empty();
            }
        }

        private Optional<String> nameTag(String healthCheckId) {
            try {
                return route53.listTagsForResource(b -> b.resourceType(TagResourceType.HEALTHCHECK)
                                .resourceId(healthCheckId)).resourceTagSet().tags().stream()
                        .filter(t -> "Name".equals(t.key())).map(Tag::value).findFirst();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        private void add(Severity s, String rule, String set, String message, String fix) {
            findings.add(new Finding(s, rule, zone, key, set, message, fix));
        }
    }

    /** Whether {@code ip} is an RFC 1918, loopback or link-local address (null: no). */
    static boolean privateAddress(String ip) {
        if (ip == null || ip.isBlank() || !ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(ip); // a literal (checked above): no lookup
            return a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress()
                    || ip.toLowerCase(Locale.ROOT).startsWith("fd");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
