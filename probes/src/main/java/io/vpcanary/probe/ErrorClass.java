package io.vpcanary.probe;

/**
 * Why a request did not produce the answer a healthy API gives. An {@link Outcome} carries exactly one error
 * class, or none when the request succeeded. A check may expect one ({@code expect.errorClass}): it then passes only
 * when exactly that class occurs.
 *
 * <h2>Precedence</h2>
 * When several apply, the first in this order wins, because it names the earliest layer that went wrong and so
 * the one an operator should look at first:
 * <ol>
 *   <li>{@link #AUTH_NOT_ENFORCED}: a request the API's authorizer must refuse (a {@link Refusal} of the
 *       negative-auth matrix) was answered 2xx. A security finding: it outranks everything, and fails the run.</li>
 *   <li>{@link #DNS_CONFLICT}: the name resolved, but to an execute-api VPC endpoint of the estate while the target
 *       is a regional API. Whatever the HTTP layer says afterwards (usually 403) is a consequence.</li>
 *   <li>{@link #DNS_FAILURE}, {@link #CONNECT}, {@link #TLS}, {@link #TIMEOUT}, {@link #PROTOCOL}: the request never
 *       got an HTTP answer; the layer that failed is named.</li>
 *   <li>{@link #POLICY_DENIED}: a 403 whose body is a resource policy denial.</li>
 *   <li>{@link #AUTH_DENIED}: a 401, or a 403 from an authorizer (missing token, bad signature).</li>
 *   <li>{@link #FORBIDDEN}: any other 403, such as API Gateway's {@code {"message":"Forbidden"}} when no API was
 *       identified.</li>
 *   <li>{@link #THROTTLED}: 429.</li>
 *   <li>{@link #HTTP_4XX}, {@link #HTTP_5XX}: any other error status.</li>
 *   <li>WebSocket APIs, after the upgrade was accepted (101): {@link #MESSAGE_TOO_BIG} (closed with 1009),
 *       {@link #CLOSED_ABNORMALLY} (any other close but 1000, or a drop without a close frame) and
 *       {@link #MESSAGE_TIMEOUT} (a reply or push that did not arrive in time). A refused upgrade is classified as
 *       any HTTP answer above.</li>
 *   <li>{@link #ASSERTION}: an answer arrived without an error status but did not meet the check's expectation
 *       (status, body content, latency budget).</li>
 * </ol>
 */
public enum ErrorClass {
    /**
     * Security finding: a request with spoiled or missing credentials ({@link Refusal}: unsigned, wrong secret,
     * expired token, ...) got a 2xx answer, so the API does not enforce its authorizer. Set only on the probes of
     * {@link AuthMatrix}; never expected by a check.
     */
    AUTH_NOT_ENFORCED,
    /**
     * A {@link io.vpcanary.access.AccessPath#REGIONAL} target's name resolved, from the target's vantage, to an
     * address of one of the estate's execute-api VPC endpoints in that region (learned by resolving each endpoint's
     * regional DNS name through the same resolver): private DNS on that endpoint captures the public API name.
     */
    DNS_CONFLICT,
    /** The URL host did not resolve: NXDOMAIN, another DNS error code, no address records, or no DNS answer in time. */
    DNS_FAILURE,
    /** The TCP connection was refused or the host was unreachable ({@code ConnectException}, {@code NoRouteToHostException}). */
    CONNECT,
    /** The TLS handshake failed: untrusted certificate, wrong host name, protocol mismatch ({@code SSLException}). */
    TLS,
    /** A connect, read or whole-call timeout expired ({@code SocketTimeoutException}, {@code InterruptedIOException}). */
    TIMEOUT,
    /** Any other failure before a complete answer: malformed status line or headers, connection reset, and so on. */
    PROTOCOL,
    /** A 403 whose body carries the resource-policy denial marker ({@code policy.denied.marker} of the AWS message file). */
    POLICY_DENIED,
    /**
     * A 401; or a 403 with {@code x-amzn-ErrorType} IncompleteSignatureException, InvalidSignatureException,
     * UnrecognizedClientException or AccessDeniedException; or MissingAuthenticationTokenException when the API uses
     * IAM auth (for other APIs that type means an unknown route or stage and counts as {@link #FORBIDDEN}).
     */
    AUTH_DENIED,
    /** Any other 403. */
    FORBIDDEN,
    /** 429 Too Many Requests. */
    THROTTLED,
    /** Any other 4xx. */
    HTTP_4XX,
    /** Any 5xx. */
    HTTP_5XX,
    /** WebSocket: the server closed the connection with 1009 (Message Too Big: a frame over 32 KB or a message over 128 KB). */
    MESSAGE_TOO_BIG,
    /**
     * WebSocket: after the upgrade, the connection ended otherwise than by a close with 1000: another close code (the
     * message names it: 1001 going away, 1011 internal error, ...), or a drop without a close frame (1006).
     */
    CLOSED_ABNORMALLY,
    /** WebSocket: a reply to a message, or a server push, did not arrive within the read timeout. */
    MESSAGE_TIMEOUT,
    /**
     * A positive check got an answer without an error status that missed its expectation: another status (any
     * non-2xx when none was given, such as an unfollowed redirect), missing body text, or over the latency budget.
     */
    ASSERTION
}
