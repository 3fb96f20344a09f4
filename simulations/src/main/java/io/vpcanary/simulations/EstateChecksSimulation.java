package io.vpcanary.simulations;

import java.io.IOException;

/**
 * The estate's own checks under load: every check (method, path, headers, body, expectation) through the access paths
 * and regions it applies to, from the vantages the client stands in, as the probe plans them. Against the lab by
 * default; against a real estate with {@code -Dvpcanary.target=aws -Dvpcanary.estate=F -Dvpcanary.vantage=V}
 * (docs/simulations.md). Each response is judged by its check's expectation, so a check that expects a refusal is OK
 * when refused; checks that expect a DNS failure are probe checks and are skipped with a line.
 */
public class EstateChecksSimulation extends LoadSimulation {

    public EstateChecksSimulation() throws IOException {
        super();
    }

    @Override
    protected PathPlan plan(SimulationSettings settings, SimulationClient client) {
        return PathPlan.checks(client.estate(), client.client());
    }
}
