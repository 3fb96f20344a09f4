package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The demo estate's orders policy, as the lab evaluates it in both regions. */
class DemoEstatePolicyTest {

    private static final Estate ESTATE = EstateLoader.demo();
    private static final Api ORDERS = ESTATE.api("orders").orElseThrow();

    private static ResourcePolicy policy(String region) {
        ApiRegion r = ORDERS.region(region).orElseThrow();
        return ResourcePolicy.parse(ORDERS.resourcePolicy(), region, ESTATE.account(), r.id());
    }

    private static String arn(String region, String path) {
        return "arn:aws:execute-api:" + region + ":" + ESTATE.account() + ":"
                + ORDERS.region(region).orElseThrow().id() + "/" + ORDERS.stage() + "/GET/" + path;
    }

    @ParameterizedTest(name = "{0} via {1} on /{2} -> {3} (statement {4})")
    @CsvSource(nullValues = "none", textBlock = """
            us-east-1, vpce-0e1a00000000000a1, orders, ALLOW,         0
            us-west-2, vpce-0b1a00000000000c3, orders, ALLOW,         0
            us-east-1, vpce-0b1a00000000000c3, orders, ALLOW,         0
            us-east-1, vpce-0e2b00000000000b2, orders, EXPLICIT_DENY, 1
            us-west-2, vpce-0e2b00000000000b2, orders, EXPLICIT_DENY, 1
            us-east-1, none,                   orders, EXPLICIT_DENY, 1
            us-east-1, VPCE-0E1A00000000000A1, orders, EXPLICIT_DENY, 1
            us-east-1, vpce-0e1a00000000000a1, ping,   ALLOW,         0
            us-east-1, vpce-0e1a00000000000a1, '',     ALLOW,         0
            us-east-1, '',                     orders, EXPLICIT_DENY, 1
            """)
    void ordersPolicy(String region, String vpce, String path, Decision expected, int statement) {
        Map<String, String> keys = vpce == null ? Map.of() : Map.of("aws:SourceVpce", vpce);
        RequestContext anonymous = RequestContext.anonymousInvoke(arn(region, path), keys);

        Evaluation evaluation = policy(region).explain(anonymous);

        assertThat(evaluation.decision()).isEqualTo(expected);
        assertThat(evaluation.statementIndex()).isEqualTo(statement);
        assertThat(policy(region).evaluate(anonymous)).isEqualTo(expected);
    }

    @Test
    void keyNamesAreCaseInsensitive() {
        RequestContext request = RequestContext.anonymousInvoke(arn("us-east-1", "orders"),
                Map.of("AWS:SOURCEVPCE", "vpce-0e1a00000000000a1"));
        assertThat(policy("us-east-1").evaluate(request)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void theShorthandCoversOnlyTheApiItBelongsTo() {
        RequestContext westArnOnEastPolicy = RequestContext.anonymousInvoke(arn("us-west-2", "orders"),
                Map.of("aws:SourceVpce", "vpce-0e1a00000000000a1"));
        assertThat(policy("us-east-1").explain(westArnOnEastPolicy)).isEqualTo(Evaluation.IMPLICIT);
    }

    @Test
    void aSignedCallerIsJudgedTheSameWay() {
        RequestContext signed = new RequestContext(Policies.SESSION, RequestContext.INVOKE, arn("us-east-1", "orders"),
                Map.of("aws:SourceVpce", "vpce-0e2b00000000000b2"));
        assertThat(policy("us-east-1").evaluate(signed)).isEqualTo(Decision.EXPLICIT_DENY);
    }
}
