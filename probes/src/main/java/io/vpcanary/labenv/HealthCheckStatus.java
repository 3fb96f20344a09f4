package io.vpcanary.labenv;

import java.time.Instant;

/**
 * The status of one routing record's health check in a running lab, as Route 53 would report it
 * ({@link LabControl#healthChecks()}).
 *
 * @param domain            the routing domain
 * @param setIdentifier     the record's SetIdentifier
 * @param api               the record's API
 * @param region            the record's region
 * @param type              CLOUDWATCH_METRIC, HTTPS or NONE
 * @param healthy           what Route 53 takes it for (Inverted and Disabled applied)
 * @param observedHealthy   the last observation before Inverted and Disabled (null before the first)
 * @param inverted          Route 53's Inverted
 * @param disabled          Route 53's Disabled
 * @param alarm             CLOUDWATCH_METRIC: the health alarm's name
 * @param alarmState        CLOUDWATCH_METRIC: OK, ALARM or INSUFFICIENT_DATA as the lab evaluates it (null when not
 *                          evaluated)
 * @param route53HealthCheckId the Route 53 health check id when loaded from a Route 53 endpoint, else null
 * @param since             when {@code healthy} last changed (the lab's start for a status that never changed)
 */
public record HealthCheckStatus(String domain, String setIdentifier, String api, String region, String type,
                                boolean healthy, Boolean observedHealthy, boolean inverted, boolean disabled,
                                String alarm, String alarmState, String route53HealthCheckId, Instant since) {
}
