package io.vpcanary.simulations;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Latency;
import io.vpcanary.labenv.LabEnvironment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The request names of a load run against a lab: one {@link PathRequest} per endpoint of the lab's environment
 * (API × access path × region) of a REST or HTTP API whose authorizer is one of those asked for (by default none:
 * a plain HTTPS GET; {@link AuthType#IAM} for signed requests, {@link AuthType#JWT} for a bearer token, see
 * {@link RequestAuth}). Endpoints left out are listed in {@link #skipped()} with the reason, so a run says what it
 * does not cover.
 *
 * <p>Each request GETs the API's first resource ({@code resources} in the estate, {@code /} when none) under the
 * endpoint's base URL, with the endpoint's headers, resolved by the DNS server of the endpoint's view.
 *
 * @param requests request names in environment order (estate order of APIs, then access path, then region)
 * @param skipped  one line per endpoint not driven, naming it and the reason
 */
public record PathPlan(List<PathRequest> requests, List<String> skipped) {

    public PathPlan {
        requests = List.copyOf(requests);
        skipped = List.copyOf(skipped);
        Set<String> names = new HashSet<>();
        for (PathRequest r : requests) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("two endpoints share the request name '" + r.name() + "'");
            }
        }
    }

    /**
     * The plan for a lab described by {@code env} serving {@code estate}, allowing {@code overheadMs} on top of the
     * integration's p99 (see {@link LatencyBudget}).
     *
     * @throws IllegalArgumentException when an endpoint names an API the estate lacks or a view without a resolver
     */
    public static PathPlan of(LabEnvironment env, Estate estate, long overheadMs) {
        return of(env, estate, overheadMs, Set.of(AuthType.NONE));
    }

    /**
     * The plan of the endpoints of the APIs whose authorizer type is in {@code auth}.
     *
     * @throws IllegalArgumentException when an endpoint names an API the estate lacks or a view without a resolver
     */
    public static PathPlan of(LabEnvironment env, Estate estate, long overheadMs, Set<AuthType> auth) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(estate, "estate");
        List<PathRequest> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (LabEnvironment.Endpoint e : env.endpoints()) {
            String name = PathRequest.nameOf(e.api(), e.accessPath(), e.region());
            Api api = estate.api(e.api()).orElseThrow(() -> new IllegalArgumentException(
                    "the lab serves API '" + e.api() + "' but the estate " + env.estate() + " has no such API"));
            if (api.type() == ApiType.WEBSOCKET) {
                skipped.add(name + ": WebSocket APIs are not driven by an HTTP GET");
                continue;
            }
            if (!auth.contains(api.auth().type())) {
                skipped.add(name + ": " + api.auth().type() + " authorization is not driven by this simulation");
                continue;
            }
            String address = env.resolvers().get(e.view());
            if (address == null) {
                throw new IllegalArgumentException("endpoint " + name + " is reached from view '" + e.view()
                        + "' but the lab has no resolver for it (views: " + env.resolvers().keySet() + ")");
            }
            String resource = api.resources().isEmpty() ? "/" : api.resources().get(0);
            out.add(new PathRequest(name, e.api(), e.accessPath(), e.region(), e.view(), socketAddress(address),
                    join(e.url(), resource), e.headers(), LatencyBudget.of(integrationLatency(estate, api), overheadMs), api.auth()));
        }
        return new PathPlan(out, skipped);
    }

    /** The latency the lab adds in the integration of {@code api}: its own, else the estate's default. */
    public static Latency integrationLatency(Estate estate, Api api) {
        Latency own = api.integration().latency();
        return own != null ? own : estate.lab().integration().latency();
    }

    /** Distinct views of the plan, in order of first use. */
    public List<String> views() {
        return requests.stream().map(PathRequest::view).distinct().toList();
    }

    /** The DNS server of each view of the plan, in order of first use: each view gets one Gatling protocol. */
    public Map<String, InetSocketAddress> resolversByView() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        for (PathRequest r : requests) {
            InetSocketAddress before = out.putIfAbsent(r.view(), r.resolver());
            if (before != null && !before.equals(r.resolver())) {
                throw new IllegalStateException("view " + r.view() + " has two resolvers: " + before + " and " + r.resolver());
            }
        }
        return out;
    }

    static String join(String base, String resource) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String r = resource.startsWith("/") ? resource : "/" + resource;
        return b + r;
    }

    /** Parses {@code ip:port} as the lab writes resolver addresses (IP literals only, so nothing is looked up). */
    static InetSocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("resolver address must be ip:port; got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            throw new IllegalArgumentException("resolver address must be an IP literal; got '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resolver address must be ip:port; got '" + hostPort + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("resolver address must be ip:port; got '" + hostPort + "'");
        }
    }
}
