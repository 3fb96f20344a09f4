package io.vpcanary.probe;

import io.vpcanary.estate.Expectation;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one outcome against its {@link Expectation}.
 *
 * <p>A negative check (expected error class E) passes when the outcome's class is E and the expected status, body
 * text and latency budget, when given, match. A positive check passes when there is no error class; an answer without
 * an error status that misses the expected status (any 2xx when none is given), body text, latency budget or minimum
 * TLS version gets {@link ErrorClass#ASSERTION}.
 *
 * @param errorClass the final error class (ASSERTION added when a positive check missed)
 * @param passed     whether the expectation was met
 * @param message    what missed or failed, or null
 */
record Verdict(ErrorClass errorClass, boolean passed, String message) {

    /** As {@link #judge(Expectation, Integer, ErrorClass, String, String, Double, String)} for calls whose TLS
     * version is not observed (load runs): {@code expect.tlsVersion} is not judged. */
    static Verdict judge(Expectation expect, Integer status, ErrorClass observed, String detail, String body,
                         Double totalMs) {
        return judge(expect, status, observed, detail, body, totalMs, null, false);
    }

    /**
     * @param expect      the expectation
     * @param status      HTTP status, or null when no answer arrived
     * @param observed    the class observed so far (transport, HTTP status or DNS conflict), or null
     * @param detail      what went wrong at that layer, or null
     * @param body        the response body read, or null
     * @param totalMs     total time of the call
     * @param tlsVersion  the TLS version negotiated, or null without a completed handshake
     */
    static Verdict judge(Expectation expect, Integer status, ErrorClass observed, String detail, String body,
                         Double totalMs, String tlsVersion) {
        return judge(expect, status, observed, detail, body, totalMs, tlsVersion, true);
    }

    /**
     * As {@link #judge(Expectation, Integer, ErrorClass, String, String, Double, String)} for a WebSocket
     * {@code $connect}: without an expected status the healthy answer is 101 Switching Protocols, not a 2xx.
     */
    static Verdict judgeUpgrade(Expectation expect, Integer status, ErrorClass observed, String detail, String body,
                                Double totalMs, String tlsVersion) {
        return judge(expect, status, observed, detail, body, totalMs, tlsVersion, true, true);
    }

    private static Verdict judge(Expectation expect, Integer status, ErrorClass observed, String detail, String body,
                                 Double totalMs, String tlsVersion, boolean tlsObserved) {
        return judge(expect, status, observed, detail, body, totalMs, tlsVersion, tlsObserved, false);
    }

    private static Verdict judge(Expectation expect, Integer status, ErrorClass observed, String detail, String body,
                                 Double totalMs, String tlsVersion, boolean tlsObserved, boolean upgrade) {
        List<String> misses = new ArrayList<>();
        if (expect.expectsFailure()) {
            if (observed != expect.errorClass()) {
                String got = observed != null ? observed + (detail == null ? "" : " (" + detail + ")")
                        : status == null ? "no error" : "a healthy answer (HTTP " + status + ")";
                return new Verdict(observed, false, "expected " + expect.errorClass() + ", got " + got);
            }
            if (expect.status() != null && !expect.status().equals(status)) {
                misses.add("expected status " + expect.status() + ", got " + (status == null ? "no answer" : status));
            }
            bodyAndBudget(expect, body, totalMs, misses);
            // a refusal as expected still says who refused (the policy layer, the authorizer): worth reading
            return misses.isEmpty()
                    ? new Verdict(observed, true, detail == null ? null : observed + " as expected: " + detail)
                    : new Verdict(observed, false, observed + " as expected, but " + String.join("; ", misses));
        }
        if (observed != null) {
            return new Verdict(observed, false, observed + (detail == null ? "" : ": " + detail));
        }
        if (status == null) {
            return new Verdict(ErrorClass.PROTOCOL, false, "no answer and no failure recorded");
        }
        if (expect.status() != null) {
            if (!expect.status().equals(status)) {
                misses.add("expected status " + expect.status() + ", got " + status);
            }
        } else if (upgrade && status != 101) {
            misses.add("expected 101 Switching Protocols, got " + status);
        } else if (!upgrade && (status < 200 || status > 299)) {
            misses.add("expected a 2xx status, got " + status);
        }
        bodyAndBudget(expect, body, totalMs, misses);
        if (expect.servedBy() != null) {
            String servedBy = ProbeEngine.servedBy(body);
            boolean stageGiven = expect.servedBy().contains("/");
            String got = servedBy == null ? null : stageGiven ? servedBy : servedBy.substring(0, servedBy.indexOf('/'));
            if (!expect.servedBy().equals(got)) {
                misses.add("expected to be served by " + expect.servedBy() + ", "
                        + (got == null ? "the answer does not say which API served it" : "served by " + got));
            }
        }
        if (tlsObserved && expect.tlsVersion() != null && !expect.tlsVersion().isMetBy(tlsVersion)) {
            misses.add("expected " + expect.tlsVersion() + " or later, negotiated " + tlsVersion);
        }
        return misses.isEmpty()
                ? new Verdict(null, true, null)
                : new Verdict(ErrorClass.ASSERTION, false, String.join("; ", misses));
    }

    private static void bodyAndBudget(Expectation expect, String body, Double totalMs, List<String> misses) {
        if (expect.bodyContains() != null && (body == null || !body.contains(expect.bodyContains()))) {
            misses.add("body does not contain '" + expect.bodyContains() + "'");
        }
        if (expect.latencyBudgetMs() != null && totalMs != null && totalMs > expect.latencyBudgetMs()) {
            misses.add("total " + totalMs + " ms over the budget of " + expect.latencyBudgetMs() + " ms");
        }
    }
}
