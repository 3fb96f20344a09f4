package io.vpcanary.simulations;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.AccessPaths;
import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Expectation;
import io.vpcanary.estate.Latency;
import io.vpcanary.estate.WebSocketCheck;
import io.vpcanary.probe.EndpointAddresses;
import io.vpcanary.probe.ErrorClass;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.Dns;

/**
 * The request names of a load run, planned by the core from the estate for the vantages the client stands in (never
 * from a lab's environment file), with every host resolved once, up front, through the resolver of the vantage that
 * sends to it ({@link #addresses()}).
 *
 * <ul>
 *   <li>{@link #accessPaths}: the lab's access-path runs. One request name per API × access path × region of the REST
 *       and HTTP APIs whose authorizer is one of those asked for, each a GET of the API's first resource ({@code /}
 *       when none) that must answer 200 (and, as the simulation checks, name the API and serving region).</li>
 *   <li>{@link #checks}: the estate's own checks (method, path, headers, body, expectation), through the access paths
 *       and regions they apply to: what a load run against a real estate drives. Checks that expect a DNS failure are
 *       probe checks (a load tool that resolves names up front cannot send them) and are skipped with a line.</li>
 * </ul>
 * What is not driven is listed in {@link #skipped()} with the reason, so a run says what it does not cover.
 *
 * @param requests  request names in estate order
 * @param skipped   one line per target or API not driven, naming it and the reason
 * @param addresses per vantage, each host its requests call and the addresses its resolver answered
 */
public record PathPlan(List<PathRequest> requests, List<String> skipped,
                       Map<String, Map<String, List<InetAddress>>> addresses) {

    public PathPlan {
        requests = List.copyOf(requests);
        skipped = List.copyOf(skipped);
        Set<String> names = new HashSet<>();
        for (PathRequest r : requests) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("two targets share the request name '" + r.name() + "'");
            }
        }
    }

    /** The name of the synthetic check of {@link #accessPaths}, the Check dimension of its metrics. */
    public static final String LOAD_CHECK = "load";

    /**
     * The lab's access-path plan: every access path of every REST/HTTP API whose authorizer type is in {@code auth},
     * from the vantages {@code client} stands in, allowing {@code overheadMs} on top of the integration's p99
     * ({@link LatencyBudget}).
     *
     * @throws IllegalStateException when a host does not resolve from its vantage
     */
    public static PathPlan accessPaths(Estate estate, ClientEnvironment client, long overheadMs, Set<AuthType> auth) {
        Objects.requireNonNull(auth, "auth");
        TargetPlanner planner = new TargetPlanner(estate, client.httpsPort());
        List<Target> targets = new ArrayList<>();
        Map<Target, LatencyBudget> budgets = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Api api : estate.apis()) {
            if (api.type() == ApiType.WEBSOCKET) {
                skipped.add("API " + api.name() + ": WebSocket APIs are not driven by an HTTP GET");
                continue;
            }
            if (!auth.contains(api.auth().type())) {
                skipped.add("API " + api.name() + ": " + api.auth().type()
                        + " authorization is not driven by this simulation");
                continue;
            }
            String resource = api.resources().isEmpty() ? "/" : api.resources().get(0);
            Check check = new Check(LOAD_CHECK, "GET", resource, null, Map.of(), List.of(), List.of(), null, null,
                    false, new Expectation(200, null, null, null));
            LatencyBudget budget = LatencyBudget.of(integrationLatency(estate, api), overheadMs);
            for (ApiRegion region : api.regions()) {
                for (AccessPath path : AccessPaths.supported(api)) {
                    Optional<Target> t = planner.target(api, region, path, check);
                    if (t.isEmpty()) {
                        continue;
                    }
                    String name = PathRequest.nameOf(api.name(), path.name(), region.region());
                    if (!client.vantages().contains(t.get().vantage())) {
                        skipped.add(name + ": left to vantage " + t.get().vantage());
                        continue;
                    }
                    targets.add(t.get());
                    budgets.put(t.get(), budget);
                }
            }
        }
        return resolve(estate, client, targets, t -> PathRequest.nameOf(t.api(), t.accessPath().name(), t.region()),
                budgets, skipped);
    }

    /**
     * The estate's own checks from the vantages {@code client} stands in, as the core plans them for the probe.
     *
     * @throws IllegalStateException when a host does not resolve from its vantage
     */
    public static PathPlan checks(Estate estate, ClientEnvironment client) {
        CanaryPlan canary = CanaryPlan.of(estate, client);
        List<String> skipped = new ArrayList<>(canary.header().subList(1, canary.header().size()));
        canary.leftToOthers().forEach((v, n) -> skipped.add(n + " target" + (n == 1 ? "" : "s")
                + " left to vantage " + v));
        List<Target> targets = new ArrayList<>();
        for (Target t : canary.targets()) {
            if (t.apiType() == ApiType.WEBSOCKET) {
                skipped.add(t.id() + ": a WebSocket check (WebSocketSimulation drives WebSocket APIs)");
                continue;
            }
            if (t.expect().errorClass() == ErrorClass.DNS_FAILURE) {
                skipped.add(t.id() + ": expects a DNS failure, a probe check (load runs resolve names before they "
                        + "start); run it with vpcanary probe");
                continue;
            }
            targets.add(t);
        }
        boolean severalVantages = canary.vantages().size() > 1;
        return resolve(estate, client, targets, t -> t.api() + " " + t.check() + " " + t.accessPath() + " "
                + t.region() + (severalVantages ? " from " + t.vantage() : ""), Map.of(), skipped);
    }

    /**
     * The estate's WebSocket checks that exchange messages and expect to succeed, from the vantages {@code client}
     * stands in, as the core plans them ({@code wss://} targets); negative WebSocket checks and connect-only checks are
     * probe checks and are listed as skipped.
     *
     * @throws IllegalStateException when a host does not resolve from its vantage
     */
    public static PathPlan webSockets(Estate estate, ClientEnvironment client) {
        CanaryPlan canary = CanaryPlan.of(estate, client, t -> t.apiType() == ApiType.WEBSOCKET);
        List<String> skipped = new ArrayList<>();
        canary.leftToOthers().forEach((v, n) -> skipped.add(n + " WebSocket target" + (n == 1 ? "" : "s")
                + " left to vantage " + v));
        List<Target> targets = new ArrayList<>();
        for (Target t : canary.targets()) {
            if (t.expect().expectsFailure() || WebSocketCheck.of(estate, t.api(), t.check()).messages() == 0) {
                skipped.add(t.id() + ": " + (t.expect().expectsFailure() ? "expects " + t.expect().errorClass()
                        : "sends no message") + ", a probe check; run it with vpcanary probe");
                continue;
            }
            targets.add(t);
        }
        return resolve(estate, client, targets, t -> t.api() + " " + t.check() + " " + t.accessPath() + " "
                + t.region() + " from " + t.vantage(), Map.of(), skipped);
    }

    private static PathPlan resolve(Estate estate, ClientEnvironment client, List<Target> targets,
                                    java.util.function.Function<Target, String> names,
                                    Map<Target, LatencyBudget> budgets, List<String> skipped) {
        Map<String, Map<String, List<InetAddress>>> addresses = new LinkedHashMap<>();
        EndpointAddresses endpoints = new EndpointAddresses(estate);
        List<PathRequest> requests = new ArrayList<>();
        for (Target t : targets) {
            Dns dns = client.resolvers().forVantage(t.vantage());
            String host = t.url().getHost();
            Map<String, List<InetAddress>> hosts = addresses.computeIfAbsent(t.vantage(), v -> new LinkedHashMap<>());
            List<InetAddress> ips = hosts.get(host);
            if (ips == null) {
                try {
                    ips = List.copyOf(dns.lookup(host));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(host + " does not resolve from vantage " + t.vantage() + " ("
                            + client.resolvers().describe(t.vantage()) + "): " + e.getMessage()
                            + "; target " + t.id(), e);
                }
                hosts.put(host, ips);
            }
            String conflict = null;
            if (t.accessPath() == AccessPath.REGIONAL) {
                Optional<EndpointAddresses.Match> m = endpoints.firstConflict(ips, t.region(), t.vantage(), dns);
                if (m.isPresent()) {
                    conflict = host + " resolved to " + m.get().address().getHostAddress() + ", an address of "
                            + "execute-api VPC endpoint " + m.get().endpoint().id() + " seen from " + t.vantage()
                            + ": private DNS captures this regional API's name";
                }
            }
            requests.add(new PathRequest(names.apply(t), t, budgets.get(t), conflict));
        }
        return new PathPlan(requests, skipped, addresses);
    }

    /** The latency the lab adds in the integration of {@code api}: its own, else the estate's default. */
    public static Latency integrationLatency(Estate estate, Api api) {
        Latency own = api.integration().latency();
        return own != null ? own : estate.lab().integration().latency();
    }

    /** Distinct vantages of the plan, in order of first use. */
    public List<String> views() {
        return requests.stream().map(PathRequest::view).distinct().toList();
    }
}
