package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.vpcanary.metrics.LoadProgress;
import io.vpcanary.probe.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every load simulation does once it has a {@link PathPlan}: each request name gets {@code rate} new users per
 * second for {@code duration} (the open model), each sending its target's request the way a client at its vantage
 * sends it (URL, headers, body, auth by {@link RequestAuth}), with names resolved up front by the vantage's resolver
 * ({@link VantageProtocols}) and certificates verified as {@code gatling.ssl.*} says. Each response is judged by the
 * probe's own rules and recorded as an {@link Outcome} ({@link ResponseRecording}); per request name the run asserts
 * no KO and at least as many requests as users injected, plus what a subclass adds.
 *
 * <p>Each request name is first driven for {@code warmUp} under the name {@code "warm-up {name}"} at a rate rising from
 * 1 user/s to {@code rate}; warm-up requests are judged but neither asserted nor recorded.
 */
public abstract class LoadSimulation extends Simulation {

    /** Prefix of the request names of the warm-up, which are not asserted. */
    static final String WARM_UP = "warm-up ";

    private final SimulationClient client;
    private final SimulationMetrics metrics;
    /** How often progress is printed, or null for never ({@link #progressEvery}), and the run's planned length. */
    private final Duration progressEvery;
    private final Duration planned;
    /** Progress of the measured requests from the start of the run ({@link #before()}), or null. */
    private volatile LoadProgress progress;
    private AutoCloseable progressPrinter;
    /**
     * Opens the client and the metrics the system properties name, then sets up what {@link #plan} returns (subclasses
     * answer {@link #plan} from the settings and the client only: it runs inside this constructor).
     */
    protected LoadSimulation() throws IOException {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        metrics = SimulationMetrics.fromSystemProperties();
        SimulationClient opened;
        try {
            opened = SimulationClient.open(settings);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        client = opened;
        progressEvery = progressEvery(settings);
        planned = settings.warmUp().plus(settings.duration());
        try {
            String nothing = skipReason(settings);
            PathPlan plan = nothing == null ? plan(settings, client) : null;
            if (plan == null || plan.requests().isEmpty()) {
                // Say so and run nothing, so that a run of every simulation still runs the others.
                System.out.println("vpcanary: " + getClass().getSimpleName() + ": nothing to drive: "
                        + (nothing != null ? nothing : client.description() + " has no such target from "
                        + client.client().vantages() + " " + plan.skipped()));
                setUp(scenario("nothing to drive").exec(session -> session).injectOpen(atOnceUsers(1)));
                return;
            }
            Map<String, Double> rates = rates(plan, settings);
            report(settings, plan, rates);
            Consumer<Outcome> sink = progressEvery == null ? metrics::record : o -> {
                metrics.record(o);
                LoadProgress p = progress;
                if (p != null) {
                    p.record(o);
                }
            };
            RequestAuth auth = RequestAuth.of(client.estate(), client.client().auth());
            auth.prepare(plan);
            Map<String, HttpProtocolBuilder> protocols = VantageProtocols.of(plan);
            List<PopulationBuilder> populations = new ArrayList<>();
            List<Assertion> assertions = new ArrayList<>();
            boolean warmUp = !settings.warmUp().isZero();
            for (PathRequest r : plan.requests()) {
                HttpProtocolBuilder protocol = protocols.get(r.view());
                double rate = rates.get(r.name());
                if (warmUp) {
                    populations.add(scenario(WARM_UP + r.name())
                            .exec(chainOf(r, WARM_UP + r.name(), auth, o -> { }))
                            .injectOpen(rampUsersPerSec(Math.min(1.0, rate)).to(rate).during(settings.warmUp()))
                            .protocols(protocol));
                }
                populations.add(scenario(r.name()).exec(chainOf(r, r.name(), auth, sink))
                        .injectOpen(nothingFor(settings.warmUp()), constantUsersPerSec(rate).during(settings.duration()))
                        .protocols(protocol));
                assertions.add(details(r.name()).failedRequests().percent().is(0.0));
                assertions.add(details(r.name()).allRequests().count().gte(
                        rate == settings.rate() ? settings.usersPerRequestName() : LoadMix.users(rate, settings.duration())));
                assertions.addAll(extraAssertions(r));
            }
            setUp(populations).assertions(assertions);
        } catch (RuntimeException e) {
            client.close();
            metrics.close();
            throw e;
        }
    }

    /** Users per second of each request name of {@code plan}: {@code rate} each, unless a subclass shares it out. */
    protected Map<String, Double> rates(PathPlan plan, SimulationSettings settings) {
        Map<String, Double> rates = new java.util.LinkedHashMap<>();
        plan.requests().forEach(r -> rates.put(r.name(), settings.rate()));
        return rates;
    }

    /** How often a progress line ({@link LoadProgress}) is printed during the run, or null for none. */
    protected Duration progressEvery(SimulationSettings settings) {
        return null;
    }

    /** Why this simulation drives nothing with these settings (a lab-only simulation facing AWS), or null. */
    protected String skipReason(SimulationSettings settings) {
        return null;
    }

    /** The request names to drive. */
    protected abstract PathPlan plan(SimulationSettings settings, SimulationClient client);

    /** Checks added after the judging ones (a lab's body checks). */
    protected List<CheckBuilder> extraChecks(PathRequest r) {
        return List.of();
    }

    /** Assertions added per request name (a lab's latency budget). */
    protected List<Assertion> extraAssertions(PathRequest r) {
        return List.of();
    }

    /** The request of {@code r} named {@code name}, authenticated, judged and recorded into {@code sink}. */
    ChainBuilder chainOf(PathRequest r, String name, RequestAuth auth, Consumer<Outcome> sink) {
        return exec(auth.authorize(r, requestOf(r, name))).exec(ResponseRecording.after(r, sink));
    }

    /** The judged request of {@code r}, before authentication. */
    HttpRequestActionBuilder requestOf(PathRequest r, String name) {
        var t = r.target();
        HttpRequestActionBuilder b = switch (t.method()) {
            case "GET" -> http(name).get(r.url());
            case "POST" -> http(name).post(r.url());
            case "PUT" -> http(name).put(r.url());
            case "PATCH" -> http(name).patch(r.url());
            case "DELETE" -> http(name).delete(r.url());
            case "HEAD" -> http(name).head(r.url());
            case "OPTIONS" -> http(name).options(r.url());
            default -> http(name).httpRequest(t.method(), r.url());
        };
        b = b.headers(r.headers());
        if (t.body() != null) {
            b = b.body(io.gatling.javaapi.core.CoreDsl.StringBody(t.body()));
        }
        b = b.check(ResponseRecording.checks(r));
        for (CheckBuilder c : extraChecks(r)) {
            b = b.check(c);
        }
        return b;
    }

    private void report(SimulationSettings settings, PathPlan plan, Map<String, Double> rates) {
        boolean shared = plan.requests().stream().anyMatch(r -> rates.get(r.name()) != settings.rate());
        System.out.printf("vpcanary: %s driving %s from %s: %d request names, %s users/s %s for %s after a "
                        + "warm-up of %s%n", getClass().getSimpleName(), client.description(),
                client.client().vantages(), plan.requests().size(), settings.rate(), shared ? "in all" : "each",
                settings.duration(), settings.warmUp());
        for (PathRequest r : plan.requests()) {
            if (shared) {
                System.out.printf(java.util.Locale.ROOT, "  mix %.4f users/s, %d users: %s%n", rates.get(r.name()),
                        LoadMix.users(rates.get(r.name()), settings.duration()), r.name());
            }
            System.out.printf("  %-55s %s %s %s%s%n", r.name().contains(" from ") ? r.name()
                            : r.name() + " from " + r.view(), r.target().method(), r.url(),
                    r.headers().isEmpty() ? "" : r.headers(), r.budget() == null ? ""
                            : "  p50 >= " + r.budget().p50FloorMs() + " ms, p95 <= " + r.budget().p95CeilingMs() + " ms");
        }
        plan.skipped().forEach(s -> System.out.println("  not driven: " + s));
        java.util.Set<String> unshared = VantageProtocols.unshared(plan.addresses());
        if (!unshared.isEmpty()) {
            System.out.println("  connections are opened per user from " + unshared + ": a host they call resolves "
                    + "differently from another vantage, and Gatling pools shared connections by host name");
        }
    }

    /** What this run faces. */
    protected SimulationClient client() {
        return client;
    }

    @Override
    public void before() {
        if (progressEvery != null) {
            progress = new LoadProgress(java.time.Clock.systemUTC(), planned);
            progressPrinter = progress.printEvery(progressEvery, System.out);
        }
    }

    @Override
    public void after() {
        try {
            if (progressPrinter != null) {
                progressPrinter.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            client.close(metrics);
        }
    }
}
