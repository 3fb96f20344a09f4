package io.vpcanary.lab.policy;

import java.util.List;

/**
 * One parsed policy statement. It applies to a request when its principal, action, resource and every
 * condition match; a {@code Not...} element matches when the request matches none of its entries.
 *
 * @param index        zero-based position in the policy
 * @param sid          the Sid, or null
 * @param deny         true for Effect Deny, false for Allow
 * @param principals   the Principal or NotPrincipal entries
 * @param notPrincipal whether they came from NotPrincipal
 * @param actions      action patterns (case-insensitive, with wildcards)
 * @param notAction    whether they came from NotAction
 * @param resources    resource patterns with the execute-api shorthand expanded (case-sensitive, with wildcards)
 * @param notResource  whether they came from NotResource
 * @param conditions   all conditions, which must all hold
 */
record Statement(int index, String sid, boolean deny, PrincipalSet principals, boolean notPrincipal,
                 List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                 List<Condition> conditions) {

    Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    boolean matches(RequestContext request) {
        return principals.matches(request) != notPrincipal
                && anyAction(request.action()) != notAction
                && anyResource(request.resourceArn()) != notResource
                && conditions.stream().allMatch(c -> c.matches(request));
    }

    private boolean anyAction(String action) {
        return actions.stream().anyMatch(a -> Wildcard.matches(a, action, true));
    }

    private boolean anyResource(String arn) {
        return resources.stream().anyMatch(r -> resourceMatches(r, arn));
    }

    /**
     * Matches a resource pattern: an ARN pattern with {@link Wildcard#matchesArn} (wildcards stay within an
     * ARN field unless a {@code *} ends the field), anything else (such as {@code *}) as plain wildcard text.
     */
    static boolean resourceMatches(String pattern, String arn) {
        return pattern.startsWith("arn:") ? Wildcard.matchesArn(pattern, arn) : Wildcard.matches(pattern, arn, false);
    }
}
