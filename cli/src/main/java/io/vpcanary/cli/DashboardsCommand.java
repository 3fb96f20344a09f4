package io.vpcanary.cli;

import io.vpcanary.dashboards.CloudWatchDashboards;
import io.vpcanary.dashboards.DashboardSettings;
import io.vpcanary.dashboards.GrafanaDashboards;
import io.vpcanary.dashboards.alarms.AlarmPlan;
import io.vpcanary.dashboards.deploy.Deployer;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.metrics.MetricsOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary dashboards}: dashboards of an estate's canary metrics. {@code vpcanary dashboards generate} writes
 * the CloudWatch dashboard bodies ({@link CloudWatchDashboards}) and the Grafana dashboard
 * ({@link GrafanaDashboards}); {@code vpcanary dashboards deploy} puts the dashboards, the alarms and the health
 * checks ({@link AlarmPlan}) through the SDK ({@link Deployer}); bad input (an invalid estate, a name, namespace or period CloudWatch would refuse, an
 * unwritable directory) is one line and exit 2 through {@link Main}'s handler.
 */
@Command(name = "dashboards",
        description = "Dashboards of the estate's canary metrics, generated from the estate.",
        mixinStandardHelpOptions = true,
        subcommands = {DashboardsCommand.Generate.class, DashboardsCommand.Deploy.class})
public final class DashboardsCommand extends CommandGroup {

    /** {@code vpcanary dashboards generate}. */
    @Command(name = "generate",
            description = {"Write the CloudWatch dashboard body of the estate ({NAME}.json; with more than 500 "
                    + "widgets an overview and one dashboard per API, {NAME}-{API}.json) and the same dashboard for "
                    + "Grafana's CloudWatch data source ({NAME}.grafana.json)."},
            mixinStandardHelpOptions = true)
    public static final class Generate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        EstateOption estateOption;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "Directory to write the dashboards to (created if missing). Default: the current one.")
        Path out;

        @CommandLine.Mixin
        DashboardOptions dashboard;

        @Override
        public Integer call() throws IOException, EstateException {
            DashboardSettings settings = dashboard.settings();
            Estate estate = estateOption.load();
            List<CloudWatchDashboards.Dashboard> dashboards = CloudWatchDashboards.generate(estate, settings);
            String grafana = GrafanaDashboards.generate(estate, settings);
            Files.createDirectories(out);
            PrintWriter w = spec.commandLine().getOut();
            for (CloudWatchDashboards.Dashboard d : dashboards) {
                Path file = write(d.name() + ".json", d.prettyJson());
                w.printf("wrote %s: CloudWatch dashboard %s, %d widgets%n", file, d.name(), d.widgetCount());
            }
            Path file = write(settings.name() + ".grafana.json", grafana);
            w.printf("wrote %s: Grafana dashboard %s over the CloudWatch data source%n", file, settings.name());
            w.flush();
            return 0;
        }

        private Path write(String fileName, String text) throws IOException {
            Path file = out.resolve(fileName);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }
    }

    /** {@code vpcanary dashboards deploy}. */
    @Command(name = "deploy",
            description = {"Deploy the estate's CloudWatch dashboards, its alarms (each in the region of the metrics "
                    + "it watches) and the Route 53 health checks of its routing domains, with the AWS SDK's default "
                    + "credentials. Idempotent: what exists as generated is left alone, and a second deploy says "
                    + "nothing changed."},
            mixinStandardHelpOptions = true)
    public static final class Deploy implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        EstateOption estateOption;

        @CommandLine.Mixin
        DashboardOptions dashboard;

        @Option(names = "--region", paramLabel = "REGION",
                description = "Region the dashboards are put in (they span regions through each widget's region). "
                        + "Default: the AWS SDK's region chain, else us-east-1. Alarms go to their metrics' regions.")
        String region;

        @Option(names = "--endpoint", paramLabel = "URI",
                description = "CloudWatch and Route 53 endpoint, for an emulator (default: the SDK's own "
                        + "AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL_ROUTE_53, AWS_ENDPOINT_URL settings).")
        String endpoint;

        @Override
        public Integer call() throws EstateException {
            DashboardSettings settings = dashboard.settings();
            Estate estate = estateOption.load();
            List<CloudWatchDashboards.Dashboard> dashboards = CloudWatchDashboards.generate(estate, settings);
            AlarmPlan plan = AlarmPlan.of(estate, new AlarmPlan.Settings(settings.namespace()));
            java.net.URI uri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
            String home = region != null ? region : MetricsOutput.defaultRegion();
            Deployer deployer = Deployer.withSdkClients(uri);
            PrintWriter w = spec.commandLine().getOut();
            List<Deployer.Change> changes = new java.util.ArrayList<>();
            changes.addAll(deployer.dashboards(dashboards, home));
            changes.addAll(deployer.alarms(plan.alarms()));
            changes.addAll(deployer.healthChecks(plan.healthChecks()));
            changes.forEach(c -> w.println(c.line()));
            java.util.Map<Deployer.Action, Long> counts = new java.util.EnumMap<>(Deployer.Action.class);
            changes.forEach(c -> counts.merge(c.action(), 1L, Long::sum));
            long created = counts.getOrDefault(Deployer.Action.CREATED, 0L);
            long updated = counts.getOrDefault(Deployer.Action.UPDATED, 0L);
            long unchanged = counts.getOrDefault(Deployer.Action.UNCHANGED, 0L);
            w.println(created + updated == 0
                    ? "deploy: nothing changed (" + unchanged + " resources already as generated)"
                    : "deploy: " + created + " created, " + updated + " updated, " + unchanged + " unchanged");
            w.flush();
            return 0;
        }
    }
}
