package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.vpcanary.estate.AuthType;
import io.vpcanary.metrics.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every load simulation of the lab does, for the endpoints of the APIs of one authorizer type
 * ({@link AccessPathsSimulation}: none; {@link SignedRestSimulation}: IAM; {@link JwtHttpApiSimulation}: JWT). It
 * drives every access path of every such API in every region at an open-model rate: each request name
 * ({@code "orders PRIVATE_DNS us-east-1"}) gets {@code rate} new users per second for {@code duration}, each sending one
 * GET the way a client on that path does (authenticated by {@link RequestAuth}), with names resolved by the DNS server
 * of the client's resolver view and the lab's certificates verified against the lab CA.
 *
 * <p>Each response must be 200 with JSON naming the API ({@code $.api}) and the region that served it
 * ({@code $.region}). Each request name is first driven for {@code warmUp} under the name {@code "warm-up {name}"}
 * at a rate rising from 1 user/s to {@code rate} (not asserted: connection pools, the JIT and the lab warm up, instead
 * of a cold start meeting the full rate), then for {@code duration} at {@code rate}. Per request name the run
 * asserts no failed request, at least as many requests as users
 * injected, a median of at least {@value LatencyBudget#FLOOR_FRACTION} of the integration's configured median (the lab
 * really adds its latency), and a 95th percentile within the integration's configured 99th percentile plus
 * {@code vpcanary.overheadMs}; see {@link LatencyBudget}.
 *
 * <p>Every response is recorded into the metrics of {@link SimulationMetrics} (Check dimension {@code load}, or
 * {@code warm-up}), and published when {@code vpcanary.publish} is given.
 *
 * <p>With no {@code vpcanary.labEnv} it starts the lab itself (the demo estate, or {@code vpcanary.estate}) and stops it
 * after the run. Run them all with {@code ./mvnw -Pload -pl simulations -am verify -DskipTests} (docs/simulations.md).
 */
public abstract class LabPathSimulation extends Simulation {

    private final SimulationLab lab;
    private final SimulationMetrics metrics;

    /**
     * Plans, reports and sets up the run of the endpoints of APIs whose authorizer is of type {@code auth}.
     *
     * @throws IllegalStateException when the lab serves no such endpoint
     */
    protected LabPathSimulation(AuthType auth) throws IOException {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        metrics = SimulationMetrics.fromSystemProperties();
        SimulationLab opened;
        try {
            opened = SimulationLab.open(settings);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        lab = opened;
        try {
            PathPlan plan = PathPlan.of(lab.environment(), lab.estate(), settings.overheadMs(), Set.of(auth));
            RequestAuth requestAuth = RequestAuth.of(auth, lab.environment(), lab.estate());
            if (plan.requests().isEmpty()) {
                // An estate without APIs of this authorizer type: say so and run nothing, so that the load profile,
                // which runs every simulation, still runs the others.
                System.out.println("vpcanary: " + lab.description() + " serves no endpoint of an API with " + auth
                        + " authorization: nothing to drive. " + plan.skipped());
                setUp(scenario("nothing to drive: no API with " + auth + " authorization")
                        .exec(session -> session).injectOpen(atOnceUsers(1)));
                return;
            }
            report(settings, plan, auth);
            checkTrust();
            Map<String, HttpProtocolBuilder> protocols = LabProtocols.of(plan, ViewAddresses.resolve(plan));
            List<PopulationBuilder> populations = new ArrayList<>();
            List<Assertion> assertions = new ArrayList<>();
            boolean warmUp = !settings.warmUp().isZero();
            for (PathRequest r : plan.requests()) {
                HttpProtocolBuilder protocol = protocols.get(r.view());
                if (warmUp) {
                    populations.add(scenarioOf(r, WARM_UP + r.name(), requestAuth, metrics.recorder(), ResponseRecording.WARM_UP_CHECK, null)
                            .injectOpen(rampUsersPerSec(Math.min(1.0, settings.rate())).to(settings.rate())
                                    .during(settings.warmUp()))
                            .protocols(protocol));
                }
                populations.add(scenarioOf(r, r.name(), requestAuth, metrics.recorder(), ResponseRecording.LOAD_CHECK,
                                1000.0 / settings.rate())
                        .injectOpen(nothingFor(settings.warmUp()),
                                constantUsersPerSec(settings.rate()).during(settings.duration()))
                        .protocols(protocol));
                assertions.addAll(assertionsOf(r, settings.usersPerRequestName()));
            }
            setUp(populations).assertions(assertions);
        } catch (RuntimeException e) {
            lab.close();
            metrics.close();
            throw e;
        }
    }

    /** Prefix of the request names of the warm-up, which are not asserted. */
    static final String WARM_UP = "warm-up ";

    /**
     * One GET through the request's path named {@code name}, authenticated by {@code auth}, checked for status, API and
     * serving region, and recorded
     * into {@code recorder} under {@code check} ({@link ResponseRecording}; {@code expectedIntervalMs} is the pacing of
     * a constant rate, null for the warm-up ramp).
     */
    static ScenarioBuilder scenarioOf(PathRequest r, String name, RequestAuth auth, Recorder recorder, String check,
                                      Double expectedIntervalMs) {
        return scenario(name).exec(chainOf(r, name, auth, recorder, check, expectedIntervalMs));
    }

    /** The request of {@link #scenarioOf} and its recording, as a chain for scenarios of another shape. */
    static ChainBuilder chainOf(PathRequest r, String name, RequestAuth auth, Recorder recorder, String check,
                                Double expectedIntervalMs) {
        return exec(auth.authorize(r, requestOf(r, name)))
                .exec(ResponseRecording.after(recorder, r, check, expectedIntervalMs));
    }

    /** The checked GET of {@link #scenarioOf}, before authentication. */
    static HttpRequestActionBuilder requestOf(PathRequest r, String name) {
        return http(name)
                .get(r.url())
                .headers(r.headers())
                .check(ResponseRecording.checks())
                .check(status().is(200))
                .check(jsonPath("$.api").is(r.api()))
                .check(jsonPath("$.region").is(r.region()));
    }

    static List<Assertion> assertionsOf(PathRequest r, long users) {
        return List.of(
                details(r.name()).failedRequests().percent().is(0.0),
                details(r.name()).allRequests().count().gte(users),
                details(r.name()).responseTime().percentile(50.0).gte(r.budget().p50FloorMs()),
                details(r.name()).responseTime().percentile(95.0).lte(r.budget().p95CeilingMs()));
    }

    private void report(SimulationSettings settings, PathPlan plan, AuthType auth) {
        System.out.printf("vpcanary: driving %s, APIs with %s authorization: %d request names, %s users/s each for %s after a warm-up of %s%n",
                lab.description(), auth, plan.requests().size(), settings.rate(), settings.duration(), settings.warmUp());
        for (PathRequest r : plan.requests()) {
            System.out.printf("  %-40s view %-12s via %-16s p50 >= %d ms, p95 <= %d ms  %s %s%n", r.name(), r.view(),
                    r.resolver().getAddress().getHostAddress() + ":" + r.resolver().getPort(), r.budget().p50FloorMs(),
                    r.budget().p95CeilingMs(), r.url(), r.headers().isEmpty() ? "" : r.headers());
        }
        plan.skipped().forEach(s -> System.out.println("  not driven: " + s));
    }

    /** Says loudly when the trust store Gatling verifies with does not hold the CA of the lab it is about to drive. */
    private void checkTrust() {
        String file = System.getProperty("gatling.ssl.trustStore.file", "");
        String password = System.getProperty("gatling.ssl.trustStore.password", "");
        Path ca = Path.of(lab.environment().ca());
        boolean ok;
        try {
            ok = !file.isBlank() && LabTrustStore.holds(Path.of(file), password.toCharArray(), ca);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Gatling trust store " + file, e);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (ok) {
            System.out.println("vpcanary: certificates are verified against the lab CA " + ca + " (trust store " + file + ")");
        } else {
            System.out.println("vpcanary: WARNING: Gatling's trust store '" + file + "' does not hold the lab CA " + ca
                    + ": every TLS handshake will fail verification. Run through the load profile "
                    + "(./mvnw -Pload -pl simulations -am verify -DskipTests), which writes the right store first.");
        }
    }

    @Override
    public void after() {
        try {
            lab.close();
        } finally {
            metrics.close();
        }
    }
}
