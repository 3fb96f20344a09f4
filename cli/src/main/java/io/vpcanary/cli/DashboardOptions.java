package io.vpcanary.cli;

import io.vpcanary.dashboards.DashboardSettings;
import io.vpcanary.metrics.ProbeMetrics;
import picocli.CommandLine.Option;

/** The dashboard options of {@code vpcanary dashboards generate} and {@code deploy}: a picocli mixin. */
final class DashboardOptions {

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = ProbeMetrics.DEFAULT_NAMESPACE,
            description = "CloudWatch namespace the metrics are published under. Default ${DEFAULT-VALUE} "
                    + "(load runs: " + ProbeMetrics.LOAD_NAMESPACE + ").")
    String namespace;

    @Option(names = "--name", paramLabel = "PREFIX", defaultValue = DashboardSettings.DEFAULT_NAME,
            description = "Dashboard name, and prefix of the per-API dashboards. Default ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--period", paramLabel = "SECONDS", defaultValue = "" + DashboardSettings.DEFAULT_PERIOD_SECONDS,
            description = "Period of every graph, a multiple of 60. Default ${DEFAULT-VALUE}.")
    int period;

    /** The settings given; a name, namespace or period CloudWatch would refuse is an IllegalArgumentException. */
    DashboardSettings settings() {
        return new DashboardSettings(namespace, name, period);
    }
}
