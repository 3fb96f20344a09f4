package io.vpcanary.probe;

import io.vpcanary.estate.AuthType;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Maps what happened to one request to an {@link ErrorClass}, following the precedence documented there. Failures
 * below HTTP are classified by the exception (and its causes); answers by status, the {@code x-amzn-ErrorType}
 * header and, for 403s, the resource-policy marker in the body.
 *
 * <p>The recognition rules are the constants below, each naming where AWS's wording comes from. They are tested
 * against the corpus of real API Gateway answers ({@code io/vpcanary/aws/api-gateway-error-corpus.json} in the
 * probes' test resources), which the lab's rendered answers are tested against too; nothing here reads what the
 * lab renders from.
 */
public final class Classifier {

    /** The header API Gateway names its error type in. */
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    /**
     * In a 403 body: a resource policy (or the caller's IAM policy) refused {@code execute-api:Invoke}. AWS's text is
     * {@code User: {principal} is not authorized to perform: execute-api:Invoke on resource: {arn}}, ending
     * {@code with an explicit deny} for a Deny statement and with nothing when no statement allows (source:
     * https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden). A Lambda authorizer's deny
     * ({@code User is not authorized to access this resource with an explicit deny}) does not contain it.
     */
    static final String POLICY_DENIED_MARKER = "is not authorized to perform: execute-api:Invoke";
    /** A policy denial evaluated on a private custom domain's ARN. */
    static final String DOMAIN_RESOURCE_MARKER = ":/domainnames/";
    /** IAM's endings of a VPC endpoint policy's denial. */
    static final String ENDPOINT_POLICY_MARKER = "VPC endpoint policy";

    /**
     * {@code x-amzn-ErrorType} values of a 403 that refuse the caller's credentials, whatever the API's authorizer
     * (same source): IncompleteSignatureException (an {@code Authorization} header that is not SigV4),
     * InvalidSignatureException (bad or expired signature), AccessDeniedException (invalid security token, a Lambda
     * authorizer's deny; with the marker above it is a policy denial instead), and UnrecognizedClientException
     * (other AWS services' type for an invalid security token).
     */
    static final Set<String> CREDENTIAL_ERRORS = Set.of(
            "IncompleteSignatureException", "InvalidSignatureException", "UnrecognizedClientException",
            "AccessDeniedException");

    /**
     * {@code x-amzn-ErrorType} of a 403 {@code Missing Authentication Token}: an unsigned request to an IAM API, but
     * also any unknown route or stage (source: https://repost.aws/knowledge-center/api-gateway-authentication-token-errors),
     * so an auth refusal only when the API uses IAM.
     */
    static final String MISSING_TOKEN = "MissingAuthenticationTokenException";

    /**
     * In a 403 body: the request was signed (SigV4) for another region than the API's, or (SigV4a) for a region set
     * that does not cover it: {@code Credential should be scoped to a valid region, not 'us-east-1'. } (sources:
     * public reports of API Gateway answers, https://github.com/Kong/insomnia/issues/830 and
     * https://github.com/aws/aws-sdk-js/issues/792). After a failover this is what a client that signed for the
     * primary's region gets from the secondary: an {@link ErrorClass#AUTH_DENIED} named by
     * {@link #SIGNING_REGION_MISMATCH} in the detail.
     */
    static final String WRONG_REGION_MARKER = "Credential should be scoped to a valid region";

    /** How a signing-region mismatch is named in an outcome's detail and in game-day reports. */
    public static final String SIGNING_REGION_MISMATCH = "signing-region mismatch";
    private static final int MAX_CAUSES = 16;

    private Classifier() {
    }

    /**
     * The class of a request that got no complete answer. The exception and its causes are searched in order; the
     * first that is a DNS, connect, TLS or timeout failure decides; anything else is {@link ErrorClass#PROTOCOL}.
     */
    public static ErrorClass ofFailure(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return ErrorClass.DNS_FAILURE;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return ErrorClass.CONNECT;
            }
            if (t instanceof SSLException) {
                return ErrorClass.TLS;
            }
            if (t instanceof InterruptedIOException) {
                return ErrorClass.TIMEOUT;
            }
        }
        return ErrorClass.PROTOCOL;
    }

    /**
     * The class of an HTTP answer, or null when its status is not an error (below 400).
     *
     * @param status    HTTP status
     * @param errorType the {@code x-amzn-ErrorType} header, or null
     * @param body      the (start of the) response body, or null
     * @param auth      the target API's authorizer
     */
    public static ErrorClass ofResponse(int status, String errorType, String body, AuthType auth) {
        if (status < 400) {
            return null;
        }
        String type = errorTypeName(errorType);
        if (status == 403) {
            if (body != null && body.contains(POLICY_DENIED_MARKER)) {
                return ErrorClass.POLICY_DENIED;
            }
            if ((type != null && CREDENTIAL_ERRORS.contains(type)) || (MISSING_TOKEN.equals(type) && auth == AuthType.IAM)) {
                return ErrorClass.AUTH_DENIED;
            }
            if (type == null && auth == AuthType.JWT) {
                // an HTTP API's JWT authorizer refusing a token without the route's scope: HTTP APIs have no resource
                // policy, WAF or API keys, and an unknown route is a 404 there
                return ErrorClass.AUTH_DENIED;
            }
            return ErrorClass.FORBIDDEN;
        }
        if (status == 401) {
            return ErrorClass.AUTH_DENIED;
        }
        if (status == 429) {
            return ErrorClass.THROTTLED;
        }
        return status < 500 ? ErrorClass.HTTP_4XX : ErrorClass.HTTP_5XX;
    }

    /**
     * What one request's evidence is classified as, and why: the class (or null for a healthy answer) and a one-line
     * detail (null when there is no class).
     */
    record Classification(ErrorClass errorClass, String detail) {
    }

    /**
     * The one precedence every runner classifies by (documented on {@link ErrorClass}): a DNS conflict the runner saw
     * first, then a failure below HTTP, then the answer. A request with neither an answer nor a failure (a load tool
     * that gives no cause) is {@link Evidence#NO_ANSWER_WITHOUT_CAUSE}.
     *
     * @param auth        the target API's authorizer
     * @param status      HTTP status, or null when no answer arrived
     * @param errorType   the {@code x-amzn-ErrorType} header, or null
     * @param body        the body read (or its start), or null
     * @param failure     why the request failed below HTTP (or while reading the answer), or null
     * @param dnsConflict how the target's regional name resolved to an execute-api VPC endpoint, or null
     */
    static Classification classify(AuthType auth, Integer status, String errorType, String body, Throwable failure,
                                   String dnsConflict) {
        if (dnsConflict != null) {
            return new Classification(ErrorClass.DNS_CONFLICT, dnsConflict
                    + (status != null ? "; the request got HTTP " + status
                    : failure != null ? "; the request failed: " + describe(failure) : ""));
        }
        if (failure != null) {
            return new Classification(ofFailure(failure), describe(failure));
        }
        if (status == null) {
            return new Classification(Evidence.NO_ANSWER_WITHOUT_CAUSE, "no answer (the load tool gives no cause)");
        }
        ErrorClass c = ofResponse(status, errorType, body, auth);
        String detail = c == null ? null
                : "HTTP " + status + (errorType == null ? "" : " " + errorTypeName(errorType)) + refusedBy(c, body);
        if (c == ErrorClass.AUTH_DENIED && signingRegionMismatch(body)) {
            detail = detail + ": " + SIGNING_REGION_MISMATCH + " (signed for a region the answering API is not in)";
        }
        return new Classification(c, detail);
    }

    /**
     * Whether an answer's body says the request was signed for another region (or a SigV4a region set not covering
     * the API's): the {@link #SIGNING_REGION_MISMATCH} of a failover to a region the client did not sign for.
     */
    public static boolean signingRegionMismatch(String body) {
        return body != null && body.contains(WRONG_REGION_MARKER);
    }

    /**
     * Which layer refused a call, as far as API Gateway's answer tells: a policy denial names the resource it was
     * evaluated on (a private custom domain's {@code :/domainnames/} ARN, else the API's) and, in the lab, the VPC
     * endpoint policy by IAM's ending; an AUTH_DENIED answer is the authorizer's. Empty for other classes.
     */
    static String refusedBy(ErrorClass c, String body) {
        if (c == ErrorClass.AUTH_DENIED) {
            return ", refused by the authorizer";
        }
        if (c != ErrorClass.POLICY_DENIED || body == null) {
            return "";
        }
        if (body.contains(ENDPOINT_POLICY_MARKER)) {
            return ", refused by the VPC endpoint policy";
        }
        if (body.contains(DOMAIN_RESOURCE_MARKER)) {
            return ", refused by the private custom domain's policy";
        }
        return ", refused by the API's resource policy (or a VPC endpoint policy, when API Gateway's answer does not name it)";
    }

    /** {@code AccessDeniedException:http://internal...} as {@code AccessDeniedException}; null stays null. */
    static String errorTypeName(String header) {
        if (header == null) {
            return null;
        }
        int colon = header.indexOf(':');
        return (colon < 0 ? header : header.substring(0, colon)).trim();
    }

    /** A one-line description of a failure below HTTP: the exception type and message of each cause. */
    static String describe(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        Throwable t = failure;
        for (int i = 0; t != null && i < 4; i++, t = t.getCause()) {
            if (i > 0) {
                sb.append("; caused by ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage().replace('\n', ' '));
            }
        }
        return sb.toString();
    }
}
