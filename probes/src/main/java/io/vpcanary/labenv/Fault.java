package io.vpcanary.labenv;

import java.time.Instant;

/**
 * A fault a lab holds: its id, what was asked, and when it started and expires.
 *
 * @param id        the lab's id of the fault, for {@link LabControl#clear(String)}
 * @param spec      what was asked
 * @param started   when the lab set it
 * @param expires   when it ends by itself
 */
public record Fault(String id, FaultSpec spec, Instant started, Instant expires) {

    /** Whether it is still in force at {@code now}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(expires);
    }
}
