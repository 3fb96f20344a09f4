package io.vpcanary.policy;

import java.util.List;

/**
 * One parsed policy statement. It applies to a request when its principal, action, resource and every
 * condition match; a {@code Not...} element matches when the request matches none of its entries (the lab
 * evaluates it; see {@code docs/resource-policies.md}).
 *
 * @param index        zero-based position in the policy
 * @param sid          the Sid, or null
 * @param deny         true for Effect Deny, false for Allow
 * @param principals   the Principal or NotPrincipal entries: {@code "*"}, 12-digit account ids or ARNs without
 *                     wildcards
 * @param notPrincipal whether they came from NotPrincipal
 * @param actions      action patterns (case-insensitive, with wildcards)
 * @param notAction    whether they came from NotAction
 * @param resources    resource patterns with the execute-api shorthand expanded (case-sensitive, with wildcards)
 * @param notResource  whether they came from NotResource
 * @param conditions   all conditions, which must all hold
 */
public record Statement(int index, String sid, boolean deny, List<String> principals, boolean notPrincipal,
                        List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                        List<Condition> conditions) {

    public Statement {
        principals = List.copyOf(principals);
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }
}
