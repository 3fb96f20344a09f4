package io.vpcanary.probe;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one probe of one {@link io.vpcanary.access.Target} saw, and whether that met the target's expectation.
 * Immutable; built by {@link ProbeEngine} for probes and by {@link #ofLoad} for load-run requests. It holds its
 * {@link io.vpcanary.access.Target} (as OkHttp's {@code Response} holds its {@code Request}) rather than copying it.
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
 *   <li>{@code message} is null for a passing check without anything to report; a passing negative check says
 *       what refused it as expected (such as the policy layer: endpoint, domain or API); otherwise it says what
 *       failed or what missed. Neither it nor {@code bodySnippet} ever contains a credential: values of Authorization,
 *       X-Amz-Security-Token and other secret headers, Bearer tokens and SigV4 signatures are replaced by
 *       {@code ****}.</li>
 *   <li>{@code bodySnippet} is the first {@value ProbeEngine#SNIPPET_CHARS} characters of the body, only for checks
 *       that did not pass.</li>
 * </ul>
 *
 * @param target             what was probed (API, check, access path, region, vantage, URL, expectation); the
 *                           accessors {@link #api()}, {@link #vantage()} and the like read it
 * @param status             HTTP status, or null when no response arrived
 * @param errorClass         what went wrong, or null
 * @param passed             whether the outcome met the expectation
 * @param phases             phase timings
 * @param certificateNotAfter expiry ({@code notAfter}) of the server's leaf certificate as presented in a completed
 *                           TLS handshake, or null when no handshake completed; in JSON an ISO-8601 instant
 * @param tlsVersion         protocol version negotiated in a completed TLS handshake ({@code TLSv1.3},
 *                           {@code TLSv1.2}), or null when no handshake completed
 * @param cipherSuite        cipher suite negotiated in a completed TLS handshake, by its Java (IANA) name such as
 *                           {@code TLS_AES_128_GCM_SHA256}, or null when no handshake completed
 * @param resolvedAddresses  addresses the URL host resolved to (textual), empty when DNS failed or was not needed
 * @param servedRegion       the {@code region} field of a JSON response body, if any
 * @param requestId          {@code x-amzn-RequestId} or {@code apigw-requestid} of the response, if any
 * @param message            why it failed or missed, redacted
 * @param bodySnippet        start of the response body for checks that did not pass, redacted
 * @param stream             how a streamed answer's body arrived (an answer without a length: API Gateway's response
 *                           streaming), null for a buffered one or none
 * @param webSocket          WebSocket APIs: what was exchanged after the upgrade (round trips, push, close code), or
 *                           null for other APIs and for upgrades that were refused
 */
public record Outcome(
        @JsonIgnore Target target,
        Integer status,
        ErrorClass errorClass,
        boolean passed,
        Phases phases,
        @JsonSerialize(using = ToStringSerializer.class) Instant certificateNotAfter,
        String tlsVersion,
        String cipherSuite,
        List<String> resolvedAddresses,
        String servedRegion,
        String requestId,
        String message,
        String bodySnippet,
        @JsonInclude(JsonInclude.Include.NON_NULL) StreamTimings stream,
        WebSocketExchange webSocket) {

    /** An outcome of a buffered HTTP answer (or none): no stream timings, no WebSocket exchange. */
    public Outcome(Target target, Integer status, ErrorClass errorClass, boolean passed, Phases phases,
                   Instant certificateNotAfter, String tlsVersion, String cipherSuite, List<String> resolvedAddresses,
                   String servedRegion, String requestId, String message, String bodySnippet) {
        this(target, status, errorClass, passed, phases, certificateNotAfter, tlsVersion, cipherSuite,
                resolvedAddresses, servedRegion, requestId, message, bodySnippet, null, null);
    }

    public Outcome {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(phases, "phases");
        resolvedAddresses = resolvedAddresses == null ? List.of() : List.copyOf(resolvedAddresses);
    }


    /**
     * The outcome of one load-run request: what a load tool sees of an answer (status, error class, total time, the
     * served region when the body named one), without phases, addresses or a certificate.
     */
    public static Outcome ofLoad(Target target, Integer status, ErrorClass errorClass, boolean passed, Double totalMs,
                                 String servedRegion, String message) {
        return new Outcome(target, status, errorClass, passed, new Phases(null, null, null, null, totalMs), null,
                null, null, List.of(), servedRegion, null, message, null);
    }

    /** Logical API name, as {@link Target#api()}. */
    @JsonProperty("api")
    public String api() {
        return target.api();
    }

    /** Check name. */
    @JsonProperty("check")
    public String check() {
        return target.check();
    }

    /** Access path. */
    @JsonProperty("accessPath")
    public AccessPath accessPath() {
        return target.accessPath();
    }

    /** {@code IPv4} or {@code IPv6} when the target's name is dual-stack and was checked over each; else null. */
    @JsonProperty("ipFamily")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public String ipFamily() {
        return target.family() == null ? null : target.family().label();
    }

    /** AWS region of the target. */
    @JsonProperty("region")
    public String region() {
        return target.region();
    }

    /** Vantage point whose resolver was used: the one the target stands in. */
    @JsonProperty("vantage")
    public String vantage() {
        return target.vantage();
    }

    /** The exact URL requested. */
    @JsonProperty("url")
    public URI url() {
        return target.url();
    }

    /** HTTP method. */
    @JsonProperty("method")
    public String method() {
        return target.method();
    }

    /** The error class the check expects, or null for a positive check. */
    @JsonProperty("expectedErrorClass")
    public ErrorClass expectedErrorClass() {
        return target.expect().errorClass();
    }

    /**
     * The outcome without the target's header values (a check's headers may carry credentials): the target as
     * {@code api/check/accessPath/region from vantage}, then the other fields.
     */
    @Override
    public String toString() {
        return "Outcome[target=" + target.id() + " from " + target.vantage() + ", url=" + target.url() + ", status="
                + status + ", errorClass=" + errorClass + ", passed=" + passed + ", phases=" + phases
                + ", certificateNotAfter=" + certificateNotAfter + ", tlsVersion=" + tlsVersion + ", cipherSuite="
                + cipherSuite + ", resolvedAddresses=" + resolvedAddresses
                + ", servedRegion=" + servedRegion + ", requestId=" + requestId + ", message=" + message
                + ", bodySnippet=" + bodySnippet + (stream == null ? "" : ", stream=" + stream)
                + (webSocket == null ? "" : ", webSocket=" + webSocket) + "]";
    }

    /** Whether this outcome is a security finding: {@link ErrorClass#AUTH_NOT_ENFORCED}. */
    public boolean securityFinding() {
        return errorClass == ErrorClass.AUTH_NOT_ENFORCED;
    }

    /** {@code api/check/accessPath/region}, as {@link io.vpcanary.access.Target#id()}. */
    public String id() {
        return target.id();
    }
}
