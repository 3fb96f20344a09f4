package io.vpcanary.dashboards.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.dashboards.CloudWatchDashboards;
import io.vpcanary.dashboards.DashboardSettings;
import io.vpcanary.dashboards.Estates;
import io.vpcanary.dashboards.alarms.AlarmPlan;
import io.vpcanary.estate.Estate;
import io.vpcanary.metrics.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * {@code vpcanary dashboards deploy}'s deployer against moto_server: the demo estate with a failover routing domain
 * (dashboards, success and p99 alarms per API region, health alarms and CLOUDWATCH_METRIC health checks) is created,
 * a second deploy changes nothing, and a changed threshold updates that alarm only. moto stores a CLOUDWATCH_METRIC
 * health check but drops its alarm identifier (FACTS.md), so the health checks are also checked as they went over the
 * wire: each CreateHealthCheck request the SDK sent, captured by an execution interceptor, carries the alarm's region
 * and name and the insufficient-data status, in Route 53's documented XML shape.
 */
class DeployerMotoTest {

    static MotoServer moto;
    static final List<String> route53Bodies = Collections.synchronizedList(new ArrayList<>());
    static final Map<String, CloudWatchClient> clients = new HashMap<>();
    static Route53Client route53;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        route53 = Route53Client.builder().region(Region.AWS_GLOBAL).endpointOverride(moto.uri())
                .credentialsProvider(MotoServer.FAKE).httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context,
                                                   ExecutionAttributes attributes) {
                        context.requestBody().ifPresent(body -> {
                            try (InputStream in = body.contentStreamProvider().newStream()) {
                                route53Bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                    }
                })).build();
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(CloudWatchClient::close);
        if (route53 != null) {
            route53.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    static Deployer deployer() {
        return new Deployer(region -> clients.computeIfAbsent(region, r -> CloudWatchClient.builder()
                .region(Region.of(r)).endpointOverride(moto.uri()).credentialsProvider(MotoServer.FAKE)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()), route53);
    }

    static List<Deployer.Change> deploy(Estate estate, AlarmPlan plan) {
        Deployer d = deployer();
        List<Deployer.Change> all = new ArrayList<>();
        all.addAll(d.dashboards(CloudWatchDashboards.generate(estate, DashboardSettings.defaults()), "us-east-1"));
        all.addAll(d.alarms(plan.alarms()));
        all.addAll(d.healthChecks(plan.healthChecks()));
        return all;
    }

    @Test
    void createsEverythingThenChangesNothingThenUpdatesOnlyWhatChanged() {
        Estate estate = Estates.demoWithOrdersFailover();
        AlarmPlan plan = AlarmPlan.of(estate, AlarmPlan.Settings.DEFAULT);
        assertThat(plan.healthChecks()).as("the failover domain's health checks").isNotEmpty();

        List<Deployer.Change> first = deploy(estate, plan);
        assertThat(first).isNotEmpty().allSatisfy(c -> assertThat(c.action()).as(c.line())
                .isEqualTo(Deployer.Action.CREATED));
        assertThat(first.stream().filter(c -> c.kind().equals("alarm")).count()).isEqualTo(plan.alarms().size());

        // in moto: the dashboard body as generated, every alarm in its region, every health check by reference
        CloudWatchDashboards.Dashboard dashboard = CloudWatchDashboards.generate(estate, DashboardSettings.defaults())
                .get(0);
        assertThat(clients.get("us-east-1").getDashboard(r -> r.dashboardName(dashboard.name())).dashboardBody())
                .isEqualTo(dashboard.bodyJson());
        for (AlarmPlan.Alarm a : plan.alarms()) {
            assertThat(clients.get(a.region()).describeAlarms(r -> r.alarmNames(a.alarmName())).metricAlarms())
                    .as(a.alarmName()).singleElement()
                    .satisfies(m -> assertThat(m.threshold()).isEqualTo(a.threshold()));
        }
        List<String> references = route53.listHealthChecks().healthChecks().stream()
                .map(h -> h.callerReference()).toList();
        plan.healthChecks().forEach(h -> assertThat(references).contains(h.callerReference()));

        // on the wire: Route 53's CreateHealthCheck XML with the alarm identifier moto does not keep
        AlarmPlan.HealthCheck h = plan.healthChecks().get(0);
        assertThat(route53Bodies).anySatisfy(body -> assertThat(body)
                .contains("<CallerReference>" + h.callerReference() + "</CallerReference>")
                .contains("<Type>CLOUDWATCH_METRIC</Type>")
                .contains("<AlarmIdentifier><Region>" + h.alarmIdentifier().region() + "</Region><Name>"
                        + h.alarmIdentifier().name() + "</Name></AlarmIdentifier>")
                .contains("<InsufficientDataHealthStatus>" + h.insufficientDataHealthStatus()
                        + "</InsufficientDataHealthStatus>"));

        // each health check carries the Name tag the console shows (and the audit reads where moto dropped the alarm)
        for (AlarmPlan.HealthCheck planned : plan.healthChecks()) {
            var stored = route53.listHealthChecks().healthChecks().stream()
                    .filter(c -> c.callerReference().equals(planned.callerReference())).findFirst().orElseThrow();
            assertThat(route53.listTagsForResource(r -> r.resourceType("healthcheck").resourceId(stored.id()))
                    .resourceTagSet().tags()).anySatisfy(t -> {
                        assertThat(t.key()).isEqualTo("Name");
                        assertThat(t.value()).isEqualTo(planned.alarmIdentifier().name());
                    });
        }

        List<Deployer.Change> second = deploy(estate, plan);
        assertThat(second).hasSameSizeAs(first).allSatisfy(c -> assertThat(c.action()).as(c.line())
                .isEqualTo(Deployer.Action.UNCHANGED));

        // one alarm's threshold changes: that alarm is updated, nothing else
        AlarmPlan.Alarm changed = plan.alarms().get(0);
        List<AlarmPlan.Alarm> alarms = new ArrayList<>(plan.alarms());
        alarms.set(0, new AlarmPlan.Alarm(changed.region(), changed.kind(), changed.api(), changed.alarmName(),
                changed.alarmDescription(), changed.namespace(), changed.metricName(), changed.dimensions(),
                changed.statistic(), changed.extendedStatistic(), changed.period(), changed.evaluationPeriods(),
                changed.datapointsToAlarm(), changed.threshold() / 2, changed.comparisonOperator(),
                changed.treatMissingData()));
        List<Deployer.Change> third = deployer().alarms(alarms);
        assertThat(third.get(0).action()).isEqualTo(Deployer.Action.UPDATED);
        assertThat(third.subList(1, third.size())).allSatisfy(c -> assertThat(c.action())
                .isEqualTo(Deployer.Action.UNCHANGED));
    }

    /** A record asking for an HTTPS health check of a regional API gets one, as Route 53 stores it. */
    @Test
    void anHttpsHealthCheckIsCreatedWithItsTargetAndSchedule() throws Exception {
        Estate estate = io.vpcanary.dashboards.alarms.AlarmPlanTestAccess.recordHealthChecks();
        AlarmPlan plan = AlarmPlan.of(estate, AlarmPlan.Settings.DEFAULT);
        AlarmPlan.HealthCheck https = plan.healthChecks().stream().filter(h -> h.https() != null).findFirst()
                .orElseThrow();
        deployer().healthChecks(List.of(https));
        var stored = route53.listHealthChecks().healthChecks().stream()
                .filter(h -> h.callerReference().equals(https.callerReference())).findFirst().orElseThrow();
        assertThat(stored.healthCheckConfig().typeAsString()).isEqualTo("HTTPS");
        assertThat(stored.healthCheckConfig().fullyQualifiedDomainName())
                .isEqualTo("paymnteast.execute-api.us-east-1.amazonaws.com");
        assertThat(stored.healthCheckConfig().resourcePath()).isEqualTo("/ping");
        assertThat(stored.healthCheckConfig().requestInterval()).isEqualTo(10);
        assertThat(stored.healthCheckConfig().failureThreshold()).isEqualTo(2);
        assertThat(stored.healthCheckConfig().inverted()).isTrue();
    }
}
