package io.vpcanary.estate;

/**
 * How a custom domain name picks the API a request goes to (API Gateway routing rules, June 2025): by its API
 * mappings (base path mappings) only, by its routing rules only, or by its rules and then, when none matches, by its
 * mappings.
 */
public enum RoutingMode {
    API_MAPPING_ONLY,
    ROUTING_RULE_ONLY,
    ROUTING_RULE_THEN_API_MAPPING;

    /** Whether the domain's routing rules are evaluated. */
    public boolean usesRules() {
        return this != API_MAPPING_ONLY;
    }

    /** Whether the domain's API mappings are evaluated (after the rules, when both are). */
    public boolean usesMappings() {
        return this != ROUTING_RULE_ONLY;
    }
}
