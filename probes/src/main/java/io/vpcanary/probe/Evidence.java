package io.vpcanary.probe;

import io.vpcanary.access.Target;

/**
 * What a runner that does not send requests through {@link ProbeEngine} (a Gatling load run, say) saw of one request,
 * judged into an {@link Outcome} by the same {@link Classifier} and the same expectation rules as a probe. This is how
 * every runner classifies: a resource-policy denial is {@link ErrorClass#POLICY_DENIED} in a load run as in a probe.
 *
 * <p>What each field lets the classifier tell apart:
 * <ul>
 *   <li>{@code status}, {@code errorType} ({@code x-amzn-ErrorType}) and a bounded prefix of the body
 *       ({@link #BODY_PREFIX_CHARS}): every HTTP error class, {@link ErrorClass#POLICY_DENIED} included;</li>
 *   <li>{@code dnsConflict}: the runner resolved a {@link io.vpcanary.access.AccessPath#REGIONAL} name to an address of
 *       an execute-api VPC endpoint ({@link ErrorClass#DNS_CONFLICT}), with what it resolved, for the message;</li>
 *   <li>{@code failure}: the exception of a request that got no answer, when the runner has one; DNS, connect, TLS and
 *       timeout failures are told apart from it. A runner that knows only that no answer came (Gatling does not hand
 *       its failure cause to the session) passes null, and the class is {@link #NO_ANSWER_WITHOUT_CAUSE}.</li>
 * </ul>
 *
 * @param status      HTTP status, or null when no answer arrived
 * @param errorType   the {@code x-amzn-ErrorType} header, or null
 * @param bodyPrefix  the start of the body (at most {@link #BODY_PREFIX_CHARS} characters are read), or null
 * @param failure     why no answer arrived, or null when unknown or when one did
 * @param dnsConflict a description of a DNS conflict seen by the runner, or null
 * @param totalMs     the request's total time in milliseconds, or null when it never started
 */
public record Evidence(Integer status, String errorType, String bodyPrefix, Throwable failure, String dnsConflict,
                       Double totalMs) {

    /** Characters of a body the classifier and the expectation see at most. */
    public static final int BODY_PREFIX_CHARS = 4096;

    /**
     * The class of a request that got no answer when the runner cannot say why: {@link ErrorClass#PROTOCOL}, the
     * class of "no usable HTTP answer". Load runs resolve every name before they start, so a DNS failure never reaches
     * this point there.
     */
    public static final ErrorClass NO_ANSWER_WITHOUT_CAUSE = ErrorClass.PROTOCOL;

    public Evidence {
        if (bodyPrefix != null && bodyPrefix.length() > BODY_PREFIX_CHARS) {
            bodyPrefix = bodyPrefix.substring(0, BODY_PREFIX_CHARS);
        }
    }

    /** The outcome of {@code target}: this evidence classified, then judged against the target's expectation. */
    public Outcome judge(Target target) {
        Classifier.Classification c = Classifier.classify(target.auth(), status, errorType, bodyPrefix, failure,
                dnsConflict);
        ErrorClass observed = c.errorClass();
        String detail = c.detail();
        Verdict v = Verdict.judge(target.expect(), status, observed, detail, bodyPrefix, totalMs);
        return Outcome.ofLoad(target, status, v.errorClass(), v.passed(), totalMs,
                ProbeEngine.servedRegion(bodyPrefix), v.message());
    }
}
