package io.vpcanary.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcomes of one pass over a list of targets, in target order.
 *
 * @param startedAt when the run started (wall clock)
 * @param elapsed   how long the whole run took
 * @param outcomes  one outcome per target, in the order the targets were given
 */
public record ProbeRun(Instant startedAt, Duration elapsed, List<Outcome> outcomes) {

    public ProbeRun {
        outcomes = List.copyOf(outcomes);
    }

    /** Number of checks that met their expectation. */
    public int passedCount() {
        return (int) outcomes.stream().filter(Outcome::passed).count();
    }

    /** Number of checks that did not. */
    public int failedCount() {
        return outcomes.size() - passedCount();
    }

    /** Whether every check met its expectation (true for an empty run). */
    public boolean allPassed() {
        return failedCount() == 0;
    }
}
