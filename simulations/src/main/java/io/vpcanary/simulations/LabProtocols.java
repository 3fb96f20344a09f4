package io.vpcanary.simulations;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Gatling HTTP protocol per resolver view of a {@link PathPlan}. A view is where a client sits (a VPC, or
 * on-premises) and each has its own DNS server, so each gets its own protocol resolving names through that server
 * with Gatling's asynchronous resolver, exactly as a client in that VPC would. Warm-up requests are off: Gatling's
 * default warm-up calls a public web site, and every request of a run must stay on loopback.
 *
 * <p>TLS verification is not set here: Gatling configures it once per run ({@code gatling.ssl.*} and
 * {@code gatling.http.enableHostnameVerification}, see {@code simulations/pom.xml} and {@link LabTrustStore}).
 */
public final class LabProtocols {

    /** The User-Agent of load-run requests. */
    public static final String USER_AGENT = "vpcanary-simulations";

    private LabProtocols() {
    }

    /** The protocol of each view of {@code plan}, keyed by view name in the plan's order. */
    public static Map<String, HttpProtocolBuilder> of(PathPlan plan) {
        Map<String, HttpProtocolBuilder> out = new LinkedHashMap<>();
        for (PathRequest r : plan.requests()) {
            out.computeIfAbsent(r.view(), v -> forResolver(r.resolver()));
        }
        return out;
    }

    /** A protocol resolving every name through {@code resolver}. */
    public static HttpProtocolBuilder forResolver(InetSocketAddress resolver) {
        return http
                .asyncNameResolution(new InetSocketAddress[] {resolver})
                .disableWarmUp()
                .acceptHeader("application/json")
                .userAgentHeader(USER_AGENT);
    }
}
