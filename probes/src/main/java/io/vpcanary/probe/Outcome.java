package io.vpcanary.probe;

import io.vpcanary.access.AccessPath;
import java.net.URI;
import java.util.List;

/**
 * What one probe of one {@link io.vpcanary.access.Target} saw, and whether that met the target's expectation.
 * Immutable; built only by {@link ProbeEngine}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Every probe yields exactly one outcome; the engine never throws for a failed request.</li>
 *   <li>{@code status} is present exactly when response headers arrived; {@code null} means the request failed below
 *       HTTP (DNS, connect, TLS, timeout, protocol).</li>
 *   <li>{@code errorClass} is {@code null} for a healthy answer, otherwise the single class chosen by the precedence
 *       documented on {@link ErrorClass}. {@link ErrorClass#DNS_CONFLICT} is set for a regional target whose name
 *       resolved to one of the estate's execute-api VPC endpoint addresses, even when an HTTP answer arrived
 *       ({@code status} then keeps it). {@link ErrorClass#ASSERTION} is set only for a positive check whose answer had
 *       no error status but missed the expectation.</li>
 *   <li>{@code passed} is true exactly when the outcome met the expectation: for a negative check (an expected error
 *       class) when that class occurred and the given status, body text and latency budget matched; otherwise when
 *       there is no error class.</li>
 *   <li>{@code phases} is always present; which phases are null is described on {@link Phases}.</li>
 *   <li>{@code message} is null for a passing check without anything to report; otherwise it says what failed or
 *       what missed. Neither it nor {@code bodySnippet} ever contains a credential: values of Authorization,
 *       X-Amz-Security-Token and other secret headers, Bearer tokens and SigV4 signatures are replaced by
 *       {@code ****}.</li>
 *   <li>{@code bodySnippet} is the first {@value ProbeEngine#SNIPPET_CHARS} characters of the body, only for checks
 *       that did not pass.</li>
 * </ul>
 *
 * @param api                logical API name
 * @param check              check name
 * @param accessPath         access path
 * @param region             AWS region
 * @param vantage            vantage point whose resolver was used
 * @param url                the exact URL requested
 * @param method             HTTP method
 * @param status             HTTP status, or null when no response arrived
 * @param errorClass         what went wrong, or null
 * @param expectedErrorClass the error class the check expects, or null for a positive check
 * @param passed             whether the outcome met the expectation
 * @param phases             phase timings
 * @param resolvedAddresses  addresses the URL host resolved to (textual), empty when DNS failed or was not needed
 * @param servedRegion       the {@code region} field of a JSON response body, if any
 * @param requestId          {@code x-amzn-RequestId} or {@code apigw-requestid} of the response, if any
 * @param message            why it failed or missed, redacted
 * @param bodySnippet        start of the response body for checks that did not pass, redacted
 */
public record Outcome(
        String api,
        String check,
        AccessPath accessPath,
        String region,
        String vantage,
        URI url,
        String method,
        Integer status,
        ErrorClass errorClass,
        ErrorClass expectedErrorClass,
        boolean passed,
        Phases phases,
        List<String> resolvedAddresses,
        String servedRegion,
        String requestId,
        String message,
        String bodySnippet) {

    public Outcome {
        resolvedAddresses = resolvedAddresses == null ? List.of() : List.copyOf(resolvedAddresses);
    }

    /** {@code api/check/accessPath/region}, as {@link io.vpcanary.access.Target#id()}. */
    public String id() {
        return api + "/" + check + "/" + accessPath + "/" + region;
    }
}
