package io.vpcanary.cli;

import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.inject.Restorer;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.gameday.plan.GameDayPlan;
import io.vpcanary.gameday.plan.GameDayPlans;
import io.vpcanary.gameday.run.GameDay;
import io.vpcanary.gameday.run.GameDaySetup;
import io.vpcanary.gameday.run.Report;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** {@code vpcanary gameday}: failover rehearsals that measure what clients see and always restore (docs/gameday.md). */
@Command(name = "gameday", description = "Failover game days: inject a fault, measure what clients see, restore.",
        mixinStandardHelpOptions = true, subcommands = {GameDayCommand.Run.class, GameDayCommand.Restore.class,
        GameDayCommand.Validate.class, GameDayCommand.Schema.class})
public final class GameDayCommand extends CommandGroup {

    /** Where the journal lives unless {@code --journal} says. */
    static final Path DEFAULT_JOURNAL = Path.of(".vpcanary", "gameday-journal.jsonl");

    /** Where a game day runs: a lab, or a real estate. */
    static final class Where {
        @Option(names = "--lab", paramLabel = "FILE", description = "The running lab's environment file.")
        Path lab;

        @Option(names = "--estate", paramLabel = "FILE",
                description = "The estate, facing AWS (with --vantage and --resolver as for vpcanary probe).")
        Path estate;

        @Option(names = "--vantage", paramLabel = "VANTAGE", description = "Facing AWS: where this client stands.")
        List<String> vantages = new ArrayList<>();

        @Option(names = "--resolver", paramLabel = "[VANTAGE=]HOST:PORT",
                description = "Facing AWS: the resolver of a vantage (default: the system's).")
        List<String> resolvers = new ArrayList<>();

        Estate estate() throws EstateException, IOException {
            if ((lab == null) == (estate == null)) {
                throw new IllegalArgumentException("say where the game day runs: --lab FILE or --estate FILE");
            }
            return lab != null ? EstateLoader.load(Path.of(LabEnvironment.read(lab).estate()))
                    : EstateLoader.load(estate);
        }

        ClientEnvironment client(Estate e) throws IOException {
            return lab != null ? ClientEnvironment.lab(LabEnvironment.read(lab), e, List.of(), System::getenv)
                    : ClientEnvironment.aws(e, new ClientEnvironment.AwsSettings(vantages, resolvers, null, null,
                    null, DefaultCredentialsProvider.builder().build(), System::getenv));
        }
    }

    /** {@code vpcanary gameday run}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a game day: probe the plan's routing domain at a fixed rate from each vantage, inject "
                    + "the fault (journalled first), hold it, restore it (also on failure, abort and Ctrl-C), keep "
                    + "probing, and print the time to first error, to failover (the RTO), errors and time to failback "
                    + "beside the bounds the configuration implies. Exit 0 when the plan's expectation is met and the "
                    + "fault restored."})
    public static final class Run implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PLAN", description = "The game-day plan (YAML).")
        Path plan;

        @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
        Where where;

        @Option(names = "--journal", paramLabel = "FILE",
                description = "The journal of changes, written before each (default: .vpcanary/gameday-journal.jsonl).")
        Path journal = DEFAULT_JOURNAL;

        @Option(names = "--endpoint", paramLabel = "URI",
                description = "Route 53, CloudWatch, FIS and ARC at an emulator (default: the SDK's own "
                        + "AWS_ENDPOINT_URL[_SERVICE] settings).")
        String endpoint;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
        Path json;

        @Option(names = "--publish", paramLabel = "cloudwatch|emf|local",
                converter = ProbeCommand.DestinationConverter.class,
                description = "Publish the failover and failback times (" + Report.FAILOVER_TIME_METRIC + ", "
                        + Report.FAILBACK_TIME_METRIC + ").")
        List<MetricsOutput.Destination> publish = new ArrayList<>();

        @Option(names = "--metrics-file", paramLabel = "FILE", description = "JSON-lines file for --publish local.")
        Path metricsFile;

        @Option(names = "--region", paramLabel = "REGION", description = "CloudWatch region for --publish cloudwatch.")
        String region;

        @Override
        public Integer call() throws Exception {
            Estate estate = where.estate();
            GameDayPlan p = GameDayPlans.load(plan, estate);
            ClientEnvironment client = where.client(estate);
            PrintWriter out = spec.commandLine().getOut();
            URI uri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
            try (AwsClients aws = AwsClients.of(uri, null)) {
                GameDay.Settings settings = GameDaySetup.settings(p, estate, client, where.lab, aws,
                        Journal.at(journal), out, null);
                Report report = new GameDay(settings).run();
                out.print(report.text());
                if (json != null) {
                    Files.writeString(json, report.json(), StandardCharsets.UTF_8);
                    out.println("wrote " + json);
                }
                if (!publish.isEmpty()) {
                    try (MetricsOutput metrics = MetricsOutput.create(new MetricsOutput.Settings(Set.copyOf(publish),
                            ProbeMetrics.DEFAULT_NAMESPACE, region, uri, metricsFile, 60, null), out,
                            Clock.systemUTC()).start()) {
                        report.record(metrics.recorder());
                    }
                }
                out.flush();
                return report.passed() ? 0 : 1;
            }
        }
    }

    /** {@code vpcanary gameday restore}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put back every change the journal holds that a game day did not restore (after a SIGKILL, "
                    + "a power cut), newest first, with the previous values it recorded. Exit 1 when any cannot be "
                    + "restored."})
    public static final class Restore implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--journal", paramLabel = "FILE",
                description = "The journal (default: .vpcanary/gameday-journal.jsonl).")
        Path journal = DEFAULT_JOURNAL;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Journal j = Journal.at(journal);
            List<Restorer.Restored> done;
            java.util.Map<URI, AwsClients> clients = new java.util.concurrent.ConcurrentHashMap<>();
            try {
                done = new Restorer(u -> clients.computeIfAbsent(u == null ? URI.create("sdk:default") : u,
                        k -> AwsClients.of(u, null))).restoreAll(j);
            } finally {
                clients.values().forEach(AwsClients::close);
            }
            for (Restorer.Restored r : done) {
                out.println((r.ok() ? "restored " : "NOT RESTORED ") + r.change().kind() + " (" + r.change().what()
                        + "): " + r.detail());
            }
            out.println(done.isEmpty() ? "restore: nothing to restore in " + journal
                    : "restore: " + done.stream().filter(Restorer.Restored::ok).count() + " of " + done.size()
                    + " change(s) restored");
            out.flush();
            return done.stream().allMatch(Restorer.Restored::ok) ? 0 : 1;
        }
    }

    /** {@code vpcanary gameday validate}. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validate a game-day plan against the estate: file:line:column: field: message per problem, "
                    + "exit 2.")
    public static final class Validate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PLAN")
        Path plan;

        @CommandLine.ArgGroup(exclusive = false, multiplicity = "1")
        Where where;

        @Override
        public Integer call() throws Exception {
            GameDayPlans.load(plan, where.estate());
            spec.commandLine().getOut().println(plan + ": valid");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code vpcanary gameday schema}. */
    @Command(name = "schema", mixinStandardHelpOptions = true, description = "Print the game-day plan's JSON Schema.")
    public static final class Schema implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(GameDayPlans.schema());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
