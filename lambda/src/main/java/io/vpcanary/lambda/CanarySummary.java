package io.vpcanary.lambda;

import java.util.List;

/**
 * What one invocation returns (serialised as JSON): how many rounds ran, how many checks they sent, how many met
 * their expectation, and which did not. A failing check is data here, never an exception.
 *
 * @param vantage         where the canary stood (comma-separated when a lab rehearsal stands in several)
 * @param rounds          rounds run
 * @param checks          checks sent over all rounds (targets × rounds)
 * @param passed          checks that met their expectation
 * @param failed          checks that did not
 * @param targets         targets per round
 * @param cutShort        whether fewer rounds than {@code VPCANARY_ROUNDS} ran because the invocation's remaining
 *                        time would not hold another
 * @param failures        the checks that failed, at most {@link #MAX_FAILURES}
 * @param failuresOmitted failures not listed
 * @param samplesSent     metric samples published (EMF or CloudWatch); 0 with {@code VPCANARY_PUBLISH=none}
 * @param metricsDropped  whether publishing dropped samples (the function's log has the publish line saying why)
 */
public record CanarySummary(String vantage, int rounds, int checks, int passed, int failed, int targets,
                            boolean cutShort, List<Failure> failures, int failuresOmitted, long samplesSent,
                            boolean metricsDropped) {

    /** Failures listed in one summary at most. */
    public static final int MAX_FAILURES = 50;

    public CanarySummary {
        failures = List.copyOf(failures);
    }

    /**
     * One check that did not meet its expectation.
     *
     * @param round      the round (from 1)
     * @param id         {@code api/check/accessPath/region}
     * @param status     HTTP status, or null when no answer arrived
     * @param errorClass the error class, or null when an answer missed the expectation without one
     * @param message    what failed, redacted by the probe engine (no credential, token or signature)
     */
    public record Failure(int round, String id, Integer status, String errorClass, String message) {
    }
}
