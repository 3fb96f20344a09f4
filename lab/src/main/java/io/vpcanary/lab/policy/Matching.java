package io.vpcanary.lab.policy;

import io.vpcanary.policy.Arns;
import io.vpcanary.policy.Condition;
import io.vpcanary.policy.ConditionOperator;
import io.vpcanary.policy.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a parsed {@link Statement} applies to a request: its principal, action, resource and every condition
 * match; a {@code Not...} element matches when the request matches none of its entries.
 */
final class Matching {

    private Matching() {
    }

    static boolean statement(Statement s, RequestContext request) {
        return principals(s.principals(), request) != s.notPrincipal()
                && s.actions().stream().anyMatch(a -> Wildcard.matches(a, request.action(), true)) != s.notAction()
                && s.resources().stream().anyMatch(r -> resource(r, request.resourceArn())) != s.notResource()
                && s.conditions().stream().allMatch(c -> condition(c, request));
    }

    /**
     * Matches a resource pattern: an ARN pattern with {@link Wildcard#matchesArn} (wildcards stay within an
     * ARN field unless a {@code *} ends the field), anything else (such as {@code *}) as plain wildcard text.
     */
    static boolean resource(String pattern, String arn) {
        return pattern.startsWith("arn:") ? Wildcard.matchesArn(pattern, arn) : Wildcard.matches(pattern, arn, false);
    }

    /**
     * Whether the caller is one of the principals. An entry matches a caller when it is {@code "*"} (everyone,
     * including anonymous callers); a 12-digit account id or an account root ARN {@code arn:aws:iam::ACCOUNT:root}
     * (any principal of that account); the caller's exact ARN; or a role ARN
     * {@code arn:aws:iam::ACCOUNT:role/[path/]NAME} when the caller is a session of that role,
     * {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}. An anonymous caller matches only {@code "*"}.
     */
    static boolean principals(List<String> entries, RequestContext request) {
        for (String entry : entries) {
            if (principal(entry, request)) {
                return true;
            }
        }
        return false;
    }

    private static boolean principal(String entry, RequestContext request) {
        if (entry.equals("*")) {
            return true;
        }
        if (request.anonymous()) {
            return false;
        }
        String caller = request.principalArn();
        String[] callerArn = Arns.split(caller);
        if (Arns.isAccountId(entry)) {
            return entry.equals(callerArn[4]);
        }
        String[] arn = Arns.split(entry);
        if (arn[2].equals("iam") && arn[5].equals("root")) {
            return arn[1].equals(callerArn[1]) && arn[4].equals(callerArn[4]);
        }
        if (entry.equals(caller)) {
            return true;
        }
        return isSessionOfRole(arn, callerArn);
    }

    private static boolean isSessionOfRole(String[] role, String[] caller) {
        if (!role[2].equals("iam") || !role[5].startsWith("role/")
                || !caller[2].equals("sts") || !caller[5].startsWith("assumed-role/")) {
            return false;
        }
        if (!role[1].equals(caller[1]) || !role[4].equals(caller[4])) {
            return false;
        }
        String roleName = role[5].substring(role[5].lastIndexOf('/') + 1);
        String[] session = caller[5].split("/", 3);
        return session.length == 3 && session[1].equals(roleName);
    }

    /**
     * One condition against a single-valued request key {@code v} (a missing key is an empty set):
     * <ul>
     *   <li>plain positive operator: true if {@code v} matches any policy value; false if the key is missing</li>
     *   <li>plain negated operator: true if {@code v} matches none of the policy values; true if missing</li>
     *   <li>{@code ...IfExists}: as above, but true whenever the key is missing</li>
     *   <li>{@code ForAnyValue:}: true if some request value passes the (per value) test; false if missing
     *       (true with IfExists)</li>
     *   <li>{@code ForAllValues:}: true if every request value passes; true if missing</li>
     * </ul>
     */
    static boolean condition(Condition c, RequestContext request) {
        Optional<String> value = request.key(c.key());
        if (value.isEmpty()) {
            return switch (c.qualifier()) {
                case NONE -> c.ifExists() || c.operator().negated();
                case FOR_ANY_VALUE -> c.ifExists();
                case FOR_ALL_VALUES -> true;
            };
        }
        // With single-valued keys the set qualifiers reduce to the per-value test.
        boolean any = false;
        for (String policyValue : c.values()) {
            if (matchesOne(c.operator(), policyValue, value.get())) {
                any = true;
                break;
            }
        }
        return c.operator().negated() != any;
    }

    /** Whether a request value matches one policy value, before negation. */
    private static boolean matchesOne(ConditionOperator operator, String policyValue, String requestValue) {
        if (operator.wildcards()) {
            return Wildcard.matches(policyValue, requestValue, false);
        }
        if (operator.ignoreCase()) {
            return policyValue.toLowerCase(Locale.ROOT).equals(requestValue.toLowerCase(Locale.ROOT));
        }
        return policyValue.equals(requestValue);
    }
}
