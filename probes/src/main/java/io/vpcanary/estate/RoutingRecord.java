package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One record of a routing domain: an API region it sends clients to. */
public record RoutingRecord(
        @JsonPropertyDescription("Name of the API (apis[].name).") String api,
        @JsonPropertyDescription("Region of that API.") String region,
        @JsonPropertyDescription("FAILOVER only: PRIMARY or SECONDARY.") String role,
        @JsonPropertyDescription("WEIGHTED only: relative weight, 0 to 255.") Integer weight,
        @JsonPropertyDescription("CloudWatch alarm the record's health check follows, if any.") String healthAlarm,
        @JsonPropertyDescription("Route 53 SetIdentifier of the record. Default {api}-{region}.") String setIdentifier,
        @JsonPropertyDescription("The record's Route 53 health check. Default: CLOUDWATCH_METRIC following the health alarm.") HealthCheck healthCheck,
        @JsonPropertyDescription("Aliases only: whether Route 53 evaluates the health of the alias target (the VPC endpoint or regional front door) too. Default false.") Boolean evaluateTargetHealth) {

    /** A record with the default set identifier and health check. */
    public RoutingRecord(String api, String region, String role, Integer weight, String healthAlarm) {
        this(api, region, role, weight, healthAlarm, null, null, null);
    }

    /** Its SetIdentifier: the given one, else {@code {api}-{region}}. */
    public String setId() {
        return setIdentifier != null && !setIdentifier.isBlank() ? setIdentifier : api + "-" + region;
    }

    /** Its health check, with the defaults filled in. */
    public HealthCheck check() {
        return (healthCheck == null ? HealthCheck.DEFAULT : healthCheck).orDefaults();
    }

    /** Whether an alias record of it evaluates its target's health. */
    public boolean evaluatesTargetHealth() {
        return evaluateTargetHealth != null && evaluateTargetHealth;
    }

    /** The type of a record's Route 53 health check. */
    public enum HealthCheckType {
        /** Alarm-based: follows the record's health alarm (the only kind that can watch a private target). */
        CLOUDWATCH_METRIC,
        /** Route 53's checkers request {@code /ping} on the target over HTTPS. */
        HTTPS,
        /** No health check: Route 53 takes the record as healthy. */
        NONE
    }

    /**
     * A record's Route 53 health check.
     *
     * @param type                         CLOUDWATCH_METRIC (default), HTTPS or NONE
     * @param intervalSeconds              HTTPS: 10 or 30 (default 30)
     * @param failureThreshold             HTTPS: consecutive results that change the status, 1 to 10 (default 3)
     * @param insufficientDataHealthStatus CLOUDWATCH_METRIC: Healthy, Unhealthy (default) or LastKnownStatus
     * @param inverted                     Route 53's Inverted: healthy and unhealthy swapped
     * @param disabled                     Route 53's Disabled: always healthy
     */
    public record HealthCheck(
            @JsonPropertyDescription("CLOUDWATCH_METRIC (default: follows the record's health alarm), HTTPS (/ping on the target) or NONE.") HealthCheckType type,
            @JsonPropertyDescription("HTTPS: seconds between checks, 10 or 30. Default 30.") Integer intervalSeconds,
            @JsonPropertyDescription("HTTPS: consecutive failures (or successes) that change the status, 1 to 10. Default 3.") Integer failureThreshold,
            @JsonPropertyDescription("CLOUDWATCH_METRIC: the status while the alarm has insufficient data: Healthy, Unhealthy or LastKnownStatus. Default Unhealthy.") String insufficientDataHealthStatus,
            @JsonPropertyDescription("Inverted: healthy and unhealthy swapped. Default false.") Boolean inverted,
            @JsonPropertyDescription("Disabled: Route 53 takes the check as healthy. Default false.") Boolean disabled) {

        /** What a record without a {@code healthCheck} gets. */
        public static final HealthCheck DEFAULT = new HealthCheck(null, null, null, null, null, null);
        public static final int DEFAULT_INTERVAL_SECONDS = 30;
        public static final int DEFAULT_FAILURE_THRESHOLD = 3;
        /** The insufficient-data status of the health checks the estate generates (AlarmPlan's). */
        public static final String DEFAULT_INSUFFICIENT_DATA = "Unhealthy";

        /** This check with every absent field at its default. */
        public HealthCheck orDefaults() {
            return new HealthCheck(type == null ? HealthCheckType.CLOUDWATCH_METRIC : type,
                    intervalSeconds == null ? DEFAULT_INTERVAL_SECONDS : intervalSeconds,
                    failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold,
                    insufficientDataHealthStatus == null ? DEFAULT_INSUFFICIENT_DATA : insufficientDataHealthStatus,
                    inverted != null && inverted, disabled != null && disabled);
        }
    }
}
