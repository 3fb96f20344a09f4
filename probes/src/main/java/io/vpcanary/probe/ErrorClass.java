package io.vpcanary.probe;

/**
 * Why a request did not produce the answer a healthy API gives. An {@link Outcome} carries exactly one error
 * class, or none when the request succeeded.
 *
 * <h2>Precedence</h2>
 * When several apply, the first in this order wins, because it names the earliest layer that went wrong and so
 * the one an operator should look at first:
 * <ol>
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
 *   <li>{@link #ASSERTION}: an answer arrived without an error status but did not meet the check's expectation
 *       (status, body content, latency budget).</li>
 * </ol>
 */
public enum ErrorClass {
    DNS_CONFLICT,
    DNS_FAILURE,
    CONNECT,
    TLS,
    TIMEOUT,
    PROTOCOL,
    POLICY_DENIED,
    AUTH_DENIED,
    FORBIDDEN,
    THROTTLED,
    HTTP_4XX,
    HTTP_5XX,
    ASSERTION
}
