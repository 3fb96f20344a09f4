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
}
