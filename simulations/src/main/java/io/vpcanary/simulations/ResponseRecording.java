package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.ErrorClass;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Records each response of a load run into a {@link Recorder}, with the catalogue of {@link ProbeMetrics}: Latency
 * (Gatling's response time, corrected for coordinated omission at the pacing of the open-model rate), Success (1 when
 * Gatling counted the request OK, 0 when KO) and Errors by error class.
 *
 * <p>Use: put {@link #checks()} first among a request's checks (they save the response time, the status and the
 * {@code x-amzn-ErrorType} header in the session and never fail), and {@link #after} as the {@code exec} right after
 * the request. The Check dimension is the given check name ({@link #LOAD_CHECK} or {@link #WARM_UP_CHECK}), the Api,
 * AccessPath and Region dimensions are the request's.
 *
 * <p>Error classes follow {@link ErrorClass} as far as this hook can see a response ({@link #errorClassOf}): the
 * probe's classifier is internal to the probe and also reads the body, which Gatling's checks discard. So: no
 * response at all (connect, TLS, DNS or timeout failure, which Gatling does not tell apart here) is
 * {@link ErrorClass#PROTOCOL} with no latency sample; 401, and 403 with a signature or access-denied
 * {@code x-amzn-ErrorType}, are {@link ErrorClass#AUTH_DENIED}; any other 403 is {@link ErrorClass#FORBIDDEN}
 * (a resource-policy denial included, which the probe tells apart by its body); 429 is {@link ErrorClass#THROTTLED};
 * other statuses from 400 are {@link ErrorClass#HTTP_4XX} and {@link ErrorClass#HTTP_5XX}; a status below 400 that
 * failed a check is {@link ErrorClass#ASSERTION}.
 */
public final class ResponseRecording {

    /** Check dimension of measured load requests. */
    public static final String LOAD_CHECK = "load";
    /** Check dimension of warm-up requests. */
    public static final String WARM_UP_CHECK = "warm-up";

    static final String RT = "vpcanary.rt";
    static final String STATUS = "vpcanary.status";
    static final String ERROR_TYPE = "vpcanary.errorType";
    private static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    private static final Set<String> AUTH_ERROR_TYPES = Set.of("IncompleteSignatureException",
            "InvalidSignatureException", "UnrecognizedClientException", "AccessDeniedException");

    private ResponseRecording() {
    }

    /** The checks that save what {@link #after} records; none of them fails a request. */
    public static List<CheckBuilder> checks() {
        return List.of(
                responseTimeInMillis().saveAs(RT),
                status().saveAs(STATUS),
                header(ERROR_TYPE_HEADER).optional().saveAs(ERROR_TYPE));
    }

    /**
     * The session function that records the request just made, clears what {@link #checks()} saved and resets the
     * session's failed status (Gatling keeps it for the rest of a user's scenario), so that a user sending several
     * requests has each recorded on its own.
     *
     * @param recorder           where to record
     * @param r                  the request
     * @param check              Check dimension
     * @param expectedIntervalMs pacing of the request name's open-model rate ({@code 1000 / rate}) for coordinated
     *                           omission correction, or null when the rate is not constant (the warm-up ramp)
     */
    public static Function<Session, Session> after(Recorder recorder, PathRequest r, String check, Double expectedIntervalMs) {
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(check, "check");
        return session -> {
            Integer status = session.contains(STATUS) ? session.getInt(STATUS) : null;
            Double total = session.contains(RT) ? (double) session.getInt(RT) : null;
            String errorType = session.contains(ERROR_TYPE) ? session.getString(ERROR_TYPE) : null;
            boolean passed = !session.isFailed();
            ErrorClass error = errorClassOf(status, errorType, passed);
            String errorName = error == null ? null : error.name();
            if (expectedIntervalMs == null) {
                ProbeMetrics.record(recorder, r.api(), check, r.accessPath(), r.region(), passed, errorName,
                        null, null, null, null, total, null);
            } else {
                ProbeMetrics.recordPaced(recorder, expectedIntervalMs, r.api(), check, r.accessPath(), r.region(),
                        passed, errorName, null, null, null, null, total, null);
            }
            // a user that loops judges each request on its own: the failed status is per request here
            return session.remove(RT).remove(STATUS).remove(ERROR_TYPE).markAsSucceeded();
        };
    }

    /**
     * The error class of a response as far as status and {@code x-amzn-ErrorType} tell (see the type's documentation),
     * or null for a passed request.
     *
     * @param status    HTTP status, null when no response arrived
     * @param errorType the {@code x-amzn-ErrorType} header, possibly with a {@code :} suffix, or null
     * @param passed    whether Gatling counted the request OK
     */
    public static ErrorClass errorClassOf(Integer status, String errorType, boolean passed) {
        if (status == null) {
            return passed ? null : ErrorClass.PROTOCOL;
        }
        int s = status;
        if (s < 400) {
            return passed ? null : ErrorClass.ASSERTION;
        }
        if (s == 401) {
            return ErrorClass.AUTH_DENIED;
        }
        if (s == 403) {
            String type = errorType == null ? "" : errorType.split(":", 2)[0].strip();
            return AUTH_ERROR_TYPES.contains(type) ? ErrorClass.AUTH_DENIED : ErrorClass.FORBIDDEN;
        }
        if (s == 429) {
            return ErrorClass.THROTTLED;
        }
        return s < 500 ? ErrorClass.HTTP_4XX : ErrorClass.HTTP_5XX;
    }
}
