package io.vpcanary.lab.policy;

import io.vpcanary.policy.Arns;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a resource policy is evaluated against: who calls, what they do, on what, with which condition keys.
 *
 * @param principalArn the caller's IAM ARN, such as {@code arn:aws:iam::111122223333:role/canary} or
 *                     {@code arn:aws:sts::111122223333:assumed-role/canary/session}; {@code null} for an
 *                     anonymous (unsigned) caller
 * @param action       the action, normally {@code execute-api:Invoke}
 * @param resourceArn  the resource, {@code arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}}
 *                     with the resource path without its leading slash
 * @param keys         the request's condition keys, such as {@code aws:SourceVpce}; names are
 *                     case-insensitive (the stored map ignores case), values are kept as given. Each key is
 *                     single-valued. {@code null} means none.
 * @throws IllegalArgumentException if action or resourceArn is missing, the principal is not an ARN, or two
 *                                  keys differ only in case
 */
public record RequestContext(String principalArn, String action, String resourceArn, Map<String, String> keys) {

    /** The action API Gateway authorizes. */
    public static final String INVOKE = "execute-api:Invoke";
    /** The global condition key with the caller's ARN. */
    public static final String PRINCIPAL_ARN = "aws:PrincipalArn";
    /** The global condition key with the caller's account id. */
    public static final String PRINCIPAL_ACCOUNT = "aws:PrincipalAccount";

    public RequestContext {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("a request needs an action, such as " + INVOKE);
        }
        if (resourceArn == null || resourceArn.isBlank()) {
            throw new IllegalArgumentException("a request needs a resource ARN");
        }
        if (principalArn != null && Arns.split(principalArn) == null) {
            throw new IllegalArgumentException("principal '" + principalArn
                    + "' is not an ARN (arn:partition:service:region:account:resource); use null for anonymous");
        }
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (keys != null) {
            for (Map.Entry<String, String> e : keys.entrySet()) {
                Objects.requireNonNull(e.getKey(), "condition key name");
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("condition key '" + e.getKey() + "' has no value; leave it out instead");
                }
                if (copy.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("condition key '" + e.getKey()
                            + "' is given twice (key names are case-insensitive)");
                }
            }
        }
        keys = Collections.unmodifiableMap(copy);
    }

    /**
     * An {@code execute-api:Invoke} request that also carries the principal's global condition keys, as
     * IAM sets them for a signed caller: {@code aws:PrincipalArn} (for an assumed-role session the role's
     * ARN {@code arn:aws:iam::ACCOUNT:role/NAME}; IAM would include the role's path, which a session ARN
     * does not carry, so the lab leaves it out) and {@code aws:PrincipalAccount}. Keys given explicitly in
     * {@code keys} win. For an anonymous caller ({@code principalArn == null}) nothing is added.
     */
    public static RequestContext invoke(String principalArn, String resourceArn, Map<String, String> keys) {
        TreeMap<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (principalArn != null) {
            String[] arn = Arns.split(principalArn);
            if (arn == null) {
                throw new IllegalArgumentException("principal '" + principalArn
                        + "' is not an ARN (arn:partition:service:region:account:resource); use null for anonymous");
            }
            all.put(PRINCIPAL_ARN, principalKeyArn(arn, principalArn));
            all.put(PRINCIPAL_ACCOUNT, arn[4]);
        }
        if (keys != null) {
            for (Map.Entry<String, String> e : keys.entrySet()) {
                all.remove(e.getKey());
            }
        }
        Map<String, String> merged = new HashMap<>(all);
        if (keys != null) {
            merged.putAll(keys);
        }
        return new RequestContext(principalArn, INVOKE, resourceArn, merged);
    }

    private static String principalKeyArn(String[] arn, String principalArn) {
        if (arn[2].equals("sts") && arn[5].startsWith("assumed-role/")) {
            String[] session = arn[5].split("/", 3);
            if (session.length == 3) {
                return "arn:" + arn[1] + ":iam::" + arn[4] + ":role/" + session[1];
            }
        }
        return principalArn;
    }

    /** An anonymous {@code execute-api:Invoke} request with the given condition keys. */
    public static RequestContext anonymousInvoke(String resourceArn, Map<String, String> keys) {
        return new RequestContext(null, INVOKE, resourceArn, keys);
    }

    /** Whether the caller is anonymous (did not sign the request). */
    public boolean anonymous() {
        return principalArn == null;
    }

    /** The value of a condition key (name case-insensitive), if the request has it. */
    public Optional<String> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The caller's account id (the ARN's account field), or null for an anonymous caller. */
    public String principalAccount() {
        return principalArn == null ? null : Arns.split(principalArn)[4];
    }
}
