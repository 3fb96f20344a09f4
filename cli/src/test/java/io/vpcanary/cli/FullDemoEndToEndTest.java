package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full demo estate ({@code vpcanary demo-estate --full}) served by a real lab and checked by
 * {@code vpcanary probe --once}: a private custom domain shared with another account's VPC, base path mappings, the
 * domain's own policy, a VPC endpoint policy and an unassociated endpoint; every positive check passes from each
 * vantage that applies, and every refusal is classified with the layer that refused named in its message.
 */
class FullDemoEndToEndTest {

    @TempDir
    static Path dir;

    private static Lab lab;
    private static Path env;

    @BeforeAll
    static void startLab() throws Exception {
        Path estateFile = dir.resolve("demo-estate-full.yaml");
        CliRun printed = run("demo-estate", "--full");
        assertThat(printed.exit()).isZero();
        Files.writeString(estateFile, printed.out());
        lab = Lab.start(EstateLoader.load(estateFile), estateFile, Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static JsonNode outcome(JsonNode checks, String check, String accessPath, String vantage) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode o : checks) {
            if (o.get("check").asText().equals(check) && o.get("accessPath").asText().equals(accessPath)
                    && (vantage == null || o.get("vantage").asText().equals(vantage))) {
                found.add(o);
            }
        }
        assertThat(found).as("%s/%s from %s", check, accessPath, vantage).hasSize(1);
        return found.getFirst();
    }

    @Test
    void everyCheckOfTheFullDemoPassesAndEachRefusalNamesItsLayer() throws Exception {
        Path json = dir.resolve("probe.json");
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--json", json.toString());
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        JsonNode checks = new ObjectMapper().readTree(json.toFile()).get("checks");
        for (JsonNode o : checks) {
            assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
        }
        // the shared domain, by name, from the provider's VPC and from the other account's VPC, each base path
        for (String vantage : new String[] {"provider-east", "consumer-east"}) {
            assertThat(outcome(checks, "list-entries", "CUSTOM_DOMAIN", vantage).get("status").asInt()).isEqualTo(200);
            assertThat(outcome(checks, "daily-report", "CUSTOM_DOMAIN", vantage).get("status").asInt()).isEqualTo(200);
        }
        assertThat(outcome(checks, "unassociated-endpoint-refused", "VPCE_HOST_HEADER", "partner-east")
                .get("errorClass").asText()).isEqualTo("FORBIDDEN");
        assertThat(outcome(checks, "endpoint-policy-refuses", "VPCE_API_ID_HEADER", null).get("message").asText())
                .contains("POLICY_DENIED").contains("refused by the VPC endpoint policy");
        assertThat(outcome(checks, "api-policy-refuses", "VPCE_API_ID_HEADER", null).get("message").asText())
                .contains("refused by the API's resource policy");
        assertThat(outcome(checks, "domain-policy-refuses", "CUSTOM_DOMAIN", null).get("message").asText())
                .contains("refused by the private custom domain's policy");
    }
}
