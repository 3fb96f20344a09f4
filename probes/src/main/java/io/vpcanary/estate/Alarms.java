package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The thresholds of an API's CloudWatch alarms and of the health alarms its routing records follow (docs/alarms.md).
 * Every field is optional; {@link #orDefaults()} fills in the defaults below.
 */
public record Alarms(
        @JsonPropertyDescription("The success-ratio alarm fires when the Average of Success {Api, Region} is below this. Default 0.99.") Double successRatio,
        @JsonPropertyDescription("The latency alarm fires when the p99 of Latency {Api, Region} is above this, in milliseconds. Default: the largest latencyBudgetMs of the API's checks that must succeed, else 2000.") Long p99Ms,
        @JsonPropertyDescription("One-minute periods the success-ratio and latency alarms evaluate. Default 5.") Integer periods,
        @JsonPropertyDescription("Of those periods, how many must breach to fire (M of N). Default 3.") Integer datapointsToAlarm,
        @JsonPropertyDescription("Routing domains: the health alarm (and so the Route 53 health check) fails when the success ratio is below this. Default 0.9.") Double failoverSuccessRatio,
        @JsonPropertyDescription("Routing domains: consecutive one-minute periods below failoverSuccessRatio before the health alarm fails. Default 3.") Integer failoverPeriods) {

    public static final double DEFAULT_SUCCESS_RATIO = 0.99;
    /** The p99 threshold of an API none of whose checks that must succeed has a latency budget. */
    public static final long DEFAULT_P99_MS = 2000;
    public static final int DEFAULT_PERIODS = 5;
    public static final int DEFAULT_DATAPOINTS_TO_ALARM = 3;
    public static final double DEFAULT_FAILOVER_SUCCESS_RATIO = 0.9;
    public static final int DEFAULT_FAILOVER_PERIODS = 3;

    /** The last part of a health alarm's default name. */
    public static final String HEALTH_SUFFIX = "health";

    /**
     * The default name of an alarm, the scheme of docs/metrics.md: {@code {prefix}-{api}-{region}-{suffix}}, the
     * prefix being the namespace with every character other than a letter, digit, {@code .}, {@code _} or {@code -}
     * replaced by {@code -} ({@code vpcanary-orders-us-east-1-health}).
     */
    public static String name(String namespace, String api, String region, String suffix) {
        return namespace.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + api + "-" + region + "-" + suffix;
    }

    /** The health alarm a routing record's health check follows: its {@code healthAlarm}, else the default name. */
    public static String healthAlarmName(String namespace, RoutingRecord record) {
        return record.healthAlarm() != null && !record.healthAlarm().isBlank() ? record.healthAlarm()
                : name(namespace, record.api(), record.region(), HEALTH_SUFFIX);
    }

    /** An API without an {@code alarms:} block. */
    public static final Alarms NONE = new Alarms(null, null, null, null, null, null);

    /**
     * These settings with every absent field at its default (datapointsToAlarm: 3, or every period when fewer are
     * evaluated); {@link #p99Ms()} stays absent when not given, since its default depends on the API's checks.
     */
    public Alarms orDefaults() {
        int n = periods == null ? DEFAULT_PERIODS : periods;
        return new Alarms(successRatio == null ? DEFAULT_SUCCESS_RATIO : successRatio, p99Ms, n,
                datapointsToAlarm == null ? Math.min(DEFAULT_DATAPOINTS_TO_ALARM, n) : datapointsToAlarm,
                failoverSuccessRatio == null ? DEFAULT_FAILOVER_SUCCESS_RATIO : failoverSuccessRatio,
                failoverPeriods == null ? DEFAULT_FAILOVER_PERIODS : failoverPeriods);
    }
}
