package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.gameday.plan.GameDayPlan;
import io.vpcanary.gameday.plan.GameDayPlans;
import io.vpcanary.gameday.run.GameDay;
import io.vpcanary.gameday.run.GameDaySetup;
import io.vpcanary.gameday.run.Report;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.route53.Route53Records;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.metrics.MotoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The done-when game days against one lab of the demo estate whose failover domain has a 2 s TTL and HTTPS health
 * checks (10 s interval, threshold 2) on a 60× time scale, with its records and health checks loaded from moto_server's
 * Route 53: a region outage set as a lab fault, and the primary's health check inverted through Route 53 (the command,
 * as a user runs it). Each measures an RTO within the bound the configuration implies (detection + Route 53 read +
 * TTL + sampling), restores, and sees the failback; {@code dig} sees the answer flip during the fault and flip back.
 * A game day killed with SIGKILL mid-fault leaves the inversion, and {@code gameday restore} puts it back.
 */
class GameDayLabTest {

    static final String DOMAIN = "orders.internal.example.com";
    /** Scheduling on a shared 2-core machine: how far past the configured bound a measured RTO may land. */
    static final double SLACK_SECONDS = 1.5;

    @TempDir
    static Path dir;
    static MotoServer moto;
    static Lab lab;
    static Path envFile;
    static Estate estate;
    static Map<String, String> healthChecks;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        MotoServer.setSystemCredentials();
        String check = "        healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2}\n";
        String demo = EstateLoader.demoText();
        int orders = demo.indexOf("  - name: orders\n");
        int stage = demo.indexOf("    stage: prod\n", orders) + "    stage: prod\n".length();
        String text = (demo.substring(0, stage) + "    auth: {type: IAM}\n" + demo.substring(stage))
                .replace("    policy: FAILOVER\n", "    policy: FAILOVER\n    ttl: 2\n")
                .replace("        role: PRIMARY\n", "        role: PRIMARY\n" + check)
                .replace("        role: SECONDARY\n", "        role: SECONDARY\n" + check)
                .replace("    timeScale: 60 ", "    route53Endpoint: " + moto.uri() + "\n    timeScale: 60 ");
        Path file = dir.resolve("gameday-estate.yaml");
        Files.writeString(file, text);
        estate = EstateLoader.load(file);
        try (Route53Records r53 = Route53Records.at(moto.uri())) {
            healthChecks = r53.put(estate, "vpcanary");
        }
        lab = Lab.start(estate, file, Lab.Options.ephemeral(dir.resolve("state")));
        envFile = dir.resolve("lab-env.json");
        lab.writeEnvironment(envFile);
    }

    @AfterAll
    static void stop() throws Exception {
        MotoServer.clearSystemCredentials();
        if (lab != null) {
            lab.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    static Path plan(String name, String fault, String hold) throws IOException {
        return plan(name, fault, hold, "");
    }

    static Path plan(String name, String fault, String hold, String extra) throws IOException {
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, extra + (extra.contains("vantages:") ? "" : "vantages: [canary-east]\n") + """
                name: %s
                domain: %s
                rate: 10
                timeout: 1s
                steadyState: 2s
                fault:
                  %s
                hold: %s
                recovery: 4s
                """.formatted(name, DOMAIN, fault, hold));
        return p;
    }

    /** The addresses an independent DNS client, dig, gets for the domain from the canary-east view. */
    static List<String> dig() throws Exception {
        String[] view = LabEnvironment.read(envFile).resolvers().get("canary-east").split(":");
        Process p = new ProcessBuilder("dig", "@" + view[0], "-p", view[1], DOMAIN, "A", "+short", "+time=2",
                "+tries=1").redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    static boolean inverted(String setIdentifier) {
        try (AwsClients aws = AwsClients.of(moto.uri(), MotoServer.FAKE)) {
            return aws.route53().getHealthCheck(b -> b.healthCheckId(healthChecks.get(DOMAIN + "/" + setIdentifier)))
                    .healthCheck().healthCheckConfig().inverted();
        }
    }

    static void assertWithinBounds(Report r) {
        assertThat(r.restored()).as(r.text()).isTrue();
        assertThat(r.rtoSeconds()).as(r.text()).isNotNull();
        Report.Bounds b = r.bounds();
        assertThat(b.ttlSeconds()).isEqualTo(2);
        assertThat(b.detectionSeconds()).isEqualTo(0.333);
        assertThat(b.expectedMaxSeconds()).isEqualTo(0.333 + 0.167 + 2 + 0.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.rtoSeconds()).as(r.text()).isLessThanOrEqualTo(b.expectedMaxSeconds() + SLACK_SECONDS)
                .isGreaterThan(0);
        assertThat(r.timeToFailbackSeconds()).as(r.text()).isNotNull()
                .isLessThanOrEqualTo(b.expectedMaxSeconds() + SLACK_SECONDS);
        assertThat(r.servedRegions()).containsKeys("us-east-1", "us-west-2");
    }

    @Test
    void aRegionOutageFailsOverWithinTheBoundsAndDigSeesTheAnswerFlipAndFlipBack() throws Exception {
        Estate e = EstateLoader.load(Path.of(LabEnvironment.read(envFile).estate()));
        GameDayPlan p = GameDayPlans.load(plan("outage", "labFault: {kind: REGION_OUTAGE, target: us-east-1}", "5s",
                "signing: SIGV4A\nvantages: [canary-east, canary-west]\n"), e);
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        seen.put("before", dig());
        GameDay.Observer digs = phase -> {
            if (phase.equals("restoring") || phase.equals("done")) {
                try {
                    seen.put(phase, dig());
                } catch (Exception ex) {
                    seen.put(phase, List.of(ex.toString()));
                }
            }
        };
        StringWriter live = new StringWriter();
        Journal journal = Journal.at(dir.resolve("outage-journal.jsonl"));
        Report r;
        try (AwsClients aws = AwsClients.of(moto.uri(), MotoServer.FAKE)) {
            r = new GameDay(GameDaySetup.settings(p, e, ClientEnvironment.lab(LabEnvironment.read(envFile), e,
                    List.of(), System::getenv), envFile, aws, journal, new PrintWriter(live), digs)).run();
        }
        System.out.print(r.text()); // the measurements beside the bounds, in the test's output file
        assertWithinBounds(r);
        assertThat(r.dnsCaches()).anySatisfy(c -> assertThat(c).startsWith("canary-east: resolver 127.0.1.2:"))
                .anySatisfy(c -> assertThat(c).startsWith("canary-west: resolver 127.0.2.2:"));
        assertThat(r.probes()).as("two vantages at 10/s for over 11 s").isGreaterThan(150);
        assertThat(r.timeToFirstErrorSeconds()).as(r.text()).isNotNull();
        assertThat(r.errorClasses()).as(r.text()).containsKey("CONNECT");
        assertThat(seen.get("before")).isNotEmpty().allMatch(a -> a.startsWith("127.0.1."));
        assertThat(seen.get("restoring")).as("dig during the fault").isNotEmpty().allMatch(a -> a.startsWith("127.0.2."));
        assertThat(seen.get("done")).as("dig after the restore").isNotEmpty().allMatch(a -> a.startsWith("127.0.1."));
        assertThat(journal.pending()).isEmpty();
        assertThat(lab.faults().list()).isEmpty();
        assertThat(r.dnsCaches()).anySatisfy(c -> assertThat(c).contains("keeps each answer for its TTL"));
        assertThat(live.toString()).contains("fault injected: lab fault REGION_OUTAGE us-east-1", "fault restored");
    }

    @Test
    void anInvertedHealthCheckThroughRoute53FailsOverAndTheCommandRestoresItAndPublishesTheFailoverTime()
            throws Exception {
        Path json = dir.resolve("inversion.json");
        Path metrics = dir.resolve("metrics.jsonl");
        CliRun run = CliRun.run("gameday", "run", plan("inversion", "healthCheckInversion: {record: orders-us-east-1}",
                        "4s", "signing: SIGV4_ANSWERING_REGION\n").toString(), "--lab", envFile.toString(), "--endpoint", moto.uri().toString(), "--journal",
                dir.resolve("inversion-journal.jsonl").toString(), "--json", json.toString(), "--publish", "local",
                "--metrics-file", metrics.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Inverted false -> true", "time to failover (RTO)", "PASS");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("restored").asBoolean()).isTrue();
        assertThat(report.path("startedAt").asText()).endsWith("Z");
        assertThat(report.path("events").get(1).path("what").asText()).startsWith("fault injected");
        double rto = report.path("rtoSeconds").asDouble();
        assertThat(rto).as(run.out()).isGreaterThan(0)
                .isLessThanOrEqualTo(report.path("bounds").path("expectedMaxSeconds").asDouble() + SLACK_SECONDS);
        assertThat(inverted("orders-us-east-1")).isFalse();
        assertThat(Files.readString(metrics)).contains(Report.FAILOVER_TIME_METRIC);
    }

    @Test
    void aGameDayKilledWithSigkillMidFaultIsPutBackByRestore() throws Exception {
        Path journal = dir.resolve("killed-journal.jsonl");
        Process child = childGameDay(plan("killed", "healthCheckInversion: {record: orders-us-east-1}", "10m"),
                journal, dir.resolve("killed.log"));
        try {
            awaitApplied(child, journal, dir.resolve("killed.log"));
            assertThat(inverted("orders-us-east-1")).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(inverted("orders-us-east-1")).as("a SIGKILL leaves the fault").isTrue();
        CliRun restore = CliRun.run("gameday", "restore", "--journal", journal.toString());
        assertThat(restore.exit()).as(restore.out() + restore.err()).isZero();
        assertThat(restore.out()).contains("restored HEALTH_CHECK_INVERSION", "1 of 1 change(s) restored");
        assertThat(inverted("orders-us-east-1")).isFalse();
        assertThat(inverted("orders-us-west-2")).isFalse();
        assertThat(Journal.at(journal).pending()).isEmpty();
        CliRun again = CliRun.run("gameday", "restore", "--journal", journal.toString());
        assertThat(again.out()).contains("nothing to restore");
    }

    @Test
    void signedWithSigV4ForThePrimaryTheFailoverIsRefusedAsASigningRegionMismatch() throws Exception {
        Report r = runApi(plan("mismatch", "labFault: {kind: REGION_OUTAGE, target: us-east-1}", "4s",
                "signing: SIGV4_PRIMARY_REGION\n"), "mismatch-journal.jsonl");
        assertThat(r.signingRegionMismatches()).as(r.text()).isPositive();
        assertThat(r.errorClasses()).as(r.text()).containsKey("AUTH_DENIED");
        assertThat(r.rtoSeconds()).as("no healthy answer from us-west-2").isNull();
        assertThat(r.passed()).isFalse();
        assertThat(r.restored()).isTrue();
        assertThat(r.timeToFailbackSeconds()).as(r.text()).isNotNull();
        assertThat(r.text()).contains("auth failures were a signing-region mismatch");
    }

    static Report runApi(Path planFile, String journalName) throws Exception {
        Estate e = EstateLoader.load(Path.of(LabEnvironment.read(envFile).estate()));
        GameDayPlan p = GameDayPlans.load(planFile, e);
        try (AwsClients aws = AwsClients.of(moto.uri(), MotoServer.FAKE)) {
            return new GameDay(GameDaySetup.settings(p, e, ClientEnvironment.lab(LabEnvironment.read(envFile), e,
                    List.of(), System::getenv), envFile, aws, Journal.at(dir.resolve(journalName)),
                    new PrintWriter(new StringWriter()), null)).run();
        }
    }

    @Test
    void anAlarmInAlarmOrAnExceededErrorBudgetAbortsAndRestoresAtOnce() throws Exception {
        try (AwsClients aws = AwsClients.of(moto.uri(), MotoServer.FAKE)) {
            aws.cloudWatch("us-east-1").putMetricAlarm(b -> b.alarmName("gd-abort").namespace("vpcanary")
                    .metricName("Success").statistic("Average").period(60).evaluationPeriods(1).threshold(0.5)
                    .comparisonOperator("LessThanThreshold"));
            aws.cloudWatch("us-east-1").setAlarmState(b -> b.alarmName("gd-abort").stateValue("ALARM")
                    .stateReason("game-day test"));
        }
        Path alarmPlan = dir.resolve("abort-alarm.yaml");
        Files.writeString(alarmPlan, Files.readString(plan("abort-alarm",
                "labFault: {kind: LATENCY, target: us-east-1, latencyMs: 5}", "10m"))
                + "abort: {alarms: [{name: gd-abort, region: us-east-1}]}\n");
        Report alarm = runApi(alarmPlan, "abort-alarm-journal.jsonl");
        assertThat(alarm.aborted()).isEqualTo("alarm gd-abort is in ALARM");
        assertThat(alarm.restored()).isTrue();
        assertThat(alarm.passed()).isFalse();
        assertThat(alarm.restoredAt() - alarm.injectedAt()).as("aborted long before the 10 min hold").isLessThan(60);

        Path budgetPlan = dir.resolve("abort-budget.yaml");
        Files.writeString(budgetPlan, Files.readString(plan("abort-budget",
                "labFault: {kind: ERROR_RATE, target: us-east-1, rate: 1}", "10m")) + "abort: {errorBudget: 0.5}\n");
        Report budget = runApi(budgetPlan, "abort-budget-journal.jsonl");
        assertThat(budget.aborted()).as(budget.text()).startsWith("error budget exceeded: ");
        assertThat(budget.restored()).isTrue();
        assertThat(budget.errorClasses()).containsKey("HTTP_5XX");
        assertThat(lab.faults().list()).isEmpty();
    }

    @Test
    void aGameDayStoppedLikeCtrlCRestoresThroughItsShutdownHook() throws Exception {
        Path journal = dir.resolve("term-journal.jsonl");
        Process child = childGameDay(plan("term", "healthCheckInversion: {record: orders-us-east-1}", "10m"), journal,
                dir.resolve("term.log"));
        try {
            awaitApplied(child, journal, dir.resolve("term.log"));
            assertThat(inverted("orders-us-east-1")).isTrue();
        } finally {
            child.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C (SIGINT)
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(inverted("orders-us-east-1")).as(Files.readString(dir.resolve("term.log"))).isFalse();
        assertThat(Journal.at(journal).pending()).isEmpty();
        assertThat(Files.readString(dir.resolve("term.log"))).contains("fault restored (interrupted (Ctrl-C))");
    }

    @Test
    void aBadPlanIsOneLinePerProblemAtFileLineColumnAndAPendingJournalRefusesANewGameDay() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "domain: orders.internal.example.com\nrate: 100\nfault: {}\n");
        CliRun r = CliRun.run("gameday", "validate", bad.toString(), "--lab", envFile.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":2:1: rate: must be from 1 to 50 probes per second")
                .contains(bad + ":3:1: fault: give exactly one injector").doesNotContain("Exception");
        Path journal = dir.resolve("pending-journal.jsonl");
        Journal.at(journal).begin("COMMAND", "left over", new ObjectMapper().createObjectNode()
                .putPOJO("restore", List.of("true")));
        CliRun refused = CliRun.run("gameday", "run", plan("pending", "labFault: {kind: REGION_OUTAGE, target: "
                + "us-east-1}", "5s").toString(), "--lab", envFile.toString(), "--journal", journal.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("vpcanary: the journal " + journal + " holds 1 change(s) not "
                + "restored: run 'vpcanary gameday restore' first");
        assertThat(lab.faults().list()).isEmpty();
        assertThat(CliRun.run("gameday", "restore", "--journal", journal.toString()).exit()).isZero();
    }

    static Process childGameDay(Path plan, Path journal, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Daws.accessKeyId=" + MotoServer.FAKE.resolveCredentials().accessKeyId(),
                "-Daws.secretAccessKey=" + MotoServer.FAKE.resolveCredentials().secretAccessKey(),
                Main.class.getName(), "gameday", "run", plan.toString(), "--lab", envFile.toString(), "--endpoint",
                moto.uri().toString(), "--journal", journal.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits (bounded: 60 s) until the child's journal says the fault is applied. */
    static void awaitApplied(Process child, Path journal, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(journal) && Files.readString(journal).contains("\"event\":\"applied\""))) {
            assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the game day injects within 60 s").isLessThan(deadline);
            child.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }
}
