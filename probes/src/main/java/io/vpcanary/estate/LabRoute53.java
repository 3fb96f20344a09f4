package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the lab runs the routing domains' Route 53: its time scale, where it reads the health alarms' metrics from and,
 * optionally, the Route 53 API endpoint it loads the records and health checks from (docs/lab.md#route-53).
 *
 * @param timeScale          Route 53 and CloudWatch time runs this many times faster in the lab
 * @param namespace          metric namespace of the health alarms' {@code Success} metric
 * @param cloudWatchEndpoint URL of a CloudWatch API (such as moto_server) the health alarms' metrics are read from
 * @param route53Endpoint    URL of a Route 53 API (such as moto_server) the records and health checks are loaded from
 */
public record LabRoute53(
        @JsonPropertyDescription("Route 53 and CloudWatch time runs this many times faster in the lab: with 60, a 30 s health check interval is 0.5 s and a one-minute alarm period 1 s. 1 to 600; default 1 (real time).") Integer timeScale,
        @JsonPropertyDescription("Metric namespace of the health alarms (the canaries' namespace). Default vpcanary.") String namespace,
        @JsonPropertyDescription("URL of a CloudWatch API endpoint (such as moto_server on loopback) the lab reads the health alarms' metrics from. Absent: CLOUDWATCH_METRIC health checks are not evaluated and count as healthy.") String cloudWatchEndpoint,
        @JsonPropertyDescription("URL of a Route 53 API endpoint (such as moto_server on loopback): the lab loads each routing domain's records and health checks from its private hosted zone there, and re-reads them every health-check interval. Absent: the estate's records.") String route53Endpoint) {

    public static final LabRoute53 DEFAULT = new LabRoute53(null, null, null, null);
    public static final int MAX_TIME_SCALE = 600;

    public LabRoute53 {
        if (timeScale == null) {
            timeScale = 1;
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = "vpcanary";
        }
    }

    /** {@code awsSeconds} of Route 53 or CloudWatch time in the lab's time, in milliseconds (at least 1). */
    public long labMillis(double awsSeconds) {
        return Math.max(1, Math.round(awsSeconds * 1000 / timeScale));
    }
}
