package io.vpcanary.simulations;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The whole estate under mixed load: every check of every HTTP API (REST and HTTP; WebSocket APIs are
 * {@link WebSocketSimulation}'s) through every access path and region it applies to, from every vantage selected, as
 * the probe plans them, on the open model. The run's {@code rate} is the total over the estate, shared among the
 * request names by weight ({@link LoadMix}: {@code vpcanary.weights} over the estate's {@code load.weights},
 * {@code vpcanary.regions}); against the lab by
 * default, or a real estate with {@code vpcanary.target=aws}. A progress line (requests, errors, current rate, p99 so
 * far, time left) is printed every {@code vpcanary.progress} (10 s by default) and once at the end.
 *
 * <p>Run it by name ({@code -Dgatling.simulationClass=io.vpcanary.simulations.EstateLoadSimulation}) or with
 * {@code vpcanary load run}, whose default simulation it is; {@code ./mvnw gatling:test} does not run it.
 */
public class EstateLoadSimulation extends LoadSimulation {

    public EstateLoadSimulation() throws IOException {
        super();
    }

    @Override
    protected PathPlan plan(SimulationSettings settings, SimulationClient client) {
        return LoadMix.fromSystemProperties().over(client.estate())
                .select(PathPlan.checks(client.estate(), client.client()), client.estate());
    }

    @Override
    protected Map<String, Double> rates(PathPlan plan, SimulationSettings settings) {
        return LoadMix.fromSystemProperties().over(client().estate()).rates(plan, settings.rate(), settings.duration());
    }

    @Override
    protected Duration progressEvery(SimulationSettings settings) {
        return LoadMix.fromSystemProperties().progress();
    }
}
