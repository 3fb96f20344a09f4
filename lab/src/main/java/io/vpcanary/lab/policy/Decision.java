package io.vpcanary.lab.policy;

/**
 * The outcome of evaluating a resource policy for one request, as IAM reports it.
 *
 * <ul>
 *   <li>{@link #ALLOW}: at least one Allow statement matched and no Deny statement matched.</li>
 *   <li>{@link #EXPLICIT_DENY}: a Deny statement matched; this wins over any Allow.</li>
 *   <li>{@link #IMPLICIT_DENY}: no statement matched at all (nothing allows the request).</li>
 * </ul>
 */
public enum Decision {
    ALLOW, EXPLICIT_DENY, IMPLICIT_DENY;

    /** Whether the request may proceed. */
    public boolean allowed() {
        return this == ALLOW;
    }
}
