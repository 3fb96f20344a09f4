package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.aws.ErrorCorpus;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Expectation;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a load run sees of a request, judged by the probe's classifier and expectation rules: the same class as the
 * probe for the same answer, the documented fallback when no answer and no cause are known, and refusals that a
 * check expects counting as passed.
 */
class EvidenceTest {

    static Target target(AccessPath path, Expectation expect) {
        return new Target("orders", ApiType.REST, "ordrseast1", "prod", "us-east-1", path, "list", "GET",
                URI.create("https://ordrseast1.execute-api.us-east-1.amazonaws.com/prod/orders"), Map.of(),
                "ordrseast1.execute-api.us-east-1.amazonaws.com", "canary-east", null, null, AuthType.NONE, expect);
    }

    @Test
    void aRealPolicyDenialIsPolicyDeniedAsInTheProbe() {
        ErrorCorpus.Entry deny = ErrorCorpus.entry("policy-explicit-deny");
        Evidence e = new Evidence(deny.status(), deny.errorType(), deny.body(), null, null, 12.0);
        Outcome o = e.judge(target(AccessPath.VPCE_API_ID_HEADER, Expectation.SUCCESS));
        assertThat(o.errorClass()).isEqualTo(ErrorClass.POLICY_DENIED)
                .isEqualTo(Classifier.ofResponse(deny.status(), deny.errorType(), deny.body(), AuthType.NONE));
        assertThat(o.passed()).isFalse();
        assertThat(o.message()).contains("POLICY_DENIED").contains("HTTP 403");
        assertThat(o.phases().totalMs()).isEqualTo(12.0);
        assertThat(o.phases().ttfbMs()).as("a load tool measures no phases").isNull();
    }

    @Test
    void aCheckThatExpectsTheRefusalPassesWhenRefused() {
        ErrorCorpus.Entry deny = ErrorCorpus.entry("policy-no-allow");
        Outcome o = new Evidence(deny.status(), deny.errorType(), deny.body(), null, null, 5.0)
                .judge(target(AccessPath.VPCE_API_ID_HEADER, new Expectation(403, null, null, ErrorClass.POLICY_DENIED)));
        assertThat(o.passed()).isTrue();
        assertThat(o.errorClass()).isEqualTo(ErrorClass.POLICY_DENIED);
    }

    @Test
    void noAnswerAndNoCauseFallsBackToProtocolAndAKnownCauseIsClassified() {
        Outcome unknown = new Evidence(null, null, null, null, null, 30.0)
                .judge(target(AccessPath.PRIVATE_DNS, Expectation.SUCCESS));
        assertThat(unknown.errorClass()).isEqualTo(Evidence.NO_ANSWER_WITHOUT_CAUSE).isEqualTo(ErrorClass.PROTOCOL);
        assertThat(unknown.passed()).isFalse();
        assertThat(unknown.message()).contains("no answer");
        Outcome refused = new Evidence(null, null, null, new java.net.ConnectException("Connection refused"), null,
                1.0).judge(target(AccessPath.PRIVATE_DNS, Expectation.SUCCESS));
        assertThat(refused.errorClass()).isEqualTo(ErrorClass.CONNECT);
    }

    @Test
    void aDnsConflictSeenByTheRunnerWinsOverTheAnswer() {
        Outcome o = new Evidence(403, null, "{\"message\":\"Forbidden\"}", null, "captured by private DNS", 3.0)
                .judge(target(AccessPath.REGIONAL, new Expectation(null, null, null, ErrorClass.DNS_CONFLICT)));
        assertThat(o.errorClass()).isEqualTo(ErrorClass.DNS_CONFLICT);
        assertThat(o.passed()).isTrue();
    }

    @Test
    void aHealthyAnswerChecksBodyAndBudgetAndOnlyABoundedPrefixIsKept() {
        String body = "{\"api\":\"orders\",\"region\":\"us-east-1\"}" + " ".repeat(10_000);
        Evidence e = new Evidence(200, null, body, null, null, 50.0);
        assertThat(e.bodyPrefix()).hasSize(Evidence.BODY_PREFIX_CHARS);
        Outcome ok = e.judge(target(AccessPath.PRIVATE_DNS, new Expectation(200, "\"api\":\"orders\"", 100L, null)));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.servedRegion()).as("read from the body prefix").isEqualTo("us-east-1");
        Outcome slow = e.judge(target(AccessPath.PRIVATE_DNS, new Expectation(200, null, 20L, null)));
        assertThat(slow.passed()).isFalse();
        assertThat(slow.errorClass()).isEqualTo(ErrorClass.ASSERTION);
        assertThat(slow.message()).contains("over the budget");
        Outcome small = new Evidence(200, null, "{\"region\":\"us-west-2\"}", null, null, 5.0)
                .judge(target(AccessPath.PRIVATE_DNS, Expectation.SUCCESS));
        assertThat(small.servedRegion()).isEqualTo("us-west-2");
    }

    @Test
    void theServedRegionIsReadAsATreeWouldReadIt() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String[] bodies = {
            "{\"api\":\"orders\",\"region\":\"us-east-1\",\"stage\":\"prod\"}",
            "  {\"nested\":{\"region\":\"eu-west-1\"},\"list\":[{\"region\":\"x\"}],\"region\":\"us-west-2\"}",
            "{\"nested\":{\"region\":\"eu-west-1\"}}",
            "{\"region\":\"us-east-1\",\"region\":\"us-west-2\"}",
            "{\"region\":\"us-east-1\",\"region\":7}",
            "{\"region\":7}", "{\"region\":null}", "{\"region\":{\"name\":\"us-east-1\"}}",
            "{\"region\":\"us-east-1\",\"rest\":\"cut he", "{\"region\":\"us-east-1\"} trailing",
            "{\"region\":\"us-east-1\",\"bad\":[1,}", "[{\"region\":\"us-east-1\"}]", "{}", "", "Forbidden",
        };
        for (String body : bodies) {
            String tree;
            try {
                com.fasterxml.jackson.databind.JsonNode node = json.readTree(body);
                com.fasterxml.jackson.databind.JsonNode field = node == null || !node.isObject() ? null
                        : node.get("region");
                tree = field != null && field.isTextual() ? field.asText() : null;
            } catch (java.io.IOException e) {
                tree = null;
            }
            assertThat(ProbeEngine.servedRegion(body)).as(body).isEqualTo(tree);
        }
        assertThat(ProbeEngine.servedRegion(bodies[0])).isEqualTo("us-east-1");
        assertThat(ProbeEngine.servedRegion(bodies[1])).isEqualTo("us-west-2");
    }
}
