/**
 * The CloudWatch alarms and Route 53 health checks of an estate, generated from it: {@link
 * io.vpcanary.dashboards.alarms.AlarmPlan} (the PutMetricAlarm and CreateHealthCheck fields, as JSON) and {@link
 * io.vpcanary.dashboards.alarms.AlarmTemplate} (the same as a CloudFormation template). {@code vpcanary alarms
 * generate} writes both; docs/alarms.md describes them.
 */
package io.vpcanary.dashboards.alarms;
