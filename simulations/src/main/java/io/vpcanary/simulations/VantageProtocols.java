package io.vpcanary.simulations;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
 * connections, as the HTTP client of a service calling the API keeps; except for the vantages of {@link #unshared}. Gatling's warm-up request (to a public web site)
 * is off. TLS verification is configured once per run ({@code gatling.ssl.*}, written by {@link GatlingTrustStore}).
 */
public final class VantageProtocols {

    /** The User-Agent of load-run requests. */
    public static final String USER_AGENT = "vpcanary-simulations";

    private VantageProtocols() {
    }

    /**
     * The protocol of each vantage of {@code plan}, in the plan's order; the vantages of {@link #unshared} open
     * connections per user, the others share a pool.
     */
    public static Map<String, HttpProtocolBuilder> of(PathPlan plan) {
        Set<String> unshared = unshared(plan.addresses());
        Map<String, HttpProtocolBuilder> out = new LinkedHashMap<>();
        plan.addresses().forEach((vantage, hosts) -> out.put(vantage, forVantage(hosts, !unshared.contains(vantage))));
        return out;
    }

    /**
     * The vantages that must not share connections. Gatling keys its shared connection pool by host and port, not by
     * address or protocol, so if two sharing vantages resolve one host differently (a regional name that private DNS
     * captures in one VPC, say), a connection opened from one would carry the other's requests. Connections of users
     * that do not share are pooled per user, apart from the shared pool. So, in the plan's order, a vantage shares
     * unless a host it calls already resolves differently for a vantage that shares; those few vantages open
     * connections per user (every request pays its TLS handshake, as a client without keep-alive does), and the run
     * says which.
     */
    public static Set<String> unshared(Map<String, Map<String, List<InetAddress>>> addresses) {
        Map<String, Set<InetAddress>> shared = new LinkedHashMap<>();
        Set<String> out = new java.util.LinkedHashSet<>();
        addresses.forEach((vantage, hosts) -> {
            boolean clash = hosts.entrySet().stream().anyMatch(e -> shared.containsKey(e.getKey())
                    && !shared.get(e.getKey()).equals(new HashSet<>(e.getValue())));
            if (clash) {
                out.add(vantage);
            } else {
                hosts.forEach((host, ips) -> shared.putIfAbsent(host, new HashSet<>(ips)));
            }
        });
        return out;
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
