package io.vpcanary.dashboards.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vpcanary.dashboards.alarms.AlarmPlan.Alarm;
import io.vpcanary.dashboards.alarms.AlarmPlan.Kind;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.testing.PythonTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AlarmPlan} and {@link AlarmTemplate}. The demo estate has no routing domains, so the failover part runs on
 * the demo with a routing domain added here.
 */
class AlarmPlanTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** The demo estate, changed by {@code edit} on its tree. */
    static Estate demoWith(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = (ObjectNode) YAML.readTree(EstateLoader.demoText());
        edit.accept(tree);
        return EstateLoader.parse(Path.of("test-estate.yaml"), YAML.writeValueAsString(tree));
    }

    /** A FAILOVER domain for orders: us-east-1 primary (its health alarm named by the estate), us-west-2 secondary. */
    static void ordersFailover(ObjectNode tree) {
        try {
            tree.set("routingDomains", YAML.readTree("""
                    - domain: orders.internal.example.com
                      policy: FAILOVER
                      records:
                        - {api: orders, region: us-east-1, role: PRIMARY, healthAlarm: orders-east-health}
                        - {api: orders, region: us-west-2, role: SECONDARY}
                    - domain: orders-spread.internal.example.com
                      policy: WEIGHTED
                      records:
                        - {api: orders, region: us-west-2, weight: 10}
                    """));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Alarm alarm(AlarmPlan plan, String api, String region, Kind kind) {
        return plan.alarms().stream().filter(a -> a.api().equals(api) && a.region().equals(region) && a.kind() == kind)
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " alarm of " + api + " in " + region));
    }

    @Test
    void demoHasASuccessAndALatencyAlarmPerApiRegionWithChecksAndAHealthAlarmPerRoutedApiRegion() {
        AlarmPlan plan = AlarmPlan.of(EstateLoader.demo(), AlarmPlan.Settings.DEFAULT);
        assertThat(plan.alarms()).extracting(Alarm::alarmName).containsExactly(
                "vpcanary-orders-us-east-1-success", "vpcanary-orders-us-east-1-p99",
                "vpcanary-orders-us-west-2-success", "vpcanary-orders-us-west-2-p99",
                "vpcanary-inventory-us-east-1-success", "vpcanary-inventory-us-east-1-p99",
                "vpcanary-ledger-us-east-1-success", "vpcanary-ledger-us-east-1-p99",
                "vpcanary-payments-us-east-1-success", "vpcanary-payments-us-east-1-p99",
                "vpcanary-live-us-east-1-success", "vpcanary-live-us-east-1-p99",
                "vpcanary-orders-us-east-1-health", "vpcanary-orders-us-west-2-health");
        assertThat(plan.healthChecks()).as("one per API region the demo's two routing domains name").hasSize(2);

        Alarm success = alarm(plan, "orders", "us-west-2", Kind.SUCCESS_RATIO);
        assertThat(success.namespace()).isEqualTo("vpcanary");
        assertThat(success.metricName()).isEqualTo("Success");
        assertThat(success.dimensions()).containsExactly(new AlarmPlan.Dimension("Api", "orders"),
                new AlarmPlan.Dimension("Region", "us-west-2"));
        assertThat(success.statistic()).isEqualTo("Average");
        assertThat(success.extendedStatistic()).isNull();
        assertThat(List.of(success.period(), success.evaluationPeriods(), success.datapointsToAlarm()))
                .containsExactly(60, 5, 3);
        assertThat(success.threshold()).isEqualTo(0.99);
        assertThat(success.comparisonOperator()).isEqualTo("LessThanThreshold");
        assertThat(success.treatMissingData()).isEqualTo("missing");

        Alarm p99 = alarm(plan, "payments", "us-east-1", Kind.P99_LATENCY);
        assertThat(p99.metricName()).isEqualTo("Latency");
        assertThat(p99.statistic()).isNull();
        assertThat(p99.extendedStatistic()).isEqualTo("p99");
        assertThat(p99.threshold()).as("the largest latencyBudgetMs of payments' checks").isEqualTo(2000.0);
        assertThat(p99.comparisonOperator()).isEqualTo("GreaterThanThreshold");
    }

    @Test
    void latencyThresholdIsTheLargestBudgetOfChecksThatMustSucceedUnlessTheEstateGivesOne() throws Exception {
        Estate estate = demoWith(tree -> {
            ObjectNode orders = (ObjectNode) tree.at("/apis/0");
            ((ObjectNode) orders.at("/checks/0/expect")).put("latencyBudgetMs", 1200);
            // a negative check's budget is not a latency clients see
            ((ObjectNode) orders.at("/checks/1/expect")).put("latencyBudgetMs", 9000);
            ((ObjectNode) tree.at("/apis/1/checks/0/expect")).remove("latencyBudgetMs");
            tree.at("/apis/2").withObject("alarms").put("p99Ms", 750).put("successRatio", 0.95)
                    .put("periods", 10).put("datapointsToAlarm", 4);
        });
        AlarmPlan plan = AlarmPlan.of(estate, AlarmPlan.Settings.DEFAULT);
        assertThat(alarm(plan, "orders", "us-east-1", Kind.P99_LATENCY).threshold()).isEqualTo(1200.0);
        assertThat(alarm(plan, "inventory", "us-east-1", Kind.P99_LATENCY).threshold())
                .as("no budget: the default").isEqualTo(2000.0);
        Alarm ledgerP99 = alarm(plan, "ledger", "us-east-1", Kind.P99_LATENCY);
        assertThat(ledgerP99.threshold()).isEqualTo(750.0);
        assertThat(ledgerP99.evaluationPeriods()).isEqualTo(10);
        assertThat(ledgerP99.datapointsToAlarm()).isEqualTo(4);
        assertThat(alarm(plan, "ledger", "us-east-1", Kind.SUCCESS_RATIO).threshold()).isEqualTo(0.95);
    }

    @Test
    void anApiRegionWithoutChecksHasNoAlarms() throws Exception {
        Estate estate = demoWith(tree -> {
            ((ArrayNode) tree.at("/apis/0/checks")).forEach(c -> ((ObjectNode) c).putArray("regions").add("us-east-1"));
            tree.remove("routingDomains");
        });
        AlarmPlan plan = AlarmPlan.of(estate, AlarmPlan.Settings.DEFAULT);
        assertThat(plan.alarms()).noneMatch(a -> a.api().equals("orders") && a.region().equals("us-west-2"));
        assertThat(plan.alarms()).anyMatch(a -> a.api().equals("orders") && a.region().equals("us-east-1"));
    }

    @Test
    void routingRecordsGetAHealthAlarmRoute53AcceptsAndAHealthCheckFollowingIt() throws Exception {
        AlarmPlan plan = AlarmPlan.of(demoWith(AlarmPlanTest::ordersFailover), AlarmPlan.Settings.DEFAULT);
        List<Alarm> health = plan.alarms().stream().filter(a -> a.kind() == Kind.HEALTH).toList();
        assertThat(health).extracting(Alarm::alarmName)
                .as("the estate's healthAlarm, else the scheme; one per API region however many records name it")
                .containsExactly("orders-east-health", "vpcanary-orders-us-west-2-health");
        for (Alarm a : health) {
            // what Route 53 accepts of an alarm: standard resolution, Average (no percentiles); and N of N, since
            // Route 53 evaluates the metric itself and has no DatapointsToAlarm
            assertThat(a.statistic()).isEqualTo("Average");
            assertThat(a.extendedStatistic()).isNull();
            assertThat(a.period()).isEqualTo(60);
            assertThat(a.metricName()).isEqualTo("Success");
            assertThat(a.evaluationPeriods()).isEqualTo(3).isEqualTo(a.datapointsToAlarm());
            assertThat(a.threshold()).isEqualTo(0.9);
            assertThat(a.treatMissingData()).isEqualTo("breaching");
        }
        assertThat(plan.healthChecks()).hasSize(2);
        AlarmPlan.HealthCheck east = plan.healthChecks().getFirst();
        assertThat(east.type()).isEqualTo("CLOUDWATCH_METRIC");
        assertThat(east.alarmIdentifier()).isEqualTo(new AlarmPlan.AlarmIdentifier("us-east-1", "orders-east-health"));
        assertThat(east.insufficientDataHealthStatus()).isEqualTo("Unhealthy");
        assertThat(east.inverted()).isFalse();
        assertThat(east.routingDomains()).containsExactly("orders.internal.example.com");
        AlarmPlan.HealthCheck west = plan.healthChecks().get(1);
        assertThat(west.routingDomains())
                .containsExactly("orders.internal.example.com", "orders-spread.internal.example.com");
        assertThat(west.alarmIdentifier().region()).isEqualTo("us-west-2");
        // the documented rule, computed apart: sha256("us-east-1\norders-east-health\nUnhealthy\nfalse")[:32]
        assertThat(east.callerReference()).isEqualTo("vpcanary-64a3760be366739c0e51ab48c2276457")
                .isNotEqualTo(west.callerReference())
                .isEqualTo(AlarmPlan.of(demoWith(AlarmPlanTest::ordersFailover), AlarmPlan.Settings.DEFAULT)
                        .healthChecks().getFirst().callerReference());
    }

    @Test
    void theNamespaceIsWatchedAndPrefixesTheNames() {
        AlarmPlan plan = AlarmPlan.of(EstateLoader.demo(), new AlarmPlan.Settings("vpcanary/staging"));
        assertThat(plan.alarms()).allMatch(a -> a.namespace().equals("vpcanary/staging"));
        assertThat(plan.alarms().getFirst().alarmName()).isEqualTo("vpcanary-staging-orders-us-east-1-success");
        assertThatThrownBy(() -> new AlarmPlan.Settings(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AlarmPlan.Settings("AWS/ApiGateway"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void aRoutingRecordWhereNoCheckRunsOrAClashingNameIsRefused() throws Exception {
        Estate silent = demoWith(tree -> {
            ordersFailover(tree);
            ((ArrayNode) tree.at("/apis/0/checks")).forEach(c -> ((ObjectNode) c).putArray("regions").add("us-east-1"));
        });
        assertThatThrownBy(() -> AlarmPlan.of(silent, AlarmPlan.Settings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("routing domain orders.internal.example.com sends clients to orders in us-west-2, where no "
                        + "check of the estate runs: its health alarm would never have data; add a check that runs there");
        Estate clash = demoWith(tree -> {
            ordersFailover(tree);
            ((ObjectNode) tree.at("/routingDomains/0/records/0")).put("healthAlarm", "vpcanary-orders-us-east-1-p99");
        });
        assertThatThrownBy(() -> AlarmPlan.of(clash, AlarmPlan.Settings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two alarms in us-east-1 would be named 'vpcanary-orders-us-east-1-p99'");
    }

    @Test
    void theTemplateHoldsEachAlarmAndHealthCheckInItsRegion() throws Exception {
        AlarmPlan plan = AlarmPlan.of(demoWith(AlarmPlanTest::ordersFailover), AlarmPlan.Settings.DEFAULT);
        JsonNode t = YAML.readTree(AlarmTemplate.render(plan, "test-estate.yaml"));
        JsonNode resources = t.path("Resources");
        assertThat(resources.size()).isEqualTo(plan.alarms().size() + plan.healthChecks().size());
        JsonNode p99 = resources.path("OrdersUsWest2P99Alarm");
        assertThat(p99.path("Type").asText()).isEqualTo("AWS::CloudWatch::Alarm");
        assertThat(p99.path("Condition").asText()).isEqualTo("InUsWest2");
        assertThat(p99.at("/Properties/ExtendedStatistic").asText()).isEqualTo("p99");
        assertThat(p99.at("/Properties/Statistic").isMissingNode()).isTrue();
        JsonNode check = resources.path("OrdersUsEast1HealthCheck");
        assertThat(check.path("Type").asText()).isEqualTo("AWS::Route53::HealthCheck");
        assertThat(check.path("Condition").asText()).isEqualTo("InUsEast1");
        JsonNode config = check.at("/Properties/HealthCheckConfig");
        assertThat(config.path("Type").asText()).isEqualTo("CLOUDWATCH_METRIC");
        assertThat(config.at("/AlarmIdentifier/Region").asText()).isEqualTo("us-east-1");
        assertThat(config.at("/AlarmIdentifier/Name/Ref").asText()).isEqualTo("OrdersUsEast1HealthAlarm");
        assertThat(resources.at("/OrdersUsEast1HealthAlarm/Properties/AlarmName").asText())
                .isEqualTo("orders-east-health");
        assertThat(config.path("InsufficientDataHealthStatus").asText()).isEqualTo("Unhealthy");
        assertThat(config.path("Inverted").asBoolean(true)).isFalse();
        assertThat(t.at("/Outputs/OrdersUsWest2HealthCheckId/Value/Ref").asText()).isEqualTo("OrdersUsWest2HealthCheck");
        assertThat(t.at("/Conditions/InUsWest2/Fn::Equals/1").asText()).isEqualTo("us-west-2");
    }

    /** The failover template (the checked-in demo example has no health checks), through cfn-lint. */
    @Test
    void cfnLintAcceptsATemplateWithHealthChecks(@TempDir Path dir) throws Exception {
        AlarmPlan plan = AlarmPlan.of(demoWith(AlarmPlanTest::ordersFailover), AlarmPlan.Settings.DEFAULT);
        Path file = Files.writeString(dir.resolve("template.yaml"), AlarmTemplate.render(plan, "test-estate.yaml"));
        cfnLint(file);
    }

    static void cfnLint(Path file) throws Exception {
        Process p = new ProcessBuilder(PythonTools.path("cfn-lint").toString(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    /**
     * The payments API (regional) and orders (private) routed with each kind of Route 53 health check a record can
     * ask for: HTTPS on a regional API, NONE, and CLOUDWATCH_METRIC with its own insufficient-data status, Inverted and
     * Disabled; the plan, the template and cfn-lint follow the record.
     */
    static void recordHealthChecks(ObjectNode tree) {
        try {
            tree.set("routingDomains", YAML.readTree("""
                    - domain: pay.example.com
                      policy: WEIGHTED
                      records:
                        - api: payments
                          region: us-east-1
                          weight: 1
                          healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2, inverted: true}
                    - domain: orders.internal.example.com
                      policy: FAILOVER
                      records:
                        - api: orders
                          region: us-east-1
                          role: PRIMARY
                          healthCheck: {insufficientDataHealthStatus: LastKnownStatus, disabled: true}
                        - api: orders
                          region: us-west-2
                          role: SECONDARY
                          healthCheck: {type: NONE}
                    """));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachRecordsHealthCheckSettingsAreWhatIsPlannedAndTemplated(@TempDir Path dir) throws Exception {
        AlarmPlan plan = AlarmPlan.of(demoWith(AlarmPlanTest::recordHealthChecks), AlarmPlan.Settings.DEFAULT);
        assertThat(plan.healthChecks()).extracting(AlarmPlan.HealthCheck::api, AlarmPlan.HealthCheck::region,
                AlarmPlan.HealthCheck::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("payments", "us-east-1", "HTTPS"),
                org.assertj.core.groups.Tuple.tuple("orders", "us-east-1", "CLOUDWATCH_METRIC"));
        assertThat(plan.alarms()).filteredOn(a -> a.kind() == Kind.HEALTH).extracting(Alarm::api, Alarm::region)
                .as("no health alarm where nothing follows it (HTTPS, NONE)")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("orders", "us-east-1"));
        AlarmPlan.HealthCheck https = plan.healthChecks().getFirst();
        assertThat(https.https()).isEqualTo(new AlarmPlan.Https("paymnteast.execute-api.us-east-1.amazonaws.com",
                "/ping", 10, 2));
        assertThat(https.inverted()).isTrue();
        AlarmPlan.HealthCheck metric = plan.healthChecks().get(1);
        assertThat(metric.insufficientDataHealthStatus()).isEqualTo("LastKnownStatus");
        assertThat(metric.disabled()).isTrue();

        Path file = Files.writeString(dir.resolve("template.yaml"), AlarmTemplate.render(plan, "test-estate.yaml"));
        JsonNode resources = YAML.readTree(file.toFile()).path("Resources");
        JsonNode httpsConfig = resources.at("/PaymentsUsEast1HealthCheck/Properties/HealthCheckConfig");
        assertThat(httpsConfig.path("Type").asText()).isEqualTo("HTTPS");
        assertThat(httpsConfig.path("FullyQualifiedDomainName").asText())
                .isEqualTo("paymnteast.execute-api.us-east-1.amazonaws.com");
        assertThat(httpsConfig.path("RequestInterval").asInt()).isEqualTo(10);
        assertThat(httpsConfig.path("AlarmIdentifier").isMissingNode()).isTrue();
        JsonNode metricConfig = resources.at("/OrdersUsEast1HealthCheck/Properties/HealthCheckConfig");
        assertThat(metricConfig.path("Disabled").isMissingNode()).as("CloudFormation has no Disabled").isTrue();
        assertThat(YAML.readTree(file.toFile()).at("/Outputs/OrdersUsEast1HealthCheckId/Description").asText())
                .contains("UpdateHealthCheck Disabled=true");
        assertThat(metricConfig.path("InsufficientDataHealthStatus").asText()).isEqualTo("LastKnownStatus");
        cfnLint(file);
    }

    @Test
    void anHttpsHealthCheckOfAPrivateApiIsRefusedWithTheFix() throws Exception {
        Estate estate = demoWith(tree -> {
            recordHealthChecks(tree);
            ((ObjectNode) tree.at("/routingDomains/1/records/0/healthCheck")).put("type", "HTTPS");
        });
        assertThatThrownBy(() -> AlarmPlan.of(estate, AlarmPlan.Settings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot reach a private API")
                .hasMessageContaining("CLOUDWATCH_METRIC");
    }
}
