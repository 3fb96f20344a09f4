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
     * Matches an ARN pattern: when both are six-field ARNs each field is matched on its own, so a wildcard
     * does not cross a colon between fields (as IAM does); otherwise the whole text is matched.
     */
    static boolean resourceMatches(String pattern, String arn) {
        String[] p = Arns.split(pattern);
        String[] a = Arns.split(arn);
        if (p == null || a == null) {
            return Wildcard.matches(pattern, arn, false);
        }
        for (int i = 0; i < 6; i++) {
            if (!Wildcard.matches(p[i], a[i], false)) {
                return false;
            }
        }
        return true;
    }
}
