package io.vpcanary.dashboards;

import io.vpcanary.metrics.ProbeMetrics;
import java.util.regex.Pattern;

/**
 * What a generated dashboard reads and what it is called.
 *
 * @param namespace     the CloudWatch namespace the metrics are published under: {@value ProbeMetrics#DEFAULT_NAMESPACE}
 *                      for canaries and probes, {@value ProbeMetrics#LOAD_NAMESPACE} for load runs
 * @param name          the dashboard name, and the prefix of the per-API dashboards when an estate needs more than one
 *                      (CloudWatch allows letters, digits, {@code -} and {@code _}, up to 255 characters)
 * @param periodSeconds the period of every graph: a positive multiple of 60 (the catalogue is published at standard
 *                      resolution unless a runner chooses 1 s)
 * @throws IllegalArgumentException with one line naming the setting, for anything CloudWatch would refuse
 */
public record DashboardSettings(String namespace, String name, int periodSeconds) {

    /** The default dashboard name. */
    public static final String DEFAULT_NAME = "vpcanary";
    /** The default period of every graph, in seconds. */
    public static final int DEFAULT_PERIOD_SECONDS = 60;

    /** CloudWatch's dashboard names; 180 leaves room for the {@code -api} suffix of split dashboards. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,180}");

    public DashboardSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the metric namespace must not be blank");
        }
        if (namespace.contains("\"") || namespace.contains("'")) {
            throw new IllegalArgumentException("the metric namespace must not contain quotes (SEARCH expressions "
                    + "quote it), got " + namespace);
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the dashboard name may hold only letters, digits, - and _ (1 to 180), "
                    + "got '" + name + "'");
        }
        if (periodSeconds < 60 || periodSeconds % 60 != 0) {
            throw new IllegalArgumentException("the period must be a positive multiple of 60 seconds, got "
                    + periodSeconds);
        }
    }

    /** The canary namespace, the default name, one-minute graphs. */
    public static DashboardSettings defaults() {
        return new DashboardSettings(ProbeMetrics.DEFAULT_NAMESPACE, DEFAULT_NAME, DEFAULT_PERIOD_SECONDS);
    }
}
