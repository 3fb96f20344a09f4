package io.vpcanary.cli;

import io.vpcanary.core.Durations;
import io.vpcanary.gameday.audit.Finding;
import io.vpcanary.gameday.audit.RoutingAudit;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.metrics.MetricsOutput;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vpcanary routing}: the routing domains of an estate, seen from the client's side, and Route 53's setup. */
@Command(name = "routing", mixinStandardHelpOptions = true,
        description = "Routing domains (Route 53 failover, weighted, latency) seen from the client's side, and an "
                + "audit of Route 53.",
        subcommands = {RoutingVerifyCommand.class, RoutingCommand.Audit.class})
public final class RoutingCommand extends CommandGroup {

    /** {@code vpcanary routing audit}. */
    @Command(name = "audit",
            description = {"Audit Route 53: failover pairs complete, primaries health-checked, private targets on "
                    + "CLOUDWATCH_METRIC checks whose alarms Route 53 can use (standard resolution; Average, Minimum, "
                    + "Maximum, Sum or SampleCount), TTLs within the RTO goal, weights sane, aliases evaluating target "
                    + "health. One line per finding with its severity and fix; exit 1 when any is an ERROR "
                    + "(docs/routing-audit.md)."},
            mixinStandardHelpOptions = true)
    public static final class Audit implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--zone", paramLabel = "NAME|ID",
                description = "Hosted zone to audit, by name or id; repeatable. Default: every hosted zone.")
        List<String> zones = new ArrayList<>();

        @Option(names = "--rto", paramLabel = "DURATION",
                description = "The recovery time objective TTLs and detection must fit (30s, 2m, PT90S). Default: none.")
        String rto;

        @Option(names = "--region", paramLabel = "REGION",
                description = "Region of a health check's alarm when the check does not say. Default: the AWS SDK's "
                        + "region chain, else us-east-1.")
        String region;

        @Option(names = "--endpoint", paramLabel = "URI",
                description = "Route 53 and CloudWatch endpoint, for an emulator (default: the SDK's own "
                        + "AWS_ENDPOINT_URL_ROUTE_53, AWS_ENDPOINT_URL_CLOUDWATCH, AWS_ENDPOINT_URL settings).")
        String endpoint;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the audit as JSON to FILE.")
        Path json;

        @Override
        public Integer call() throws Exception {
            Duration goal = rto == null ? null : Durations.parsePositive("--rto", rto);
            java.net.URI uri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
            PrintWriter w = spec.commandLine().getOut();
            try (AwsClients aws = AwsClients.of(uri, null)) {
                RoutingAudit.Result r = new RoutingAudit(aws.route53(), aws::cloudWatch,
                        region != null ? region : MetricsOutput.defaultRegion(), goal).run(zones);
                for (Finding f : r.findings()) {
                    w.println(f);
                }
                w.printf("audit: %d zone(s), %d routed records, %d health checks: %d errors, %d warnings, %d notes%n",
                        r.zones().size(), r.routedRecords(), r.healthChecks(), r.count(Finding.Severity.ERROR),
                        r.count(Finding.Severity.WARNING), r.count(Finding.Severity.INFO));
                if (json != null) {
                    Files.writeString(json, r.json(goal), StandardCharsets.UTF_8);
                    w.println("wrote " + json);
                }
                w.flush();
                return r.count(Finding.Severity.ERROR) > 0 ? 1 : 0;
            }
        }
    }
}
