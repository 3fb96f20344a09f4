package io.vpcanary.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.LabEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged zip run exactly as Lambda runs it: unpacked into a task root, started in its own JVM by the AWS Lambda
 * Runtime Interface Client against a test Runtime API ({@link RuntimeApiServer}), invoked with a scheduled event, and
 * probing a lab started here from vantage canary-east.
 */
class LambdaRuntimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INVOCATION_TIMEOUT_MS = 120_000;

    @TempDir
    static Path dir;

    private static DemoLab demo;
    private static Lab lab;
    private static Path labEnv;
    private static Path taskRoot;
    private static Path ric;

    @BeforeAll
    static void startLabAndUnpack() throws Exception {
        demo = DemoLab.start(dir);
        lab = demo.lab();
        labEnv = demo.envFile();
        Path zip = Path.of(System.getProperty("vpcanary.lambda.zip", "target/vpcanary-lambda.zip"));
        assertThat(zip).as("the deployment package (built by mvn package)").exists();
        taskRoot = LambdaProcess.unpack(zip, dir.resolve("task"));
        ric = Path.of(System.getProperty("vpcanary.lambda.ric", "target/ric"));
        assertThat(ric).as("the Runtime Interface Client's jars (copied at package)").isDirectory();
    }

    @AfterAll
    static void stopLab() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void twoRoundsFromCanaryEastWithEmfOnStdout() throws Exception {
        int targets = CanaryPlan.of(lab.estate(), ClientEnvironment.lab(lab.environment(), lab.estate(),
                List.of("canary-east"), System::getenv)).targets().size();
        assertThat(targets).isGreaterThan(0);
        try (RuntimeApiServer api = RuntimeApiServer.start();
             LambdaProcess fn = LambdaProcess.start(taskRoot, ric, api.address(), Map.of(
                     "VPCANARY_LAB_ENV", labEnv.toString(),
                     "VPCANARY_VANTAGE", "canary-east",
                     "VPCANARY_ROUNDS", "2",
                     "VPCANARY_ROUND_INTERVAL", "1s"), dir.resolve("good.log"))) {
            RuntimeApiServer.Result r = fn.await(api.invoke(LambdaProcess.scheduledEvent(),
                    INVOCATION_TIMEOUT_MS), 180);
            assertThat(r.error()).as("response %s; log:%n%s", r.body(), fn.log()).isFalse();
            JsonNode summary = JSON.readTree(r.body());
            assertThat(summary.get("vantage").asText()).isEqualTo("canary-east");
            assertThat(summary.get("rounds").asInt()).isEqualTo(2);
            assertThat(summary.get("checks").asInt()).isEqualTo(2 * targets);
            assertThat(summary.get("failed").asInt()).as(r.body()).isZero();
            assertThat(summary.get("passed").asInt()).isEqualTo(2 * targets);
            assertThat(summary.get("cutShort").asBoolean()).isFalse();

            String log = fn.log();
            assertThat(log).containsPattern("vpcanary: init [0-9]+ ms after JVM start; standing in canary-east: "
                    + targets + " targets");
            List<JsonNode> emf = emfEvents(log);
            assertThat(emf).as("EMF lines on stdout; log:%n%s", log).isNotEmpty();
            assertThat(emf).allSatisfy(e -> assertThat(e.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
                    .isEqualTo("vpcanary"));
            assertThat(emf).anySatisfy(e -> {
                assertThat(e.path("Vantage").asText()).isEqualTo("canary-east");
                assertThat(e.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).contains("\"Vantage\"");
            });
            assertThat(emf).noneSatisfy(e -> assertThat(e.has("Vantage") && !e.get("Vantage").asText()
                    .equals("canary-east")).isTrue());
            assertThat(log).doesNotContain(LabEnvironment.read(labEnv).credentials().secretAccessKey());
        }
    }

    @Test
    void aFailingCheckIsDataNotAnError() throws Exception {
        String demo = Files.readString(Path.of(lab.environment().estate()), StandardCharsets.UTF_8);
        String wanted = "          status: 200\n          bodyContains: '\"api\":\"orders\"'";
        assertThat(demo).contains(wanted);
        Path wrong = dir.resolve("wrong-status.yaml");
        Files.writeString(wrong, demo.replaceFirst(java.util.regex.Pattern.quote(wanted),
                "          status: 201\n          bodyContains: '\"api\":\"orders\"'"));
        try (RuntimeApiServer api = RuntimeApiServer.start();
             LambdaProcess fn = LambdaProcess.start(taskRoot, ric, api.address(), Map.of(
                     "VPCANARY_LAB_ENV", labEnv.toString(),
                     "VPCANARY_ESTATE", wrong.toString(),
                     "VPCANARY_VANTAGE", "canary-east",
                     "VPCANARY_PUBLISH", "none"), dir.resolve("wrong.log"))) {
            RuntimeApiServer.Result r = fn.await(api.invoke(LambdaProcess.scheduledEvent(),
                    INVOCATION_TIMEOUT_MS), 180);
            assertThat(r.error()).as("a failing check is a response; log:%n%s", fn.log()).isFalse();
            JsonNode summary = JSON.readTree(r.body());
            assertThat(summary.get("rounds").asInt()).isEqualTo(1);
            assertThat(summary.get("failed").asInt()).isGreaterThan(0);
            assertThat(summary.get("passed").asInt() + summary.get("failed").asInt())
                    .isEqualTo(summary.get("checks").asInt());
            assertThat(summary.get("failures")).allSatisfy(f -> {
                assertThat(f.get("id").asText()).startsWith("orders/list-orders/");
                assertThat(f.get("errorClass").asText()).isEqualTo("ASSERTION");
                assertThat(f.get("status").asInt()).isEqualTo(200);
                assertThat(f.get("message").asText()).isNotBlank();
            });
            assertThat(emfEvents(fn.log())).as("VPCANARY_PUBLISH=none").isEmpty();
        }
    }

    @Test
    void aMalformedEstateFailsTheInvocationWithOneLine() throws Exception {
        Path bad = dir.resolve("malformed.yaml");
        Files.writeString(bad, "account: \"111122223333\"\napiz: []\n");
        try (RuntimeApiServer api = RuntimeApiServer.start();
             LambdaProcess fn = LambdaProcess.start(taskRoot, ric, api.address(), Map.of(
                     "VPCANARY_LAB_ENV", labEnv.toString(),
                     "VPCANARY_ESTATE", bad.toString(),
                     "VPCANARY_VANTAGE", "canary-east"), dir.resolve("malformed.log"))) {
            RuntimeApiServer.Result r = fn.await(api.invoke(LambdaProcess.scheduledEvent(),
                    INVOCATION_TIMEOUT_MS), 180);
            assertThat(r.error()).as("log:%n%s", fn.log()).isTrue();
            JsonNode error = JSON.readTree(r.body());
            String message = error.get("errorMessage").asText();
            assertThat(message).doesNotContain("\n").contains("malformed.yaml:2:").contains("apiz");
            assertThat(error.get("errorType").asText()).endsWith("CanaryConfigException");
            String log = fn.log();
            // the handler's own line, once; the runtime reports the thrown error too (its class and message: the
            // exception carries no stack trace, so no frame follows)
            assertThat(log.lines().filter(l -> l.startsWith("vpcanary:") && l.contains("apiz")).toList()).as(log)
                    .containsExactly("vpcanary: configuration error: " + message);
            assertThat(log).as("no stack trace in the function's log").doesNotContain("\tat ");
        }
    }

    /** The lines of a log that are EMF events. */
    static List<JsonNode> emfEvents(String log) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : log.lines().toList()) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                try {
                    events.add(JSON.readTree(line));
                } catch (java.io.IOException e) {
                    throw new AssertionError("an EMF line that is not JSON: " + line, e);
                }
            }
        }
        return events;
    }
}
