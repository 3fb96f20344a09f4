package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    private static final String ARN = Policies.arn("prod/GET/orders");

    @Test
    void keyNamesIgnoreCaseAndValuesKeepIt() {
        RequestContext r = RequestContext.anonymousInvoke(ARN, Map.of("aws:SourceVpce", "VPCE-A"));
        assertThat(r.key("AWS:SOURCEVPCE")).contains("VPCE-A");
        assertThat(r.keys()).containsKey("aws:sourcevpce");
        assertThat(r.key("aws:SourceVpc")).isEmpty();
    }

    @Test
    void keysAreCopiedAndReadOnly() {
        Map<String, String> keys = new HashMap<>(Map.of("aws:SourceVpce", "vpce-a"));
        RequestContext r = RequestContext.anonymousInvoke(ARN, keys);
        keys.put("aws:SourceVpce", "vpce-b");
        assertThat(r.key("aws:SourceVpce")).contains("vpce-a");
        assertThatThrownBy(() -> r.keys().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new RequestContext(null, RequestContext.INVOKE, ARN, null).keys()).isEmpty();
    }

    @Test
    void theCallerIsDescribed() {
        RequestContext anonymous = RequestContext.anonymousInvoke(ARN, Map.of());
        assertThat(anonymous.anonymous()).isTrue();
        assertThat(anonymous.principalAccount()).isNull();
        RequestContext session = new RequestContext(Policies.SESSION, RequestContext.INVOKE, ARN, Map.of());
        assertThat(session.anonymous()).isFalse();
        assertThat(session.principalAccount()).isEqualTo("111122223333");
    }

    @Test
    void badRequestsAreRefused() {
        assertThatThrownBy(() -> new RequestContext(null, "", ARN, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an action");
        assertThatThrownBy(() -> new RequestContext(null, RequestContext.INVOKE, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a resource ARN");
        assertThatThrownBy(() -> new RequestContext("canary", RequestContext.INVOKE, ARN, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("principal 'canary' is not an ARN");
        Map<String, String> twice = new HashMap<>();
        twice.put("aws:SourceVpce", "a");
        twice.put("AWS:SOURCEVPCE", "b");
        assertThatThrownBy(() -> RequestContext.anonymousInvoke(ARN, twice))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is given twice");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("aws:SourceVpce", null);
        assertThatThrownBy(() -> RequestContext.anonymousInvoke(ARN, nullValue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no value");
    }

    @Test
    void invokeAddsThePrincipalKeysAsIamDoes() {
        RequestContext session = RequestContext.invoke(Policies.SESSION, ARN, Map.of("aws:SourceVpce", "vpce-a"));
        assertThat(session.action()).isEqualTo(RequestContext.INVOKE);
        assertThat(session.key("aws:principalarn")).contains("arn:aws:iam::111122223333:role/canary");
        assertThat(session.key("aws:PrincipalAccount")).contains("111122223333");
        assertThat(session.key("aws:SourceVpce")).contains("vpce-a");

        String user = "arn:aws:iam::444455556666:user/alice";
        assertThat(RequestContext.invoke(user, ARN, null).key("aws:PrincipalArn")).contains(user);
        assertThat(RequestContext.invoke(user, ARN, Map.of("AWS:PRINCIPALACCOUNT", "x")).key("aws:PrincipalAccount")).contains("x");
        assertThat(RequestContext.invoke(null, ARN, Map.of()).keys()).isEmpty();
        assertThatThrownBy(() -> RequestContext.invoke("alice", ARN, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("principal 'alice' is not an ARN");
    }

    @Test
    void aPrincipalArnConditionSeesTheRoleOfASession() {
        ResourcePolicy policy = Policies.statement("""
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
                 "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/can*"}}}
                """);
        assertThat(policy.evaluate(RequestContext.invoke(Policies.SESSION, ARN, Map.of()))).isEqualTo(Decision.ALLOW);
        assertThat(policy.evaluate(RequestContext.invoke(Policies.OTHER_ACCOUNT_ROLE, ARN, Map.of()))).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(policy.evaluate(RequestContext.invoke(null, ARN, Map.of()))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void aPolicyBuildsTheResourceArnOfARequest() {
        ResourcePolicy policy = Policies.policy("{\"Statement\": []}");
        assertThat(policy.resourceArn("prod", "GET", "/orders/42")).isEqualTo(Policies.arn("prod/GET/orders/42"));
        assertThat(policy.resourceArn("prod", "GET", "/")).isEqualTo(Policies.arn("prod/GET/"));
        assertThat(policy.resourceArn("prod", "POST", "orders")).isEqualTo(Policies.arn("prod/POST/orders"));
        assertThatThrownBy(() -> policy.resourceArn("", "GET", "/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a stage, a method and a path");
    }
}
