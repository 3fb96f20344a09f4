package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.policy.PolicyException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helper: what {@code vpcanary validate} says about a policy document against what the lab says. The document
 * becomes the resource policy of the demo estate's {@code ledger} API (a PRIVATE API, {@code apis[2]}); the estate is
 * loaded as {@code vpcanary validate} loads it, and the document is parsed as the lab's front doors parse it.
 */
final class ValidatorAgreement {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int LEDGER = 2;
    private static final String LEDGER_POLICY = "/apis/" + LEDGER + "/resourcePolicy";

    private ValidatorAgreement() {
    }

    /**
     * Asserts that validate accepts {@code policy} exactly when the lab does, and that when both refuse it they name
     * the same field with the same message.
     */
    static void assertAgree(JsonNode policy) {
        List<EstateException.Problem> validate = validate(policy);
        PolicyException lab = null;
        try {
            ResourcePolicy.parse(policy, "us-east-1", "111122223333", "ledgreast1");
        } catch (PolicyException e) {
            lab = e;
        }
        if (lab == null) {
            assertThat(validate).as("validate accepts what the lab serves: %s", policy).isEmpty();
            return;
        }
        String problem = lab.problem();
        // the field as validate names it: indexes in brackets, names after dots, empty names left out
        String field = ("apis[" + LEDGER + "].resourcePolicy" + lab.pointer().replaceAll("/(\\d+)", "[$1]")
                .replace('/', '.')).replaceAll("\\.+$", "");
        assertThat(validate).as("validate refuses what the lab refuses (%s): %s", problem, policy)
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo(field);
                    assertThat(p.message()).isEqualTo(problem);
                    assertThat(p.line()).isPositive();
                    assertThat(p.column()).isPositive();
                });
    }

    /** The problems {@code vpcanary validate} reports for the demo estate with the ledger's policy replaced. */
    static List<EstateException.Problem> validate(JsonNode policy) {
        String yaml;
        try {
            JsonNode estate = YAML.readTree(EstateLoader.demoText());
            ((ObjectNode) estate.at("/apis/" + LEDGER)).set("resourcePolicy", policy);
            assertThat(estate.at(LEDGER_POLICY)).isEqualTo(policy);
            yaml = YAML.writeValueAsString(estate);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try {
            EstateLoader.parse(Path.of("estate.yaml"), yaml);
            return List.of();
        } catch (EstateException e) {
            return e.problems();
        }
    }
}
