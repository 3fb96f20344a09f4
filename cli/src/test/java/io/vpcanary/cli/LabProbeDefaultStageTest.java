package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpcanary probe --once --lab F} against a lab whose HTTP API {@code payments} is on the {@code $default}
 * stage: the probe's URLs have no stage segment, its JWT checks pass, and a check of the path with a stage segment
 * in front sees the HTTP API's 404 for an unknown route.
 */
class LabProbeDefaultStageTest {

    private static final String PAYMENTS = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";
    private static final String CHECKS = "    checks:\n      - name: list-payments\n";

    @TempDir
    static Path dir;

    private static Lab lab;
    private static Path env;

    @BeforeAll
    static void startLab() throws Exception {
        String text = EstateLoader.demoText();
        assertThat(text).contains(PAYMENTS, CHECKS);
        text = text.replace(PAYMENTS, PAYMENTS.replace("prod", "$default")).replace(CHECKS, "    checks:\n"
                + "      - name: stage-segment-is-no-route\n        path: /prod/payments\n"
                + "        expect:\n          status: 404\n          errorClass: HTTP_4XX\n"
                + "      - name: list-payments\n");
        Path file = dir.resolve("estate.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertThat(run("validate", file.toString()).exit()).isZero();
        lab = Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theDefaultStageIsProbedAtTheRootAndAStageSegmentIsAnUnknownRoute() throws Exception {
        Path json = dir.resolve("probe.json");
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--api", "payments", "--json", json.toString());
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        Map<String, JsonNode> byCheck = new HashMap<>();
        for (JsonNode o : new ObjectMapper().readTree(json.toFile()).get("checks")) {
            assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
            byCheck.put(o.get("check").asText(), o);
        }
        assertThat(byCheck).containsOnlyKeys("stage-segment-is-no-route", "list-payments", "orders-route",
                "cloud-map-route");
        assertThat(byCheck.get("list-payments").get("status").asInt()).isEqualTo(200);
        assertThat(byCheck.get("list-payments").get("url").asText()).isEqualTo(
                "https://paymnteast.execute-api.us-east-1.amazonaws.com:" + lab.environment().httpsPort() + "/payments");
        JsonNode unknown = byCheck.get("stage-segment-is-no-route");
        assertThat(unknown.get("status").asInt()).isEqualTo(404);
        assertThat(unknown.get("errorClass").asText()).isEqualTo("HTTP_4XX");
        assertThat(r.out()).contains("AUTH payments (JWT): auth enforced");
    }
}
