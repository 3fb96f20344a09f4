package io.vpcanary.core;

import java.util.Locale;

/** What a runner faces: the lab (its environment file says everything) or a real AWS estate. */
public enum TargetMode {
    /** A lab: every vantage has a resolver view, the lab CA is trusted, the lab's principal and clients sign in. */
    LAB,
    /** A real estate: the client stands in the vantages it is told, with the resolvers, trust and credentials given. */
    AWS;

    /** {@code lab} or {@code aws}, in any case. */
    public static TargetMode parse(String what, String text) {
        for (TargetMode m : values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException(what + " must be lab or aws; got '" + text + "'");
    }

    /** {@code lab} or {@code aws}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
