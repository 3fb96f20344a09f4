package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.CheckBuilder;
import io.vpcanary.core.TargetMode;
import io.vpcanary.estate.AuthType;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The lab's access-path load run: every access path of every REST and HTTP API in every region, from the vantages
 * selected ({@code vpcanary.vantage}; default every view of the lab), each request name
 * ({@code "orders PRIVATE_DNS us-east-1"}) a GET of the API's first resource ({@link PathPlan#accessPaths}),
 * authenticated as the API's authorizer requires ({@link RequestAuth}: SigV4 signed per request for IAM, a
 * client-credentials token for JWT and Cognito, the API's token for TOKEN).
 *
 * <p>Each response must be 200 with JSON naming the API ({@code $.api}) and the region that served it
 * ({@code $.region}), which the lab's simulated integrations return. Per request name the run also asserts a median of
 * at least {@value LatencyBudget#FLOOR_FRACTION} of the integration's configured median (the lab really adds its
 * latency) and a 95th percentile within the integration's configured 99th percentile plus {@code vpcanary.overheadMs}
 * ({@link LatencyBudget}). It is a lab simulation: with {@code vpcanary.target=aws} the build does not run it
 * (simulations/pom.xml's {@code aws-target} profile), and run by name it drives nothing and says so
 * ({@link EstateChecksSimulation} drives a real estate).
 */
public class AccessPathsSimulation extends LoadSimulation {

    /** The authorizer types driven: every one. */
    static final Set<AuthType> ALL_AUTH = java.util.EnumSet.allOf(AuthType.class);

    public AccessPathsSimulation() throws IOException {
        super();
    }

    @Override
    protected String skipReason(SimulationSettings settings) {
        return settings.target() == TargetMode.AWS
                ? "a lab simulation (it checks the lab's own answers); with vpcanary.target=aws, "
                + "EstateChecksSimulation drives the estate's checks" : null;
    }

    @Override
    protected PathPlan plan(SimulationSettings settings, SimulationClient client) {
        return PathPlan.accessPaths(client.estate(), client.client(), settings.overheadMs(), ALL_AUTH);
    }

    @Override
    protected List<CheckBuilder> extraChecks(PathRequest r) {
        return List.of(jsonPath("$.api").is(r.api()), jsonPath("$.region").is(r.region()));
    }

    @Override
    protected List<Assertion> extraAssertions(PathRequest r) {
        return List.of(
                details(r.name()).responseTime().percentile(50.0).gte(r.budget().p50FloorMs()),
                details(r.name()).responseTime().percentile(95.0).lte(r.budget().p95CeilingMs()));
    }
}
