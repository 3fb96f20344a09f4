package io.vpcanary.lab.policy;

import static io.vpcanary.lab.policy.Policies.invoke;
import static io.vpcanary.lab.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How statements combine: explicit Deny wins, then Allow, then implicit deny; and which statement explains it. */
class EvaluationOrderTest {

    /** Allows GET on prod orders (any depth) and POST on exactly prod/orders; denies everything under /admin. */
    private static final ResourcePolicy SCOPED = policy("""
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "ReadOrders", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                 "Resource": ["execute-api:/prod/GET/orders", "execute-api:/prod/GET/orders/*"]},
                {"Sid": "CreateOrder", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
                 "Action": "execute-api:Invoke", "Resource": "execute-api:/prod/POST/orders"},
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:*", "Resource": "execute-api:/*/*/admin*"},
                {"Sid": "NoAdmin", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                 "Resource": "execute-api:/*/*/admin*"}
              ]
            }
            """);

    static Stream<Arguments> scoped() {
        String role = Policies.ROLE;
        return Stream.of(
                Arguments.of(invoke(null, "prod/GET/orders"), new Evaluation(Decision.ALLOW, 0, "ReadOrders")),
                Arguments.of(invoke(null, "prod/GET/orders/42"), new Evaluation(Decision.ALLOW, 0, "ReadOrders")),
                Arguments.of(invoke(null, "prod/GET/orders/42/lines"), new Evaluation(Decision.ALLOW, 0, "ReadOrders")),
                Arguments.of(invoke(null, "prod/GET/ordersx"), Evaluation.IMPLICIT),
                Arguments.of(invoke(null, "beta/GET/orders"), Evaluation.IMPLICIT),
                Arguments.of(invoke(null, "prod/HEAD/orders"), Evaluation.IMPLICIT),
                Arguments.of(invoke(null, "prod/POST/orders"), Evaluation.IMPLICIT),
                Arguments.of(invoke(role, "prod/POST/orders"), new Evaluation(Decision.ALLOW, 1, "CreateOrder")),
                Arguments.of(invoke(Policies.OTHER_ACCOUNT_ROLE, "prod/POST/orders"), Evaluation.IMPLICIT),
                Arguments.of(invoke(role, "prod/POST/orders/42"), Evaluation.IMPLICIT),
                Arguments.of(invoke(null, "prod/GET/admin"), new Evaluation(Decision.EXPLICIT_DENY, 3, "NoAdmin")),
                Arguments.of(invoke(role, "beta/DELETE/admin/users"), new Evaluation(Decision.EXPLICIT_DENY, 3, "NoAdmin")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("scoped")
    void scopedAllowWithDeny(RequestContext request, Evaluation expected) {
        assertThat(SCOPED.explain(request)).isEqualTo(expected);
        assertThat(SCOPED.evaluate(request)).isEqualTo(expected.decision());
    }

    @Test
    void aDenyWinsWhereverItStands() {
        String allow = "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}";
        String deny = "{\"Sid\": \"Stop\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}";
        RequestContext request = invoke(null, "prod/GET/orders");

        assertThat(policy("{\"Statement\": [" + allow + ", " + deny + "]}").explain(request))
                .isEqualTo(new Evaluation(Decision.EXPLICIT_DENY, 1, "Stop"));
        assertThat(policy("{\"Statement\": [" + deny + ", " + allow + "]}").explain(request))
                .isEqualTo(new Evaluation(Decision.EXPLICIT_DENY, 0, "Stop"));
    }

    @Test
    void theFirstMatchingAllowExplainsAnAllow() {
        String a = "{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"execute-api:/beta/*\"}";
        String b = "{\"Sid\": \"B\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"execute-api:/*\"}";
        String c = "{\"Sid\": \"C\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}";
        Evaluation e = policy("{\"Statement\": [" + a + ", " + b + ", " + c + "]}").explain(invoke(null, "prod/GET/orders"));
        assertThat(e).isEqualTo(new Evaluation(Decision.ALLOW, 1, "B"));
        assertThat(e.describe()).isEqualTo("ALLOW by statement 1 (Sid B)");
    }

    @Test
    void withoutAnAllowStatementEverythingIsImplicitlyDenied() {
        ResourcePolicy denyOnly = policy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                  "Resource": "execute-api:/*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0e1a00000000000a1"}}}}
                """);
        Evaluation allowedVpce = denyOnly.explain(invoke(null, "prod/GET/orders", "aws:SourceVpce", "vpce-0e1a00000000000a1"));
        assertThat(allowedVpce).isEqualTo(Evaluation.IMPLICIT);
        assertThat(allowedVpce.describe()).isEqualTo("IMPLICIT_DENY (no statement matched)");
        assertThat(denyOnly.evaluate(invoke(null, "prod/GET/orders", "aws:SourceVpce", "vpce-0e2b00000000000b2")))
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(policy("{\"Statement\": []}").evaluate(invoke(null, "prod/GET/orders"))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aStatementWithoutSidIsExplainedByIndex() {
        String noSid = "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}";
        Evaluation e = policy("{\"Statement\": [" + noSid + "]}").explain(invoke(null, "prod/GET/orders"));
        assertThat(e).isEqualTo(new Evaluation(Decision.EXPLICIT_DENY, 0, null));
        assertThat(e.describe()).isEqualTo("EXPLICIT_DENY by statement 0");
    }

    @Test
    void onlyAllowIsAllowed() {
        assertThat(Decision.ALLOW.allowed()).isTrue();
        assertThat(Decision.EXPLICIT_DENY.allowed()).isFalse();
        assertThat(Decision.IMPLICIT_DENY.allowed()).isFalse();
    }

    @Test
    void aPolicyDescribesItsApi() {
        assertThat(SCOPED.apiArn()).isEqualTo(Policies.API_ARN);
        assertThat(SCOPED.statementCount()).isEqualTo(4);
        assertThat(SCOPED).hasToString("ResourcePolicy[" + Policies.API_ARN + ", 4 statement(s)]");
    }
}
