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
 * The lab's access-path load runs, for the APIs of one authorizer type ({@link AccessPathsSimulation}: none;
 * {@link SignedRestSimulation}: IAM; {@link JwtHttpApiSimulation}: JWT): every access path of every such API in every
 * region, from the vantages selected ({@code vpcanary.vantage}; default every view of the lab), each request name
 * ({@code "orders PRIVATE_DNS us-east-1"}) a GET of the API's first resource ({@link PathPlan#accessPaths}).
 *
 * <p>Each response must be 200 with JSON naming the API ({@code $.api}) and the region that served it
 * ({@code $.region}), which the lab's simulated integrations return. Per request name the run also asserts a median of
 * at least {@value LatencyBudget#FLOOR_FRACTION} of the integration's configured median (the lab really adds its
 * latency) and a 95th percentile within the integration's configured 99th percentile plus {@code vpcanary.overheadMs}
 * ({@link LatencyBudget}). These are lab simulations: with {@code vpcanary.target=aws} they drive nothing and say so
 * ({@link EstateChecksSimulation} drives a real estate).
 */
public abstract class LabPathSimulation extends LoadSimulation {

    protected LabPathSimulation(AuthType auth) throws IOException {
        super(auth);
    }

    @Override
    protected String skipReason(SimulationSettings settings) {
        return settings.target() == TargetMode.AWS
                ? "a lab simulation (it checks the lab's own answers); with vpcanary.target=aws, "
                + "EstateChecksSimulation drives the estate's checks" : null;
    }

    @Override
    protected PathPlan plan(SimulationSettings settings, SimulationClient client) {
        return PathPlan.accessPaths(client.estate(), client.client(), settings.overheadMs(), Set.of(labAuth()));
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
