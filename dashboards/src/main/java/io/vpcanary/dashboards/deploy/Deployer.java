package io.vpcanary.dashboards.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.dashboards.CloudWatchDashboards;
import io.vpcanary.dashboards.alarms.AlarmPlan;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DashboardValidationMessage;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetDashboardResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutDashboardResponse;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AlarmIdentifier;
import software.amazon.awssdk.services.route53.model.CloudWatchRegion;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;
import software.amazon.awssdk.services.route53.model.InsufficientDataHealthStatus;

/**
 * Deploys what the dashboards module generates: CloudWatch dashboards (PutDashboard), alarms (PutMetricAlarm, each in
 * the region of the metrics it watches) and Route 53 health checks (CreateHealthCheck), through the AWS SDK with the
 * default credentials chain. Idempotent: what already exists as generated is left alone and reported
 * {@link Action#UNCHANGED}, so a second deploy changes nothing and says so.
 *
 * <ul>
 *   <li>A dashboard is unchanged when GetDashboard returns the same body (compared as JSON, not as text).
 *       CloudWatch's {@code DashboardValidationMessages} are returned with the change.</li>
 *   <li>An alarm is unchanged when DescribeAlarms returns one of that name with the same namespace, metric,
 *       dimensions, statistic, period, evaluation periods, datapoints to alarm, threshold, comparison, missing-data
 *       treatment and description.</li>
 *   <li>A health check is unchanged when one with its caller reference exists: the reference is a hash of everything
 *       the health check is ({@link AlarmPlan#callerReference}), so it need not be read back (moto, for one, drops a
 *       CLOUDWATCH_METRIC health check's alarm identifier when it stores it).</li>
 * </ul>
 */
public final class Deployer {

    /** What a deploy did to one resource. */
    public enum Action { CREATED, UPDATED, UNCHANGED }

    /**
     * One resource's change.
     *
     * @param kind     {@code dashboard}, {@code alarm} or {@code health check}
     * @param name     its name (a health check: its caller reference and the alarm it follows)
     * @param region   where it lives ({@code global} for Route 53)
     * @param action   what the deploy did
     * @param messages CloudWatch's validation messages for a dashboard, empty otherwise
     */
    public record Change(String kind, String name, String region, Action action, List<String> messages) {
        public Change {
            messages = List.copyOf(messages);
        }

        /** {@code dashboard vpcanary (us-east-1): created}, with any validation message after it. */
        public String line() {
            StringBuilder sb = new StringBuilder(kind + " " + name + " (" + region + "): "
                    + action.name().toLowerCase(java.util.Locale.ROOT));
            messages.forEach(m -> sb.append("\n  CloudWatch: ").append(m));
            return sb.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, CloudWatchClient> cloudWatch;
    private final Route53Client route53;
    private final Map<String, CloudWatchClient> clients = new HashMap<>();

    /**
     * @param cloudWatch a CloudWatch client for a region (called once per region)
     * @param route53    the Route 53 client
     */
    public Deployer(Function<String, CloudWatchClient> cloudWatch, Route53Client route53) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.route53 = Objects.requireNonNull(route53, "route53");
    }

    /**
     * SDK clients as {@code vpcanary dashboards deploy} builds them: region and credentials from the SDK's chains,
     * endpoints from the SDK's own settings ({@code AWS_ENDPOINT_URL_CLOUDWATCH}, {@code AWS_ENDPOINT_URL_ROUTE_53},
     * {@code AWS_ENDPOINT_URL}, a profile's {@code endpoint_url}) unless {@code endpoint} (an emulator) overrides them
     * for both services. The URL-connection HTTP client, as every vpcanary AWS client.
     */
    public static Deployer withSdkClients(URI endpoint) {
        Function<String, CloudWatchClient> cw = region -> {
            var b = CloudWatchClient.builder().region(Region.of(region))
                    .httpClientBuilder(UrlConnectionHttpClient.builder());
            if (endpoint != null) {
                b.endpointOverride(endpoint);
            }
            return b.build();
        };
        var r53 = Route53Client.builder().region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            r53.endpointOverride(endpoint);
        }
        return new Deployer(cw, r53.build());
    }

    /** Puts each dashboard in {@code region} unless it is there with the same body. */
    public List<Change> dashboards(List<CloudWatchDashboards.Dashboard> dashboards, String region) {
        CloudWatchClient cw = client(region);
        List<Change> out = new ArrayList<>();
        for (CloudWatchDashboards.Dashboard d : dashboards) {
            String existing = null;
            try {
                GetDashboardResponse got = cw.getDashboard(r -> r.dashboardName(d.name()));
                existing = got.dashboardBody();
            } catch (ResourceNotFoundException notThere) {
                // created below
            } catch (software.amazon.awssdk.services.cloudwatch.model.CloudWatchException e) {
                if (!"ResourceNotFound".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())
                        && e.statusCode() != 404) {
                    throw e;
                }
            }
            if (existing != null && sameJson(existing, d.bodyJson())) {
                out.add(new Change("dashboard", d.name(), region, Action.UNCHANGED, List.of()));
                continue;
            }
            PutDashboardResponse put = cw.putDashboard(r -> r.dashboardName(d.name()).dashboardBody(d.bodyJson()));
            List<String> messages = new ArrayList<>();
            for (DashboardValidationMessage m : put.dashboardValidationMessages()) {
                messages.add((m.dataPath() == null ? "" : m.dataPath() + ": ") + m.message());
            }
            out.add(new Change("dashboard", d.name(), region, existing == null ? Action.CREATED : Action.UPDATED,
                    messages));
        }
        return out;
    }

    /** Puts each alarm in its region unless one of its name is there as generated. */
    public List<Change> alarms(List<AlarmPlan.Alarm> alarms) {
        List<Change> out = new ArrayList<>();
        for (AlarmPlan.Alarm a : alarms) {
            CloudWatchClient cw = client(a.region());
            List<MetricAlarm> found = cw.describeAlarms(r -> r.alarmNames(a.alarmName())).metricAlarms();
            MetricAlarm existing = found.isEmpty() ? null : found.get(0);
            if (existing != null && same(existing, a)) {
                out.add(new Change("alarm", a.alarmName(), a.region(), Action.UNCHANGED, List.of()));
                continue;
            }
            cw.putMetricAlarm(r -> {
                r.alarmName(a.alarmName()).alarmDescription(a.alarmDescription()).namespace(a.namespace())
                        .metricName(a.metricName()).dimensions(dimensions(a)).period(a.period())
                        .evaluationPeriods(a.evaluationPeriods()).datapointsToAlarm(a.datapointsToAlarm())
                        .threshold(a.threshold()).comparisonOperator(a.comparisonOperator())
                        .treatMissingData(a.treatMissingData());
                if (a.statistic() != null) {
                    r.statistic(a.statistic());
                } else {
                    r.extendedStatistic(a.extendedStatistic());
                }
            });
            out.add(new Change("alarm", a.alarmName(), a.region(), existing == null ? Action.CREATED
                    : Action.UPDATED, List.of()));
        }
        return out;
    }

    /** Creates each health check unless one with its caller reference exists. */
    public List<Change> healthChecks(List<AlarmPlan.HealthCheck> healthChecks) {
        List<Change> out = new ArrayList<>();
        if (healthChecks.isEmpty()) {
            return out;
        }
        Set<String> existing = new HashSet<>();
        for (HealthCheck hc : route53.listHealthChecksPaginator(r -> { }).healthChecks()) {
            existing.add(hc.callerReference());
        }
        for (AlarmPlan.HealthCheck h : healthChecks) {
            String name = h.callerReference() + " following " + h.follows();
            if (existing.contains(h.callerReference())) {
                out.add(new Change("health check", name, "global", Action.UNCHANGED, List.of()));
                continue;
            }
            String id = route53.createHealthCheck(r -> r.callerReference(h.callerReference()).healthCheckConfig(c -> {
                c.type(HealthCheckType.fromValue(h.type())).inverted(h.inverted()).disabled(h.disabled());
                if (h.https() != null) {
                    c.fullyQualifiedDomainName(h.https().fullyQualifiedDomainName())
                            .resourcePath(h.https().resourcePath()).port(443).enableSNI(true)
                            .requestInterval(h.https().requestInterval())
                            .failureThreshold(h.https().failureThreshold());
                } else {
                    c.alarmIdentifier(AlarmIdentifier.builder()
                                    .region(CloudWatchRegion.fromValue(h.alarmIdentifier().region()))
                                    .name(h.alarmIdentifier().name()).build())
                            .insufficientDataHealthStatus(InsufficientDataHealthStatus.fromValue(
                                    h.insufficientDataHealthStatus()));
                }
            })).healthCheck().id();
            // the Name tag the console shows, and what `vpcanary routing audit` reads when an emulator dropped the alarm
            route53.changeTagsForResource(r -> r.resourceType(TagResourceType.HEALTHCHECK).resourceId(id)
                    .addTags(Tag.builder().key("Name").value(h.follows()).build()));
            existing.add(h.callerReference());
            out.add(new Change("health check", name, "global", Action.CREATED, List.of()));
        }
        return out;
    }

    private CloudWatchClient client(String region) {
        return clients.computeIfAbsent(region, cloudWatch);
    }

    private static List<Dimension> dimensions(AlarmPlan.Alarm a) {
        return a.dimensions().stream().map(d -> Dimension.builder().name(d.name()).value(d.value()).build()).toList();
    }

    private static boolean same(MetricAlarm m, AlarmPlan.Alarm a) {
        boolean statistic = a.statistic() != null
                ? m.statistic() == Statistic.fromValue(a.statistic())
                : Objects.equals(m.extendedStatistic(), a.extendedStatistic());
        return statistic
                && Objects.equals(m.namespace(), a.namespace())
                && Objects.equals(m.metricName(), a.metricName())
                && new HashSet<>(m.dimensions()).equals(new HashSet<>(dimensions(a)))
                && Objects.equals(m.period(), a.period())
                && Objects.equals(m.evaluationPeriods(), a.evaluationPeriods())
                && Objects.equals(m.datapointsToAlarm(), a.datapointsToAlarm())
                && m.threshold() != null && m.threshold() == a.threshold()
                && m.comparisonOperator() == ComparisonOperator.fromValue(a.comparisonOperator())
                && Objects.equals(m.treatMissingData(), a.treatMissingData())
                && Objects.equals(m.alarmDescription(), a.alarmDescription());
    }

    private static boolean sameJson(String a, String b) {
        try {
            return JSON.readTree(a).equals(JSON.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
