package io.vpcanary.lab.policy;

import java.util.List;
import java.util.Optional;

/**
 * One key of one condition operator, such as {@code StringNotEquals: {aws:SourceVpce: [a, b]}}.
 *
 * <p>Evaluation against a single-valued request key {@code v} (a missing key is an empty set):
 * <ul>
 *   <li>plain positive operator: true if {@code v} matches any policy value; false if the key is missing</li>
 *   <li>plain negated operator: true if {@code v} matches none of the policy values; true if missing</li>
 *   <li>{@code ...IfExists}: as above, but true whenever the key is missing</li>
 *   <li>{@code ForAnyValue:}: true if some request value passes the (per value) test; false if missing
 *       (true with IfExists)</li>
 *   <li>{@code ForAllValues:}: true if every request value passes; true if missing</li>
 * </ul>
 *
 * @param operator  the base operator
 * @param qualifier the set qualifier
 * @param ifExists  whether the operator had the IfExists suffix
 * @param key       the condition key name (matched case-insensitively)
 * @param values    the policy values (at least one)
 */
record Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key, List<String> values) {

    /** The set operator prefix of a condition operator. */
    enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    Condition {
        values = List.copyOf(values);
    }

    boolean matches(RequestContext request) {
        Optional<String> value = request.key(key);
        if (value.isEmpty()) {
            return switch (qualifier) {
                case NONE -> ifExists || operator.negated;
                case FOR_ANY_VALUE -> ifExists;
                case FOR_ALL_VALUES -> true;
            };
        }
        // With single-valued keys the set qualifiers reduce to the per-value test.
        return passes(value.get());
    }

    private boolean passes(String requestValue) {
        boolean any = false;
        for (String policyValue : values) {
            if (operator.matchesOne(policyValue, requestValue)) {
                any = true;
                break;
            }
        }
        return operator.negated ? !any : any;
    }
}
