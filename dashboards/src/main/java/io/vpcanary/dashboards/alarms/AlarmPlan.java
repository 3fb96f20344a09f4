package io.vpcanary.dashboards.alarms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Alarms;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.metrics.AlarmRule;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CloudWatch alarms and Route 53 health checks of an estate (docs/alarms.md), as the fields of PutMetricAlarm
 * and CreateHealthCheck: what {@code vpcanary alarms generate} writes (as JSON and as a CloudFormation template, see
 * {@link AlarmTemplate}) and what a deployer sends.
 *
 * <ul>
 *   <li>Per API and region with at least one target: {@link Kind#SUCCESS_RATIO} (Average of {@code Success}
 *       {Api, Region} below the threshold) and {@link Kind#P99_LATENCY} (p99 of {@code Latency} {Api, Region} above
 *       it), each M of N one-minute periods.</li>
 *   <li>Per API region that a routing record names: {@link Kind#HEALTH}, a standard-resolution alarm on the Average
 *       of {@code Success} {Api, Region} over N of N one-minute periods (Route 53 evaluates the alarm's metric itself
 *       and knows no M of N), missing data breaching; and a {@link HealthCheck} of type CLOUDWATCH_METRIC following
 *       it, {@code InsufficientDataHealthStatus} {@value #INSUFFICIENT_DATA_HEALTH_STATUS} unless the record's
 *       {@code healthCheck} says otherwise (its Inverted and Disabled too). A record whose health check is HTTPS
 *       gets an HTTPS check of {@code /ping} on the API's execute-api name (regional APIs only) and no health alarm;
 *       one whose health check is NONE gets neither.</li>
 * </ul>
 * Every alarm lives in the region of the API region it watches: the canaries of that region publish its metrics
 * there. Names follow {@link #alarmName(String, String, String, Kind)}. Pure: the same estate and settings give the
 * same plan.
 *
 * @param namespace    the metric namespace every alarm watches
 * @param alarms       the alarms, in estate order: per API and region the success-ratio then the latency alarm, then
 *                     the health alarms in routing-domain order
 * @param healthChecks one per health alarm, in the same order
 */
public record AlarmPlan(String namespace, List<Alarm> alarms, List<HealthCheck> healthChecks) {

    /** One-minute periods: standard resolution, as Route 53 requires of a health alarm. */
    public static final int PERIOD_SECONDS = 60;
    /** What Route 53 assumes when the health alarm's metric has no data: see docs/alarms.md. */
    public static final String INSUFFICIENT_DATA_HEALTH_STATUS = "Unhealthy";

    public AlarmPlan {
        alarms = List.copyOf(alarms);
        healthChecks = List.copyOf(healthChecks);
    }

    /**
     * What the plan is generated with.
     *
     * @param namespace the namespace the canaries publish to ({@code vpcanary} by default; load runs publish
     *                  elsewhere so that they never move an alarm)
     */
    public record Settings(String namespace) {
        public static final Settings DEFAULT = new Settings(ProbeMetrics.DEFAULT_NAMESPACE);

        public Settings {
            if (namespace == null || namespace.isBlank()) {
                throw new IllegalArgumentException("the metric namespace must not be blank");
            }
            if (namespace.startsWith("AWS/")) {
                throw new IllegalArgumentException("namespace '" + namespace + "' is reserved for AWS services");
            }
        }
    }

    /** What an alarm watches. */
    public enum Kind {
        /** The success ratio of an API region falls below its threshold. */
        SUCCESS_RATIO("success"),
        /** The p99 latency of an API region rises above its threshold. */
        P99_LATENCY("p99"),
        /** The health alarm of an API region a routing record sends clients to, followed by a health check. */
        HEALTH(Alarms.HEALTH_SUFFIX);

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        /** The last part of the alarm's default name. */
        public String suffix() {
            return suffix;
        }
    }

    /** A metric dimension, as PutMetricAlarm's {@code Dimensions} entries. */
    public record Dimension(String name, String value) {
    }

    /**
     * One CloudWatch alarm: the fields of PutMetricAlarm (one of {@code statistic} and {@code extendedStatistic} is
     * null), and where and what for.
     *
     * @param region the region to create it in: the region of the API region it watches
     * @param kind   what it watches
     * @param api    the API it watches
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alarm(String region, Kind kind, String api, String alarmName, String alarmDescription,
                        String namespace, String metricName, List<Dimension> dimensions, String statistic,
                        String extendedStatistic, int period, int evaluationPeriods, int datapointsToAlarm,
                        double threshold, String comparisonOperator, String treatMissingData) {
        public Alarm {
            dimensions = List.copyOf(dimensions);
        }
    }

    /** Route 53's {@code AlarmIdentifier}: the alarm a CLOUDWATCH_METRIC health check follows. */
    public record AlarmIdentifier(String region, String name) {
    }

    /**
     * One Route 53 health check: the fields of CreateHealthCheck ({@code HealthCheckConfig}: type, alarm identifier,
     * insufficient-data status, inverted) and what it stands for.
     *
     * @param callerReference {@link #callerReference(AlarmIdentifier, String, boolean)}
     * @param api             the API region it reports on
     * @param region          the API's region (also the alarm's)
     * @param routingDomains  the routing domains with a record for that API region
     */
    public record HealthCheck(String callerReference, String type, AlarmIdentifier alarmIdentifier,
                              String insufficientDataHealthStatus, boolean inverted, String api, String region,
                              List<String> routingDomains, boolean disabled, Https https) {
        public HealthCheck {
            routingDomains = List.copyOf(routingDomains);
        }

        /** What the check follows, for people: its alarm, or the URL Route 53's checkers request. */
        public String follows() {
            return https != null ? "https://" + https.fullyQualifiedDomainName() + https.resourcePath()
                    : alarmIdentifier.name();
        }
    }

    /**
     * The HTTPS part of an HTTPS health check: Route 53's checkers request {@code resourcePath} of
     * {@code fullyQualifiedDomainName} on port 443 with SNI every {@code requestInterval} seconds; {@code
     * failureThreshold} results in a row change the status. Only a public name can be checked this way: a private
     * API's endpoint is out of the checkers' reach.
     */
    public record Https(String fullyQualifiedDomainName, String resourcePath, int requestInterval,
                        int failureThreshold) {
    }

    /**
     * The plan of {@code estate}.
     *
     * @param estate a loaded (validated) estate
     * @throws IllegalArgumentException when the estate has no check to run, when a routing record names an API region no check runs in (its health alarm
     *                                  would never have data), or when two alarms of one region would share a name
     */
    public static AlarmPlan of(Estate estate, Settings settings) {
        Map<String, Set<String>> regionsWithTargets = new LinkedHashMap<>();
        for (Target t : TargetPlanner.forAws(estate).targets()) {
            regionsWithTargets.computeIfAbsent(t.api(), k -> new LinkedHashSet<>()).add(t.region());
        }
        if (regionsWithTargets.isEmpty()) {
            throw new IllegalArgumentException("no API of the estate has a check to run: no metrics, nothing to alarm on");
        }
        String ns = settings.namespace();
        List<Alarm> alarms = new ArrayList<>();
        for (Api api : estate.apis()) {
            Set<String> withTargets = regionsWithTargets.getOrDefault(api.name(), Set.of());
            Alarms a = api.alarms().orDefaults();
            long p99 = p99Ms(api);
            for (var r : api.regions()) {
                if (!withTargets.contains(r.region())) {
                    continue;
                }
                alarms.add(alarm(ns, api.name(), r.region(), Kind.SUCCESS_RATIO,
                        alarmName(ns, api.name(), r.region(), Kind.SUCCESS_RATIO),
                        "The share of the checks of " + api.name() + " in " + r.region() + " that met their expectation "
                                + "was below " + a.successRatio() + " in " + a.datapointsToAlarm() + " of the last "
                                + a.periods() + " minutes. The per-target Success series (Check, AccessPath, "
                                + "Vantage) say which path fails; Errors by ErrorClass say how.",
                        ProbeMetrics.SUCCESS, "Average", null, a.periods(), a.datapointsToAlarm(),
                        a.successRatio(), "LessThanThreshold", "missing"));
                alarms.add(alarm(ns, api.name(), r.region(), Kind.P99_LATENCY,
                        alarmName(ns, api.name(), r.region(), Kind.P99_LATENCY),
                        "The p99 latency of " + api.name() + " in " + r.region() + " (every check, path and "
                                + "vantage) was above " + p99 + " ms in " + a.datapointsToAlarm() + " of the last "
                                + a.periods() + " minutes. The phases (DnsTime, ConnectTime, TlsTime, "
                                + "TimeToFirstByte) per target say where the time goes.",
                        ProbeMetrics.LATENCY, null, "p99", a.periods(), a.datapointsToAlarm(), p99,
                        "GreaterThanThreshold", "missing"));
            }
        }

        // one health alarm and health check per API region a routing record names, in routing-domain order
        Map<String, List<String>> domainsOf = new LinkedHashMap<>();
        Map<String, RoutingRecord> recordOf = new HashMap<>();
        Map<String, String> givenName = new HashMap<>();
        for (RoutingDomain d : estate.routingDomains()) {
            for (RoutingRecord rec : d.records()) {
                String key = rec.api() + "\n" + rec.region();
                recordOf.putIfAbsent(key, rec);
                List<String> domains = domainsOf.computeIfAbsent(key, k -> new ArrayList<>());
                if (!domains.contains(d.domain())) {
                    domains.add(d.domain());
                }
                if (rec.healthAlarm() != null && !rec.healthAlarm().isBlank()) {
                    givenName.putIfAbsent(key, rec.healthAlarm());
                }
            }
        }
        List<HealthCheck> checks = new ArrayList<>();
        for (var e : domainsOf.entrySet()) {
            RoutingRecord rec = recordOf.get(e.getKey());
            if (!regionsWithTargets.getOrDefault(rec.api(), Set.of()).contains(rec.region())) {
                throw new IllegalArgumentException("routing domain " + e.getValue().getFirst() + " sends clients to "
                        + rec.api() + " in " + rec.region() + ", where no check of the estate runs: its health alarm "
                        + "would never have data; add a check that runs there");
            }
            RoutingRecord.HealthCheck hc = rec.check();
            if (hc.type() == RoutingRecord.HealthCheckType.NONE) {
                continue; // Route 53 takes a record without a health check as healthy: nothing to follow
            }
            Api api = estate.api(rec.api()).orElseThrow();
            if (hc.type() == RoutingRecord.HealthCheckType.HTTPS) {
                if (api.isPrivate()) {
                    throw new IllegalArgumentException("routing domain " + e.getValue().getFirst() + ": the HTTPS "
                            + "health check of " + rec.api() + " in " + rec.region() + " cannot work: Route 53's "
                            + "checkers cannot reach a private API; give the record a CLOUDWATCH_METRIC health check");
                }
                Https https = new Https(api.region(rec.region()).orElseThrow().executeApiHost(), "/ping",
                        hc.intervalSeconds(), hc.failureThreshold());
                checks.add(new HealthCheck(callerReference(String.join("\n", "HTTPS", https.toString(),
                        Boolean.toString(hc.inverted()), Boolean.toString(hc.disabled()))), "HTTPS", null, null,
                        hc.inverted(), rec.api(), rec.region(), e.getValue(), hc.disabled(), https));
                continue;
            }
            // the one definition of the health alarm, which the lab evaluates too
            AlarmRule rule = AlarmRule.health(estate, rec, ns);
            String name = givenName.getOrDefault(e.getKey(), alarmName(ns, rec.api(), rec.region(), Kind.HEALTH));
            alarms.add(alarm(ns, rec.api(), rec.region(), Kind.HEALTH, name,
                    "Health of " + rec.api() + " in " + rec.region() + " for Route 53 (" + String.join(", ",
                            e.getValue()) + "): the success ratio of its checks was below " + rule.threshold()
                            + " for " + rule.evaluationPeriods() + " minutes in a row, or no canary reported. Its "
                            + "CLOUDWATCH_METRIC health check is then unhealthy and Route 53 sends clients elsewhere.",
                    rule.metric(), rule.statistic(), null, rule.evaluationPeriods(), rule.datapointsToAlarm(),
                    rule.threshold(), rule.comparison(), rule.treatMissingData()));
            AlarmIdentifier id = new AlarmIdentifier(rec.region(), name);
            String insufficient = hc.insufficientDataHealthStatus();
            String reference = hc.disabled()
                    ? callerReference(String.join("\n", id.region(), id.name(), insufficient,
                            Boolean.toString(hc.inverted()), "disabled"))
                    : callerReference(id, insufficient, hc.inverted());
            checks.add(new HealthCheck(reference, "CLOUDWATCH_METRIC", id, insufficient, hc.inverted(), rec.api(),
                    rec.region(), e.getValue(), hc.disabled(), null));
        }
        requireUniqueNames(alarms);
        return new AlarmPlan(ns, alarms, checks);
    }

    /**
     * The default name of an alarm: {@code {prefix}-{api}-{region}-{success|p99|health}}, the prefix being the
     * namespace with every character other than a letter, digit, {@code .}, {@code _} or {@code -} replaced by
     * {@code -} ({@code vpcanary-orders-us-east-1-success}). A routing record's {@code healthAlarm} replaces the
     * health alarm's name.
     */
    public static String alarmName(String namespace, String api, String region, Kind kind) {
        return Alarms.name(namespace, api, region, kind.suffix());
    }

    /**
     * A health check's caller reference: {@code vpcanary-} and the first 32 hex digits of the SHA-256 of its alarm
     * region, alarm name, insufficient-data status and inverted flag (41 characters; Route 53 allows 64). The same
     * health check always gets the same reference, so creating it again is idempotent; a changed one gets a new
     * reference.
     */
    public static String callerReference(AlarmIdentifier alarm, String insufficientDataHealthStatus, boolean inverted) {
        return callerReference(String.join("\n", alarm.region(), alarm.name(), insufficientDataHealthStatus,
                Boolean.toString(inverted)));
    }

    /** {@code vpcanary-} and 32 hex digits of the SHA-256 of a health check's canonical settings. */
    private static String callerReference(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "vpcanary-" + HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The p99 threshold of {@code api}: its {@code alarms.p99Ms}, else the largest latency budget of its checks that
     * must succeed, else {@link Alarms#DEFAULT_P99_MS}.
     */
    static long p99Ms(Api api) {
        if (api.alarms().p99Ms() != null) {
            return api.alarms().p99Ms();
        }
        return api.checks().stream()
                .filter(c -> !c.expect().expectsFailure())
                .map(Check::expect)
                .map(e -> e.latencyBudgetMs())
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .max().orElse(Alarms.DEFAULT_P99_MS);
    }

    private static Alarm alarm(String namespace, String api, String region, Kind kind, String name,
                               String description, String metric, String statistic, String extendedStatistic,
                               int periods, int datapoints, double threshold, String comparison, String missing) {
        return new Alarm(region, kind, api, name, description, namespace, metric,
                List.of(new Dimension(ProbeMetrics.D_API, api), new Dimension(ProbeMetrics.D_REGION, region)),
                statistic, extendedStatistic, PERIOD_SECONDS, periods, datapoints, threshold, comparison, missing);
    }

    private static void requireUniqueNames(List<Alarm> alarms) {
        Map<String, Alarm> seen = new HashMap<>();
        for (Alarm a : alarms) {
            Alarm other = seen.putIfAbsent(a.region() + "\n" + a.alarmName(), a);
            if (other != null) {
                throw new IllegalArgumentException("two alarms in " + a.region() + " would be named '"
                        + a.alarmName() + "' (" + other.kind() + " of " + other.api() + " and " + a.kind() + " of "
                        + a.api() + "): give the routing record another healthAlarm");
            }
        }
    }

    /** The plan as pretty-printed JSON with a trailing newline: the contract docs/alarms.md describes. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this)
                    .replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
