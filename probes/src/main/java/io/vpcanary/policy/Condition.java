package io.vpcanary.policy;

import java.util.List;

/**
 * One key of one condition operator, such as {@code StringNotEquals: {aws:SourceVpce: [a, b]}}, as parsed. How it
 * is evaluated is documented in {@code docs/resource-policies.md} (and implemented by the lab).
 *
 * @param operator  the base operator
 * @param qualifier the set qualifier
 * @param ifExists  whether the operator had the IfExists suffix
 * @param key       the condition key name (matched case-insensitively)
 * @param values    the policy values (at least one)
 */
public record Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key, List<String> values) {

    /** The set operator prefix of a condition operator. */
    public enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    public Condition {
        values = List.copyOf(values);
    }
}
