package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vpcanary.core.Durations;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.probe.DnsServerLookup;
import io.vpcanary.routing.DnsAnswerCache;
import io.vpcanary.routing.RoutingVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Holds load on a routing domain ({@code vpcanary.routingDomain}, default the estate's first) from one vantage
 * ({@code vpcanary.vantage}, default the estate's first VPC) and follows its DNS answer as a client does: the answer
 * is kept for its TTL and the domain re-resolved when it runs out ({@link DnsAnswerCache}, through the vantage's
 * resolver), so a failover shows when the client's cache lets it (docs/decisions/0003, revisited for routing
 * domains).
 *
 * <p>Gatling's protocols resolve names up front (decision 0003), so there is one scenario per region the domain can
 * answer, its protocol aliasing the domain to that region's target addresses; every second {@code rate} users start
 * in each, and a user sends its request only when the client's current answer is its region. So the request names,
 * {@code "{domain} via {region}"}, split the report by the region the client resolved, and the shift shows in the
 * report's requests over time. Each response's {@code region} (the served region) is recorded as {@code ServedRegion}
 * {Api, Check = the domain, ServingRegion} in the run's metrics, and counted at the end.
 *
 * <p>Against a lab, {@code vpcanary.fault} ({@code KIND TARGET}, such as {@code REGION_OUTAGE us-east-1}) is set
 * through the lab's control channel {@code vpcanary.faultAt} after the start (default 5s) for {@code vpcanary.faultFor}
 * (default 10s), after which it expires by itself: a game day's fault, to watch the failover and failback in the
 * report. Failed requests during the window are KO, by design: nothing is asserted beyond traffic having flowed.
 */
public class RoutingSimulation extends Simulation {

    private final SimulationClient client;
    private final SimulationMetrics metrics;
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final AtomicLong dnsErrors = new AtomicLong();
    private final AtomicLong resolutions = new AtomicLong();
    private ScheduledExecutorService faults;
    private final Runnable injectFault;
    private final Duration faultAt;

    public RoutingSimulation() throws IOException {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        metrics = SimulationMetrics.fromSystemProperties();
        client = SimulationClient.open(settings);
        Estate estate = client.estate();
        String name = property("vpcanary.routingDomain");
        if (estate.routingDomains().isEmpty()) {
            client.close();
            metrics.close();
            throw new IllegalStateException(client.description() + " has no routing domain to drive");
        }
        RoutingDomain domain = name == null ? estate.routingDomains().getFirst() : RoutingVerifier.domain(estate, name);
        String vantage = client.client().vantages().stream().filter(v -> !v.equals(Estate.ON_PREMISES)).findFirst()
                .orElseThrow(() -> new IllegalStateException("a routing domain lives in a private hosted zone: "
                        + "stand in a VPC (vpcanary.vantage)"));
        Resolver resolver = resolver(client, vantage);
        Map<InetAddress, String> regionOf = RoutingVerifier.targetRegions(estate, domain, resolver);
        Map<String, List<InetAddress>> byRegion = new LinkedHashMap<>();
        regionOf.forEach((a, r) -> byRegion.computeIfAbsent(r, k -> new ArrayList<>()).add(a));
        DnsAnswerCache cache = new DnsAnswerCache(resolver, domain.domain(), Clock.systemUTC());
        String path = estate.api(domain.records().getFirst().api()).orElseThrow().checks().stream()
                .filter(c -> !c.expect().expectsFailure()).map(Check::path).filter(Objects::nonNull).findFirst()
                .orElse("/");
        String url = "https://" + domain.domain() + ":" + client.client().httpsPort() + path;
        System.out.printf("vpcanary: RoutingSimulation holding %s users/s on %s (%s, TTL %d s) from %s for %s: %s; "
                        + "regions %s%n", settings.rate(), domain.domain(), domain.policy(), domain.ttlSeconds(),
                vantage, settings.duration(), url, byRegion);

        List<PopulationBuilder> populations = new ArrayList<>();
        for (var e : byRegion.entrySet()) {
            String region = e.getKey();
            String requestName = domain.domain() + " via " + region;
            var protocol = VantageProtocols.forVantage(Map.of(domain.domain(), e.getValue()), false);
            populations.add(scenario(requestName)
                    .exec(session -> session.set("resolvedRegion", currentRegion(cache, regionOf)))
                    .exec(doIf(session -> region.equals(session.getString("resolvedRegion"))).then(
                            exec(http(requestName).get(url)
                                    .check(status().is(200), jsonPath("$.region").optional().saveAs("servedRegion")))
                                    .exec(session -> {
                                        String s = session.getString("servedRegion");
                                        if (s != null) {
                                            served.computeIfAbsent(s, k -> new AtomicLong()).incrementAndGet();
                                            ProbeMetrics.recordServedRegion(metrics.recorder(),
                                                    domain.records().stream().filter(r -> r.region().equals(s))
                                                            .map(r -> r.api()).findFirst()
                                                            .orElse(domain.records().getFirst().api()),
                                                    domain.domain(), s);
                                        }
                                        return session.remove("servedRegion");
                                    })))
                    .injectOpen(constantUsersPerSec(settings.rate()).during(settings.duration()))
                    .protocols(protocol));
        }
        this.faultAt = Durations.parse("vpcanary.faultAt", Objects.requireNonNullElse(property("vpcanary.faultAt"), "5s"));
        this.injectFault = fault(client, Durations.parsePositive("vpcanary.faultFor",
                Objects.requireNonNullElse(property("vpcanary.faultFor"), "10s")));
        setUp(populations).assertions(global().allRequests().count().gt(0L));
        this.resolverDescription = vantage;
    }

    private final String resolverDescription;

    private String currentRegion(DnsAnswerCache cache, Map<InetAddress, String> regionOf) {
        try {
            DnsAnswerCache.Answer a = cache.current();
            if (a.fresh()) {
                resolutions.incrementAndGet();
            }
            return regionOf.getOrDefault(a.addresses().getFirst(), "unknown");
        } catch (IOException e) {
            dnsErrors.incrementAndGet();
            return "unresolved";
        }
    }

    /** The vantage's DNS server as a dnsjava resolver: the lab view's, the given one, or the system's. */
    private static Resolver resolver(SimulationClient client, String vantage) throws IOException {
        if (client.client().resolvers().forVantage(vantage) instanceof DnsServerLookup lookup) {
            SimpleResolver r = new SimpleResolver(lookup.server());
            r.setTimeout(Duration.ofSeconds(5));
            return r;
        }
        return new ExtendedResolver();
    }

    /** The fault of {@code vpcanary.fault}, set through the lab's control channel, or a no-op. */
    private static Runnable fault(SimulationClient client, Duration faultFor) {
        String text = property("vpcanary.fault");
        if (text == null) {
            return null;
        }
        String[] parts = text.trim().split("\\s+", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("vpcanary.fault is KIND TARGET, such as 'REGION_OUTAGE us-east-1', "
                    + "was '" + text + "'");
        }
        FaultSpec spec = FaultSpec.of(FaultSpec.Kind.valueOf(parts[0]), parts[1], faultFor);
        LabControl control = LabControl.of(client.lab().orElseThrow(() -> new IllegalArgumentException(
                "vpcanary.fault needs a lab")).environment());
        return () -> System.out.println("vpcanary: RoutingSimulation set fault " + control.add(spec).id() + " "
                + spec.kind() + " " + spec.target() + " for " + faultFor);
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : v;
    }

    @Override
    public void before() {
        if (injectFault != null) {
            faults = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vpcanary-routing-fault");
                t.setDaemon(true);
                return t;
            });
            faults.schedule(injectFault, faultAt.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void after() {
        if (faults != null) {
            faults.shutdownNow();
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        served.forEach((k, v) -> counts.put(k, v.get()));
        System.out.println("vpcanary: RoutingSimulation served by region " + counts + ", " + resolutions.get()
                + " fresh resolutions from " + resolverDescription + ", " + dnsErrors.get() + " failed");
        metrics.close();
        client.close();
    }
}
