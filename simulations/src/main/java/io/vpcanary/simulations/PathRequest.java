package io.vpcanary.simulations;

import io.vpcanary.access.Target;
import java.util.Map;
import java.util.Objects;

/**
 * One request name of a load run: one {@link Target} of the core (an API's check through one access path in one
 * region, from one vantage), sent exactly as a client there sends it, and what is accepted of its answers.
 *
 * @param name        request name in Gatling's report, unique in a run
 * @param target      what is sent (method, URL, headers, body, auth) and expected
 * @param budget      the lab's latency budget of the request name, asserted over the run; null when none is asserted
 *                    (a real estate's latency is judged per request by the check's own {@code latencyBudgetMs})
 * @param dnsConflict how the target's regional name resolved to an execute-api VPC endpoint from its vantage
 *                    ({@link io.vpcanary.probe.ErrorClass#DNS_CONFLICT}), or null
 */
public record PathRequest(String name, Target target, LatencyBudget budget, String dnsConflict) {

    public PathRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
    }

    /** API name. */
    public String api() {
        return target.api();
    }

    /** Access path name. */
    public String accessPath() {
        return target.accessPath().name();
    }

    /** Region the path goes to. */
    public String region() {
        return target.region();
    }

    /** The vantage the client stands in. */
    public String view() {
        return target.vantage();
    }

    /** Full URL. */
    public String url() {
        return target.url().toString();
    }

    /** Headers sent as they are (the path's {@code Host} or {@code x-apigw-api-id}, the check's own). */
    public Map<String, String> headers() {
        return target.headers();
    }

    /** The request name of an API × access path × region. */
    public static String nameOf(String api, String accessPath, String region) {
        return api + " " + accessPath + " " + region;
    }
}
