package io.vpcanary.lab.policy;

/**
 * A decision with the statement that made it, for logs.
 *
 * @param decision       the outcome
 * @param statementIndex zero-based index of the deciding statement (the first matching Deny for
 *                       {@link Decision#EXPLICIT_DENY}, the first matching Allow for {@link Decision#ALLOW}),
 *                       or -1 for {@link Decision#IMPLICIT_DENY}
 * @param sid            that statement's Sid, or null if it has none or there is no deciding statement
 */
public record Evaluation(Decision decision, int statementIndex, String sid) {

    static final Evaluation IMPLICIT = new Evaluation(Decision.IMPLICIT_DENY, -1, null);

    /** A one-line description such as {@code EXPLICIT_DENY by statement 1 (Sid DenyOtherVpces)}. */
    public String describe() {
        if (statementIndex < 0) {
            return decision + " (no statement matched)";
        }
        return decision + " by statement " + statementIndex + (sid == null ? "" : " (Sid " + sid + ")");
    }
}
