package io.vpcanary.gameday.audit;

import java.util.Objects;

/**
 * One thing the Route 53 audit found wrong (or worth knowing) about a routed name.
 *
 * @param severity      how bad it is
 * @param rule          the rule's stable name, such as {@code FAILOVER_PAIR_INCOMPLETE}
 * @param zone          the hosted zone's name (with its trailing dot, as Route 53 writes it)
 * @param record        the record's name and type, such as {@code api.internal.example.com. A}
 * @param setIdentifier the record's set identifier, or null
 * @param message       what is wrong, in one line
 * @param fix           what to change, in one line
 */
public record Finding(Severity severity, String rule, String zone, String record, String setIdentifier,
                      String message, String fix) {

    /** How bad a finding is. */
    public enum Severity {
        /** Failover or routing will not work as configured: fix before relying on it. */
        ERROR,
        /** Works, but not as well as it could (slower failover, a surprising split, a forgotten game-day change). */
        WARNING,
        /** Worth knowing; nothing to change. */
        INFO
    }

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@code SEVERITY RULE record [set]: message; fix: fix}. */
    @Override
    public String toString() {
        return severity + " " + rule + " " + record + (setIdentifier == null ? "" : " [" + setIdentifier + "]") + ": "
                + message + "; fix: " + fix;
    }
}
