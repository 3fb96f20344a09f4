package io.vpcanary.lab.policy;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The string condition operators the lab evaluates (the same set the estate validator accepts), without
 * their {@code IfExists} suffix and {@code ForAnyValue:}/{@code ForAllValues:} prefix.
 */
enum ConditionOperator {
    StringEquals(false, false, false),
    StringNotEquals(true, false, false),
    StringEqualsIgnoreCase(false, true, false),
    StringNotEqualsIgnoreCase(true, true, false),
    StringLike(false, false, true),
    StringNotLike(true, false, true);

    private static final Map<String, ConditionOperator> BY_NAME =
            Stream.of(values()).collect(Collectors.toMap(Enum::name, o -> o));

    /** Whether the operator is negated: true only if the value matches none of the policy's values. */
    final boolean negated;
    private final boolean ignoreCase;
    private final boolean wildcards;

    ConditionOperator(boolean negated, boolean ignoreCase, boolean wildcards) {
        this.negated = negated;
        this.ignoreCase = ignoreCase;
        this.wildcards = wildcards;
    }

    /** The operator with this exact (case-sensitive) name, or null. */
    static ConditionOperator named(String name) {
        return BY_NAME.get(name);
    }

    /** The supported names, for error messages. */
    static String names() {
        return Stream.of(values()).map(Enum::name).sorted().collect(Collectors.joining(", "));
    }

    /** Whether a request value matches one policy value, before negation. */
    boolean matchesOne(String policyValue, String requestValue) {
        if (wildcards) {
            return Wildcard.matches(policyValue, requestValue, false);
        }
        if (ignoreCase) {
            return policyValue.toLowerCase(Locale.ROOT).equals(requestValue.toLowerCase(Locale.ROOT));
        }
        return policyValue.equals(requestValue);
    }
}
