package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One way of breaking something for a game day, and of putting it back. The game day calls {@link #prepare()} (read
 * the previous values), writes the journal's begin line with that, calls {@link #inject(JsonNode)}, writes the applied
 * line with what it answers; on restore it calls {@link Restorer#restore} with the latest of those, which needs
 * nothing but that JSON (so {@code vpcanary gameday restore} can do it in another process after a SIGKILL).
 */
public interface FaultInjector {

    /** The journal kind, the name {@link Restorer} dispatches on. */
    String kind();

    /** What it does, in one line (no secrets). */
    String describe();

    /** Reads what a restore needs (previous values); changes nothing. */
    com.fasterxml.jackson.databind.node.ObjectNode prepare();

    /** Makes the change; answers the restore information to journal now that it is made (the prepared, completed). */
    JsonNode inject(com.fasterxml.jackson.databind.node.ObjectNode prepared);

    /** Stops anything it runs in this process (a publisher); the restore itself is {@link Restorer}'s. */
    default void stop() {
    }
}
