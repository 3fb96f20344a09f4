package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.vpcanary.estate.AuthType;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Benchmark simulation (bench/load-throughput.sh; not run by the load profile): a closed model of
 * {@code bench.users} virtual users, each sending requests back to back for {@code duration} to one endpoint of the
 * lab ({@code bench.target}, a request name such as {@code "orders PRIVATE_DNS us-east-1"}), SigV4-signed per request
 * when {@code bench.signed=true} ({@link RequestAuth}, exactly as the load runs sign) and plain
 * otherwise. When {@code warmUp} is not zero, the same users first run the same requests for {@code warmUp} under the
 * name {@code "warm-up {name}"} in the same JVM (so the JIT has compiled the signer and the client before the measured
 * phase). Responses are checked and recorded as in every simulation; the run asserts no failed request. The figure is
 * the measured name's request count (Gatling's console table) divided by {@code duration}.
 */
public class ThroughputSimulation extends io.gatling.javaapi.core.Simulation {

    private final SimulationClient client;
    private final SimulationMetrics metrics;

    public ThroughputSimulation() throws IOException {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        String target = System.getProperty("bench.target", "orders PRIVATE_DNS us-east-1");
        boolean signed = Boolean.parseBoolean(System.getProperty("bench.signed", "false"));
        int users = Integer.parseInt(System.getProperty("bench.users", "8"));
        if (users < 1) {
            throw new IllegalArgumentException("bench.users must be at least 1; got " + users);
        }
        metrics = SimulationMetrics.fromSystemProperties();
        client = SimulationClient.open(settings);
        try {
            AuthType auth = signed ? AuthType.IAM : AuthType.NONE;
            PathPlan plan = PathPlan.accessPaths(client.estate(), client.client(), settings.overheadMs(),
                    EnumSet.allOf(AuthType.class));
            PathRequest found = plan.requests().stream().filter(p -> p.name().equals(target)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("bench.target '" + target + "' is not a request "
                            + "name of the lab; names: " + plan.requests().stream().map(PathRequest::name).toList()));
            // the same target, signed or not as the bench asks, whatever the API's own authorizer
            io.vpcanary.access.Target t = found.target();
            PathRequest r = new PathRequest(found.name(), new io.vpcanary.access.Target(t.api(), t.apiType(),
                    t.apiId(), t.stage(), t.region(), t.accessPath(), t.check(), t.method(), t.url(), t.headers(),
                    t.signedHost(), t.vantage(), t.vpcEndpoint(), t.body(), auth,
                    t.expect()),
                    found.budget(), null);
            RequestAuth requestAuth = RequestAuth.of(client.estate(), client.client().auth());
            String name = (signed ? "signed " : "unsigned ") + r.name();
            System.out.printf("vpcanary: bench %s: %d users back to back for %s after a warm-up of %s%n", name, users,
                    settings.duration(), settings.warmUp());
            ScenarioBuilder measured = scenario(name).during(settings.duration()).on(
                    exec(requestAuth.authorize(r, http(name).get(r.url()).headers(r.headers())
                            .check(ResponseRecording.checks(r)))).exec(ResponseRecording.after(r, metrics::record)));
            PathPlan one = new PathPlan(List.of(r), List.of(), Map.of(r.view(), plan.addresses().get(r.view())));
            HttpProtocolBuilder protocol = VantageProtocols.of(one).get(r.view());
            PopulationBuilder population = measured.injectOpen(atOnceUsers(users)).protocols(protocol);
            if (!settings.warmUp().isZero()) {
                String warm = LoadSimulation.WARM_UP + name;
                population = scenario(warm).during(settings.warmUp()).on(
                                exec(requestAuth.authorize(r, http(warm).get(r.url()).headers(r.headers())
                                        .check(ResponseRecording.checks(r)))).exec(ResponseRecording.after(r, o -> { })))
                        .injectOpen(atOnceUsers(users)).protocols(protocol)
                        .andThen(population);
            }
            setUp(population).assertions(global().failedRequests().count().is(0L));
        } catch (RuntimeException e) {
            client.close();
            metrics.close();
            throw e;
        }
    }

    @Override
    public void after() {
        client.close(metrics);
    }
}
