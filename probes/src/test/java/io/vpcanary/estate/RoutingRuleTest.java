package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.RoutingRule.HeaderMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing rule conditions as API Gateway's routing-rules guide describes them (June 2025). */
class RoutingRuleTest {

    @Test
    void valueGlobsAreLiteralPrefixSuffixOrContainsAndCaseSensitive() {
        assertThat(new HeaderMatch("x-version", "beta").matches("beta")).isTrue();
        assertThat(new HeaderMatch("x-version", "beta").matches("beta2")).isFalse();
        assertThat(new HeaderMatch("x-version", "a*").matches("alpha")).isTrue();
        assertThat(new HeaderMatch("x-version", "a*").matches("beta")).isFalse();
        assertThat(new HeaderMatch("x-version", "*-gold").matches("acme-gold")).isTrue();
        assertThat(new HeaderMatch("x-version", "*-gold").matches("acme-golden")).isFalse();
        assertThat(new HeaderMatch("x-version", "*gold*").matches("acme-golden")).isTrue();
        assertThat(new HeaderMatch("x-version", "*").matches("anything")).isTrue();
        assertThat(new HeaderMatch("x-version", "beta").matches("Beta")).isFalse();
        assertThat(new HeaderMatch("x-version", "beta").matches(null)).isFalse();
    }

    @Test
    void allConditionsMustHoldHeaderNamesInAnyCaseAndTheBasePathAsWholeSegments() {
        RoutingRule rule = new RoutingRule(10, List.of(new HeaderMatch("X-Tenant", "*-gold"),
                new HeaderMatch("x-version", "v2")), "users", "audit", null, false);
        assertThat(rule.matches(Map.of("x-tenant", "acme-gold", "x-version", "v2"), "/users/7")).isTrue();
        assertThat(rule.matches(Map.of("x-tenant", "acme-gold", "x-version", "v2"), "/users")).isTrue();
        assertThat(rule.matches(Map.of("x-tenant", "acme-gold", "x-version", "v2"), "/usersx/7")).isFalse();
        assertThat(rule.matches(Map.of("x-tenant", "acme-gold"), "/users/7")).isFalse();
        RoutingRule catchAll = new RoutingRule(100, null, null, "catalog", null, null);
        assertThat(catchAll.matches(Map.of(), "/anything")).isTrue();
    }

    @Test
    void theBasePathIsStrippedOnlyWhenTheRuleSaysSo() {
        assertThat(new RoutingRule(1, null, "/books/", "ledger", null, true).forwardedPath("/books/entries"))
                .isEqualTo("/entries");
        assertThat(new RoutingRule(1, null, "books", "ledger", null, true).forwardedPath("/books")).isEqualTo("/");
        assertThat(new RoutingRule(1, null, "books", "ledger", null, false).forwardedPath("/books/entries"))
                .isEqualTo("/books/entries");
    }
}
