package io.vpcanary.policy;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The string condition operators a resource policy may use (what {@code vpcanary validate} accepts and the lab
 * evaluates), without their {@code IfExists} suffix and {@code ForAnyValue:}/{@code ForAllValues:} prefix.
 */
public enum ConditionOperator {
    StringEquals(false, false, false),
    StringNotEquals(true, false, false),
    StringEqualsIgnoreCase(false, true, false),
    StringNotEqualsIgnoreCase(true, true, false),
    StringLike(false, false, true),
    StringNotLike(true, false, true);

    private static final Map<String, ConditionOperator> BY_NAME =
            Stream.of(values()).collect(Collectors.toMap(Enum::name, o -> o));

    private final boolean negated;
    private final boolean ignoreCase;
    private final boolean wildcards;

    ConditionOperator(boolean negated, boolean ignoreCase, boolean wildcards) {
        this.negated = negated;
        this.ignoreCase = ignoreCase;
        this.wildcards = wildcards;
    }

    /** Whether the operator is negated: it holds only if the value matches none of the policy's values. */
    public boolean negated() {
        return negated;
    }

    /** Whether values are compared ignoring case. */
    public boolean ignoreCase() {
        return ignoreCase;
    }

    /** Whether {@code *} and {@code ?} in policy values are wildcards (StringLike, StringNotLike). */
    public boolean wildcards() {
        return wildcards;
    }

    /** The operator with this exact (case-sensitive) name, or null. */
    public static ConditionOperator named(String name) {
        return BY_NAME.get(name);
    }

    /** The supported names, sorted and comma-separated, for messages and the schema. */
    public static String names() {
        return Stream.of(values()).map(Enum::name).sorted().collect(Collectors.joining(", "));
    }
}
