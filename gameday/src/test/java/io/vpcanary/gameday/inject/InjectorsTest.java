package io.vpcanary.gameday.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.metrics.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.route53.model.HealthCheckType;

/**
 * Each injector makes its change, journals it before, and {@link Restorer} puts the previous value back from the
 * journal alone: health-check inversion and the alarm metric against moto_server; FIS and ARC against
 * {@link FisArcStub} (not in moto); a command of the user's own.
 */
class InjectorsTest {

    static MotoServer moto;
    static AwsClients aws;
    static FisArcStub stub;
    static AwsClients stubbed;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        aws = AwsClients.of(moto.uri(), MotoServer.FAKE);
        stub = new FisArcStub();
        stubbed = AwsClients.of(stub.uri(), MotoServer.FAKE);
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
        stubbed.close();
        stub.close();
        moto.close();
    }

    /** Injects with {@code inj} journalled in {@code journal}, as the game day does; answers the change's id. */
    static String inject(FaultInjector inj, Journal journal) {
        var prepared = inj.prepare();
        String id = journal.begin(inj.kind(), inj.describe(), prepared);
        journal.applied(id, inj.inject(prepared));
        return id;
    }

    private Restorer restorer(AwsClients clients) {
        return new Restorer(u -> clients);
    }

    @Test
    void aHealthCheckInversionIsJournalledBeforeAndRestoredToItsPreviousValue() {
        String id = aws.route53().createHealthCheck(b -> b.callerReference(UUID.randomUUID().toString())
                .healthCheckConfig(c -> c.type(HealthCheckType.HTTPS).ipAddress("10.1.2.3").port(443)
                        .resourcePath("/ping"))).healthCheck().id();
        Journal journal = Journal.at(dir.resolve("journal.jsonl"));
        HealthCheckInversionInjector inj = HealthCheckInversionInjector.of(aws, id);
        inject(inj, journal);
        assertThat(aws.route53().getHealthCheck(b -> b.healthCheckId(id)).healthCheck().healthCheckConfig()
                .inverted()).isTrue();
        assertThat(journal.pending()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo("HEALTH_CHECK_INVERSION");
            assertThat(c.restore().path("previousInverted").asBoolean()).isFalse();
            assertThat(c.restore().path("endpoint").asText()).isEqualTo(moto.uri().toString());
        });
        List<Restorer.Restored> done = restorer(aws).restoreAll(journal);
        assertThat(done).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
        assertThat(aws.route53().getHealthCheck(b -> b.healthCheckId(id)).healthCheck().healthCheckConfig()
                .inverted()).isFalse();
        assertThat(journal.pending()).isEmpty();
    }

    @Test
    void theAlarmMetricGetsTheFailureValueAndThePreviousValueBack() {
        Dimension api = Dimension.builder().name("Api").value("orders").build();
        Dimension region = Dimension.builder().name("Region").value("us-east-1").build();
        var cw = aws.cloudWatch("us-east-1");
        cw.putMetricAlarm(b -> b.alarmName("gd-health").namespace("vpcanary-gd").metricName("Success")
                .dimensions(api, region).statistic(Statistic.AVERAGE).period(60).evaluationPeriods(3).threshold(0.9)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD));
        cw.putMetricData(b -> b.namespace("vpcanary-gd").metricData(d -> d.metricName("Success")
                .dimensions(api, region).value(1.0).timestamp(Instant.now())));
        Journal journal = Journal.at(dir.resolve("journal.jsonl"));
        AlarmMetricInjector inj = new AlarmMetricInjector(aws, "gd-health", "us-east-1", 0, Duration.ofHours(1));
        inject(inj, journal);
        inj.stop();
        assertThat(journal.pending().getFirst().restore().path("previousValue").asDouble()).isEqualTo(1.0);
        assertThat(stats(cw, api, region).minimum()).isEqualTo(0.0);
        double before = stats(cw, api, region).sampleCount();
        restorer(aws).restoreAll(journal);
        assertThat(stats(cw, api, region).sampleCount()).isEqualTo(before + 1);
        assertThat(journal.pending()).isEmpty();
    }

    private static software.amazon.awssdk.services.cloudwatch.model.Datapoint stats(
            software.amazon.awssdk.services.cloudwatch.CloudWatchClient cw, Dimension... dims) {
        Instant now = Instant.now();
        return cw.getMetricStatistics(b -> b.namespace("vpcanary-gd").metricName("Success").dimensions(dims)
                .startTime(now.minusSeconds(3600)).endTime(now.plusSeconds(60)).period(7200)
                .statistics(Statistic.MINIMUM, Statistic.SAMPLE_COUNT)).datapoints().getFirst();
    }

    @Test
    void aFisExperimentIsStartedAndStoppedByItsIdOnTheStub() {
        Journal journal = Journal.at(dir.resolve("journal.jsonl"));
        inject(new FisExperimentInjector(stubbed, "EXT1a2b3c4d", "us-east-1"), journal);
        String experiment = journal.pending().getFirst().restore().path("experimentId").asText();
        assertThat(stub.experiments).containsEntry(experiment, "initiating");
        assertThat(stub.calls).anySatisfy(c -> assertThat(c).startsWith("POST /experiments")
                .contains("\"experimentTemplateId\":\"EXT1a2b3c4d\"").contains("clientToken"));
        assertThat(restorer(stubbed).restoreAll(journal)).allMatch(Restorer.Restored::ok);
        assertThat(stub.experiments).containsEntry(experiment, "stopping");
        assertThat(stub.calls).anyMatch(c -> c.startsWith("DELETE /experiments/" + experiment));
    }

    @Test
    void anArcRoutingControlIsSetAndItsPreviousStateSetBackOnTheStub() {
        String arn = "arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/east";
        stub.controls.put(arn, "On");
        Journal journal = Journal.at(dir.resolve("journal.jsonl"));
        inject(new ArcRoutingControlInjector(u -> stubbed, stub.uri(), arn,
                List.of("https://host-aaaa.us-west-2.example.com/v1"), "us-west-2", "Off"), journal);
        assertThat(stub.controls).containsEntry(arn, "Off");
        assertThat(journal.pending().getFirst().restore().path("previousState").asText()).isEqualTo("On");
        assertThat(stub.calls).anySatisfy(c -> assertThat(c).contains("ToggleCustomerAPI.UpdateRoutingControlState"));
        assertThat(restorer(stubbed).restoreAll(journal)).allMatch(Restorer.Restored::ok);
        assertThat(stub.controls).containsEntry(arn, "On");
    }

    @Test
    void aCommandOfTheUsersOwnRunsAndItsRestoreCommandFromTheJournal() {
        Path flag = dir.resolve("fault-on");
        Journal journal = Journal.at(dir.resolve("journal.jsonl"));
        inject(new CommandInjector(List.of("touch", flag.toString()), List.of("rm", flag.toString())), journal);
        assertThat(flag).exists();
        assertThat(restorer(aws).restoreAll(journal)).allMatch(Restorer.Restored::ok);
        assertThat(Files.exists(flag)).isFalse();
    }
}
