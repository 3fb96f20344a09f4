package io.vpcanary.simulations;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Gatling HTTP protocol per vantage of a {@link PathPlan}. A vantage is where a client stands and each has its own
 * resolver, so each gets its own protocol, whose names resolve to what that vantage's resolver answered when the plan
 * was made ({@link PathPlan#addresses()}, given to Gatling as host name aliases), exactly as for a client there.
 *
 * <p>Why not let Gatling resolve per request: Gatling 3.15 shares one asynchronous resolver per event loop between all
 * HTTP protocols, so with one protocol per vantage the first vantage's DNS server would answer for every vantage
 * (docs/decisions/0003-gatling-resolves-views-up-front.md).
 *
 * <p>Connections are shared between the users of a vantage ({@code shareConnections()}): a pool of keep-alive
 * connections, as the HTTP client of a service calling the API keeps. Gatling's warm-up request (to a public web site)
 * is off. TLS verification is configured once per run ({@code gatling.ssl.*}, written by {@link GatlingTrustStore}).
 */
public final class VantageProtocols {

    /** The User-Agent of load-run requests. */
    public static final String USER_AGENT = "vpcanary-simulations";

    private VantageProtocols() {
    }

    /**
     * The protocol of each vantage of {@code plan}, in the plan's order. Connections are shared unless
     * {@link #sharedHostsDiffer} finds a host that resolves differently from two vantages.
     */
    public static Map<String, HttpProtocolBuilder> of(PathPlan plan) {
        boolean share = sharedHostsDiffer(plan.addresses()).isEmpty();
        Map<String, HttpProtocolBuilder> out = new LinkedHashMap<>();
        plan.addresses().forEach((vantage, hosts) -> out.put(vantage, forVantage(hosts, share)));
        return out;
    }

    /**
     * Hosts that two vantages of the plan resolve to different addresses (a regional name that private DNS captures in
     * one VPC, say). Gatling keys its shared connection pool by host and port, not by address or protocol, so with
     * such a host a connection opened from one vantage would serve another's requests: then each virtual user opens
     * its own connections (every request pays its TLS handshake, as a client without keep-alive does), and the run
     * says so.
     */
    public static List<String> sharedHostsDiffer(Map<String, Map<String, List<InetAddress>>> addresses) {
        Map<String, List<InetAddress>> seen = new LinkedHashMap<>();
        List<String> differ = new java.util.ArrayList<>();
        addresses.values().forEach(hosts -> hosts.forEach((host, ips) -> {
            List<InetAddress> before = seen.putIfAbsent(host, ips);
            if (before != null && !new java.util.HashSet<>(before).equals(new java.util.HashSet<>(ips))
                    && !differ.contains(host)) {
                differ.add(host);
            }
        }));
        return differ;
    }

    /** A protocol whose hosts resolve to {@code addresses}, sharing connections between its users or not. */
    public static HttpProtocolBuilder forVantage(Map<String, List<InetAddress>> addresses, boolean share) {
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        addresses.forEach((host, ips) -> aliases.put(host, ips.stream().map(InetAddress::getHostAddress).toList()));
        HttpProtocolBuilder b = http.hostNameAliases(aliases);
        if (share) {
            b = b.shareConnections();
        }
        return b
                .disableWarmUp()
                .acceptHeader("application/json")
                .userAgentHeader(USER_AGENT);
    }
}
