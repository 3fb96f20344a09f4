package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.vpcanary.probe.ErrorClass;

/**
 * What a check's outcome must be. With {@link #errorClass()} set the check must fail in exactly that way (a
 * negative check, such as "the bare endpoint hostname is refused"); otherwise it must succeed. Status, body and
 * latency budget are checked in both cases when given.
 */
public record Expectation(
        @JsonPropertyDescription("Expected HTTP status. Default: any 2xx unless errorClass is given.") Integer status,
        @JsonPropertyDescription("Text the response body must contain.") String bodyContains,
        @JsonPropertyDescription("Latency budget for the whole request, in milliseconds.") Long latencyBudgetMs,
        @JsonPropertyDescription("Expected error class for checks that must fail, such as POLICY_DENIED or DNS_FAILURE.") ErrorClass errorClass,
        @JsonPropertyDescription("Minimum TLS version the connection must negotiate: TLSv1.2 or TLSv1.3. A lower one (or no handshake) misses the check.") TlsVersion tlsVersion,
        @JsonPropertyDescription("Positive checks: the API (and stage) that must have answered, as api or api/stage, read from the answer's JSON fields api and stage (the lab's integration reports them; so may your backend). For routing rules and base path mappings.") String servedBy) {

    public static final Expectation SUCCESS = new Expectation(null, null, null, null);

    /** An expectation without a TLS version or a serving API. */
    public Expectation(Integer status, String bodyContains, Long latencyBudgetMs, ErrorClass errorClass) {
        this(status, bodyContains, latencyBudgetMs, errorClass, null, null);
    }

    /** An expectation without a serving API. */
    public Expectation(Integer status, String bodyContains, Long latencyBudgetMs, ErrorClass errorClass,
                       TlsVersion tlsVersion) {
        this(status, bodyContains, latencyBudgetMs, errorClass, tlsVersion, null);
    }

    /** Whether this is a negative check: it passes only when the request fails with {@link #errorClass()}. */
    public boolean expectsFailure() {
        return errorClass != null;
    }
}
