package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import io.vpcanary.probe.Evidence;
import io.vpcanary.probe.Outcome;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Judges and records each response of a load run exactly as the probe judges its own: the same classifier and the
 * same expectation rules ({@link Evidence}), one {@link Outcome} per response, recorded through the one
 * Outcome→metrics mapping. Gatling counts a request OK exactly when that outcome passed, so a check that expects a
 * refusal (a resource-policy denial, say) is OK when it is refused as expected.
 *
 * <p>Use: put {@link #checks} first among a request's checks. They save the response time, the status, the
 * {@code x-amzn-ErrorType} header and the first {@value Evidence#BODY_PREFIX_CHARS} characters of the body in the
 * session, then judge them (the last check, named {@value #VERDICT}, which fails the request with the verdict's
 * message when the outcome did not pass, so Gatling's report gives the reason; Gatling applies a request's checks in
 * order, each seeing what the earlier ones saved). Put {@link #after}
 * as the {@code exec} right after the request: it records the outcome (one latency sample per response, none invented:
 * the open injection model sends on schedule whatever earlier answers did, so there is no coordinated omission to
 * correct) and clears the session for the user's next request.
 *
 * <p>What Gatling does not tell: a request that got no answer has no failure cause in the session, so it is
 * {@link Evidence#NO_ANSWER_WITHOUT_CAUSE} ({@code PROTOCOL}) with Gatling's own message in its report. Names are
 * resolved before the run ({@link PathPlan}), so DNS failures stop the run before it starts, and a regional name
 * captured by private DNS is {@code DNS_CONFLICT} from the plan's own resolution. Response times are Gatling's, in
 * whole milliseconds.
 */
public final class ResponseRecording {

    static final String RT = "vpcanary.rt";
    static final String STATUS = "vpcanary.status";
    static final String ERROR_TYPE = "vpcanary.errorType";
    static final String BODY = "vpcanary.body";
    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    /** The name of the judging check in Gatling's report. */
    static final String VERDICT = "vpcanary";

    private ResponseRecording() {
    }

    /**
     * The checks that save the evidence of a response to {@code r} and judge it: the request is KO exactly when the
     * outcome did not pass, with the verdict's message.
     */
    public static List<CheckBuilder> checks(PathRequest r) {
        Objects.requireNonNull(r, "r");
        return List.of(
                responseTimeInMillis().saveAs(RT),
                status().saveAs(STATUS),
                header(ERROR_TYPE_HEADER).optional().saveAs(ERROR_TYPE),
                bodyString().transform(ResponseRecording::prefix).saveAs(BODY),
                bodyString().validate(VERDICT, (body, session) -> {
                    Outcome o = outcome(r, session, true);
                    if (!o.passed()) {
                        // Gatling fails the check with this message, which its report shows as the KO's reason
                        throw new IllegalStateException(o.message());
                    }
                    return body;
                }));
    }

    /** The start of a body that the classifier and the expectation see. */
    static String prefix(String body) {
        return body == null || body.length() <= Evidence.BODY_PREFIX_CHARS ? body
                : body.substring(0, Evidence.BODY_PREFIX_CHARS);
    }

    /**
     * The session function that records the response just judged into {@code sink} and clears what {@link #checks}
     * saved, resetting the session's failed status so that a user sending several requests has each judged on its
     * own.
     */
    public static Function<Session, Session> after(PathRequest r, Consumer<Outcome> sink) {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(sink, "sink");
        return session -> {
            sink.accept(outcome(r, session, !session.isFailed()));
            return session.remove(RT).remove(STATUS).remove(ERROR_TYPE).remove(BODY).markAsSucceeded();
        };
    }

    /**
     * The outcome of the response saved in {@code session}. When a status arrived, the verdict is the evidence's; when
     * none did, the request failed below HTTP. {@code answered} false with a status means a check other than the
     * verdict failed (a lab run's body checks): the outcome is then an {@code ASSERTION}.
     */
    static Outcome outcome(PathRequest r, Session session, boolean answered) {
        Integer status = session.contains(STATUS) ? session.getInt(STATUS) : null;
        Double total = session.contains(RT) ? (double) session.getInt(RT) : null;
        String errorType = session.contains(ERROR_TYPE) ? session.getString(ERROR_TYPE) : null;
        String body = session.contains(BODY) ? session.getString(BODY) : null;
        Outcome o = new Evidence(status, errorType, body, null, r.dnsConflict(), total).judge(r.target());
        if (!answered && o.passed()) {
            return Outcome.ofLoad(r.target(), status, io.vpcanary.probe.ErrorClass.ASSERTION, false, total,
                    o.servedRegion(), "the answer missed a check of the load run (see Gatling's report)");
        }
        return o;
    }
}
