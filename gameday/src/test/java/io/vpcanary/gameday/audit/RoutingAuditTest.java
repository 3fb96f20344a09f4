package io.vpcanary.gameday.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.gameday.audit.Finding.Severity;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.metrics.MotoServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * The audit against moto_server: a private hosted zone built through the SDK with one misconfiguration per name (and
 * one name configured well), read back and judged. moto stores zones, records and health checks faithfully but drops
 * a CLOUDWATCH_METRIC check's alarm identifier, so each such check carries its alarm's name as its {@code Name} tag,
 * as the generated CloudFormation template tags them.
 */
class RoutingAuditTest {

    static MotoServer moto;
    static AwsClients aws;
    static Route53Client r53;
    static String zoneId;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = AwsClients.of(moto.uri(), MotoServer.FAKE);
        r53 = aws.route53();
        CloudWatchClient cw = aws.cloudWatch("us-east-1");
        alarm(cw, "vpcanary-orders-us-east-1-health", 60, 3, Statistic.AVERAGE, null);
        alarm(cw, "vpcanary-orders-us-west-2-health", 60, 3, Statistic.AVERAGE, null);
        alarm(cw, "hires-health", 10, 3, Statistic.AVERAGE, null);
        alarm(cw, "p99-health", 60, 1, null, "p99");
        zoneId = r53.createHostedZone(b -> b.name("internal.example.com").callerReference(UUID.randomUUID().toString())
                .hostedZoneConfig(c -> c.privateZone(true).comment("audit test"))
                .vpc(v -> v.vpcId("vpc-0e1a00000000000a1").vpcRegion("us-east-1"))).hostedZone().id();
        String good1 = alarmCheck("vpcanary-orders-us-east-1-health");
        String good2 = alarmCheck("vpcanary-orders-us-west-2-health");
        failover("good", good1, good2, 30);
        failover("ttl", good1, good2, 300);
        record(base("bad", 60).failover(ResourceRecordSetFailover.PRIMARY).setIdentifier("east").build());
        String https = r53.createHealthCheck(b -> b.callerReference(UUID.randomUUID().toString())
                .healthCheckConfig(c -> c.type(HealthCheckType.HTTPS).ipAddress("10.1.2.3").port(443)
                        .resourcePath("/ping").requestInterval(30).failureThreshold(3))).healthCheck().id();
        failover("https", https, alarmCheck("no-such-alarm"), 30);
        failover("alarm", alarmCheck("hires-health"), alarmCheck("p99-health"), 30);
        String inverted = r53.createHealthCheck(b -> b.callerReference(UUID.randomUUID().toString())
                .healthCheckConfig(c -> c.type(HealthCheckType.CLOUDWATCH_METRIC).inverted(true))).healthCheck().id();
        tag(inverted, "vpcanary-orders-us-east-1-health");
        failover("inverted", inverted, good2, 30);
        for (String set : List.of("east", "west")) {
            record(base("weighted", 30).setIdentifier(set).weight(0L).build());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static RoutingAudit.Result audit(Duration rto) {
        return new RoutingAudit(r53, aws::cloudWatch, "us-east-1", rto).run(List.of("internal.example.com"));
    }

    private static List<String> rules(RoutingAudit.Result r, String name) {
        return r.findings().stream().filter(f -> f.record().startsWith(name + ".internal.example.com."))
                .map(f -> f.rule() + (f.setIdentifier() == null ? "" : "@" + f.setIdentifier())).toList();
    }

    @Test
    void aWellConfiguredFailoverPairHasNoFinding() {
        RoutingAudit.Result r = audit(Duration.ofMinutes(5));
        assertThat(rules(r, "good")).isEmpty();
        assertThat(r.zones()).containsExactly("internal.example.com.");
        assertThat(r.routedRecords()).isEqualTo(13);
    }

    @Test
    void aPrimaryWithoutSecondaryOrHealthCheckIsFlagged() {
        RoutingAudit.Result r = audit(null);
        assertThat(rules(r, "bad")).containsExactlyInAnyOrder("FAILOVER_PAIR_INCOMPLETE", "PRIMARY_WITHOUT_HEALTH_CHECK@east");
        Finding f = r.findings().stream().filter(x -> x.rule().equals("FAILOVER_PAIR_INCOMPLETE")).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.message()).isEqualTo("1 PRIMARY and 0 SECONDARY records");
        assertThat(f.fix()).contains("add the SECONDARY record");
    }

    @Test
    void anEndpointCheckOnAPrivateTargetAndAMissingAlarmAreErrors() {
        assertThat(rules(audit(null), "https")).containsExactlyInAnyOrder("HEALTH_ALARM_MISSING@west",
                "PRIVATE_TARGET_ENDPOINT_CHECK@east");
    }

    @Test
    void alarmsRoute53CannotUseAreErrors() {
        RoutingAudit.Result r = audit(null);
        assertThat(rules(r, "alarm")).containsExactly("HEALTH_ALARM_HIGH_RESOLUTION@east",
                "HEALTH_ALARM_STATISTIC@west");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("HEALTH_ALARM_STATISTIC")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("the statistic p99"));
    }

    @Test
    void ttlsAreJudgedAgainstTheRtoGoalWithTheDetectionTime() {
        RoutingAudit.Result tight = audit(Duration.ofSeconds(200));
        // ttl: TTL 300 s alone exceeds 200 s; good: 30 s + 3 × 60 s = 210 s exceeds it with detection
        assertThat(rules(tight, "ttl")).containsExactly("TTL_OVER_RTO@east", "TTL_OVER_RTO@west");
        assertThat(rules(tight, "good")).containsExactly("DETECTION_OVER_RTO@east", "DETECTION_OVER_RTO@west");
        assertThat(tight.findings()).filteredOn(f -> f.rule().equals("DETECTION_OVER_RTO")).first()
                .satisfies(f -> assertThat(f.message()).isEqualTo("TTL 30 s + detection 180 s = 210 s exceeds the "
                        + "RTO goal 200 s"));
        assertThat(rules(audit(Duration.ofMinutes(10)), "ttl")).isEmpty();
    }

    @Test
    void zeroWeightsAnUnhealthCheckedWeightAndAnInvertedCheckAreWarnings() {
        RoutingAudit.Result r = audit(null);
        assertThat(rules(r, "weighted")).containsExactlyInAnyOrder("ALL_WEIGHTS_ZERO", "WEIGHTED_WITHOUT_HEALTH_CHECK@east",
                "WEIGHTED_WITHOUT_HEALTH_CHECK@west");
        assertThat(rules(r, "inverted")).containsExactly("HEALTH_CHECK_INVERTED@east");
        assertThat(r.findings()).filteredOn(f -> f.record().startsWith("weighted") || f.record().startsWith("inverted"))
                .allMatch(f -> f.severity() == Severity.WARNING);
    }

    @Test
    void anUnknownZoneIsOneLineNamingTheZonesThereAre() {
        assertThatThrownBy(() -> new RoutingAudit(r53, aws::cloudWatch, "us-east-1", null).run(List.of("nope.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no hosted zone 'nope.example' (zones: internal.example.com.)");
    }

    // --- building the zone through the SDK, as an operator would ---

    private static void alarm(CloudWatchClient cw, String name, int period, int evaluations, Statistic stat,
                              String extended) {
        cw.putMetricAlarm(b -> {
            b.alarmName(name).namespace("vpcanary").metricName("Success").period(period)
                    .evaluationPeriods(evaluations).threshold(0.5)
                    .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD);
            if (extended != null) {
                b.extendedStatistic(extended);
            } else {
                b.statistic(stat);
            }
        });
    }

    private static String alarmCheck(String alarmName) {
        String id = r53.createHealthCheck(b -> b.callerReference(UUID.randomUUID().toString())
                .healthCheckConfig(c -> c.type(HealthCheckType.CLOUDWATCH_METRIC)
                        .alarmIdentifier(a -> a.region("us-east-1").name(alarmName))
                        .insufficientDataHealthStatus("Unhealthy"))).healthCheck().id();
        tag(id, alarmName);
        return id;
    }

    private static void tag(String healthCheckId, String alarmName) {
        r53.changeTagsForResource(b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceId(healthCheckId)
                .addTags(t -> t.key("Name").value(alarmName)));
    }

    private static ResourceRecordSet.Builder base(String name, long ttl) {
        return ResourceRecordSet.builder().name(name + ".internal.example.com").type(RRType.A).ttl(ttl)
                .resourceRecords(v -> v.value("10.0.1.10"));
    }

    private static void failover(String name, String primaryCheck, String secondaryCheck, long ttl) {
        record(base(name, ttl).failover(ResourceRecordSetFailover.PRIMARY).setIdentifier("east")
                .healthCheckId(primaryCheck).build());
        record(base(name, ttl).failover(ResourceRecordSetFailover.SECONDARY).setIdentifier("west")
                .healthCheckId(secondaryCheck).resourceRecords(v -> v.value("10.1.1.10")).build());
    }

    private static void record(ResourceRecordSet r) {
        r53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(ch -> ch
                .action(ChangeAction.CREATE).resourceRecordSet(r))));
    }
}
