package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.metrics.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;

/**
 * {@code vpcanary routing audit} against moto_server as a user runs it (credentials from the SDK's default chain, here
 * its system properties): a failover name with a PRIMARY only, no health check and a TTL over the RTO goal is flagged,
 * exit 1, and the JSON says the same.
 */
class RoutingAuditCommandTest {

    static MotoServer moto;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        MotoServer.setSystemCredentials();
        try (AwsClients aws = AwsClients.of(moto.uri(), MotoServer.FAKE)) {
            Route53Client r53 = aws.route53();
            String zone = r53.createHostedZone(b -> b.name("internal.example.com")
                    .callerReference(UUID.randomUUID().toString()).hostedZoneConfig(c -> c.privateZone(true))
                    .vpc(v -> v.vpcId("vpc-0e1a00000000000a1").vpcRegion("us-east-1"))).hostedZone().id();
            r53.changeResourceRecordSets(b -> b.hostedZoneId(zone).changeBatch(c -> c.changes(ch -> ch
                    .action(ChangeAction.CREATE).resourceRecordSet(r -> r.name("api.internal.example.com")
                            .type(RRType.A).ttl(300L).setIdentifier("east").failover(ResourceRecordSetFailover.PRIMARY)
                            .resourceRecords(v -> v.value("10.0.1.10"))))));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        MotoServer.clearSystemCredentials();
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void aMisconfiguredZoneIsFlaggedWithFixesAndExitOne() throws Exception {
        Path json = dir.resolve("audit.json");
        CliRun r = CliRun.run("routing", "audit", "--zone", "internal.example.com", "--rto", "60s", "--endpoint",
                moto.uri().toString(), "--json", json.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR FAILOVER_PAIR_INCOMPLETE api.internal.example.com. A: 1 PRIMARY and 0 "
                        + "SECONDARY records; fix: add the SECONDARY record")
                .contains("ERROR PRIMARY_WITHOUT_HEALTH_CHECK api.internal.example.com. A [east]")
                .contains("ERROR TTL_OVER_RTO api.internal.example.com. A [east]: TTL 300 s exceeds the RTO goal 60 s")
                .contains("audit: 1 zone(s), 1 routed records, 0 health checks: 3 errors, 0 warnings, 0 notes");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.path("rtoSeconds").asLong()).isEqualTo(60);
        assertThat(root.path("counts").path("ERROR").asInt()).isEqualTo(3);
        assertThat(root.path("findings")).allSatisfy(f -> assertThat(f.path("fix").asText()).isNotBlank());
    }

    @Test
    void aBadRtoOrAnUnknownZoneIsOneLineAndExitTwo() {
        CliRun bad = CliRun.run("routing", "audit", "--rto", "soon", "--endpoint", moto.uri().toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").startsWith("vpcanary: ").contains("--rto");
        CliRun zone = CliRun.run("routing", "audit", "--zone", "nope.example", "--endpoint", moto.uri().toString());
        assertThat(zone.exit()).isEqualTo(2);
        assertThat(zone.err().strip()).isEqualTo("vpcanary: no hosted zone 'nope.example' (zones: "
                + "internal.example.com.)");
    }
}
