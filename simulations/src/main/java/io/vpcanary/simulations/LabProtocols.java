package io.vpcanary.simulations;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Gatling HTTP protocol per resolver view of a {@link PathPlan}. A view is where a client sits (a VPC, or
 * on-premises) and each has its own DNS server, so each gets its own protocol, whose names resolve to what that
 * view's DNS server answered ({@link ViewAddresses}, given to Gatling as host name aliases), exactly as for a client
 * in that VPC. Names outside the plan would be asked of the view's DNS server ({@code asyncNameResolution}).
 *
 * <p>Connections are shared between the users of a view ({@code shareConnections()}): a pool of keep-alive
 * connections, as the HTTP client of a service calling the API keeps. Without it each user of the open model opens
 * its own connection, and a run measures mostly TLS handshakes rather than the API. Warm-up requests are off:
 * Gatling's default warm-up calls a public web site, and every request of a run must stay on loopback.
 *
 * <p>Gatling's DSL only works inside a Gatling run; {@link PathPlan#resolversByView()} and {@link ViewAddresses}
 * are the parts tests check.
 *
 * <p>TLS verification is not set here: Gatling configures it once per run ({@code gatling.ssl.*} and
 * {@code gatling.http.enableHostnameVerification}, see {@code simulations/pom.xml} and {@link LabTrustStore}).
 */
public final class LabProtocols {

    /** The User-Agent of load-run requests. */
    public static final String USER_AGENT = "vpcanary-simulations";

    private LabProtocols() {
    }

    /**
     * The protocol of each view of {@code plan}, keyed by view name in the plan's order; {@code addresses} is
     * {@link ViewAddresses#resolve} of the plan.
     */
    public static Map<String, HttpProtocolBuilder> of(PathPlan plan, Map<String, Map<String, List<InetAddress>>> addresses) {
        Map<String, HttpProtocolBuilder> out = new LinkedHashMap<>();
        plan.resolversByView().forEach((view, resolver) ->
                out.put(view, forView(resolver, addresses.getOrDefault(view, Map.of()))));
        return out;
    }

    /** A protocol for one view: its DNS server and the addresses it answered for the plan's hosts. */
    public static HttpProtocolBuilder forView(InetSocketAddress resolver, Map<String, List<InetAddress>> addresses) {
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        addresses.forEach((host, ips) -> aliases.put(host, ips.stream().map(InetAddress::getHostAddress).toList()));
        return http
                .asyncNameResolution(new InetSocketAddress[] {resolver})
                .hostNameAliases(aliases)
                .shareConnections()
                .disableWarmUp()
                .acceptHeader("application/json")
                .userAgentHeader(USER_AGENT);
    }
}
