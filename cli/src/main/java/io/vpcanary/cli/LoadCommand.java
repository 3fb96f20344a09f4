package io.vpcanary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vpcanary.core.Durations;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.load.InjectorFleet;
import io.vpcanary.gameday.load.InjectorStack;
import io.vpcanary.gameday.load.RunId;
import io.vpcanary.gameday.load.RunSettings;
import io.vpcanary.gameday.load.RunSummary;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary load}: load runs. {@code run} runs a simulation in this process, as one injector (docs/load.md);
 * distributed runs on ECS Fargate (docs/load-fleet.md): {@code start} runs the injector
 * tasks of a run in each region's injector stack, {@code wait} waits for them and reports each task's exit,
 * {@code summary} reads the merged result back from CloudWatch, {@code template} prints the stack's CloudFormation
 * template. The control-plane work is {@link InjectorFleet} and {@link RunSummary} (module gameday, decision 0010).
 */
@Command(name = "load",
        description = "Load runs: a simulation in this process as one injector (run), or injector tasks on ECS "
                + "Fargate inside the VPC with merged results from CloudWatch (start, wait, summary, template).",
        mixinStandardHelpOptions = true,
        subcommands = {LoadRunCommand.class, LoadCommand.Start.class, LoadCommand.Wait.class,
                LoadCommand.Summary.class, LoadCommand.Template.class})
public final class LoadCommand extends CommandGroup {

    /** Where the injector stacks are, and how to reach AWS. */
    static final class Fleet {
        @Option(names = "--stack", paramLabel = "NAME", defaultValue = InjectorStack.DEFAULT_NAME,
                description = "The injector stack's name, the same in every region (default ${DEFAULT-VALUE}).")
        String stack;

        @Option(names = "--region", paramLabel = "REGION",
                description = "A region with an injector stack; repeat for several (default: the AWS SDK's region "
                        + "chain, else us-east-1).")
        List<String> regions = new ArrayList<>();

        @Option(names = "--endpoint", paramLabel = "URI",
                description = "ECS, CloudFormation and CloudWatch endpoint, for an emulator (default: the SDK's own "
                        + "AWS_ENDPOINT_URL[_SERVICE] settings).")
        String endpoint;

        List<String> regions() {
            return regions.isEmpty() ? List.of(MetricsOutput.defaultRegion()) : List.copyOf(regions);
        }

        AwsClients clients() {
            URI uri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
            return AwsClients.of(uri, null);
        }
    }

    /** A verb about one run: its id, its stacks' regions. */
    abstract static class OfRun implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Fleet fleet;

        @Option(names = "--run-id", paramLabel = "ID", required = true, description = "The run's id.")
        String runId;
    }

    /** {@code vpcanary load start}. */
    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a run's injector tasks together in each region's injector stack (RunTask with the "
                    + "run's settings as container overrides); prints the run id and the task ARNs.")
    public static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Fleet fleet;

        @Option(names = "--count", paramLabel = "N",
                description = "Injector tasks per region (default: the stack's InjectorCount).")
        Integer count;

        @Option(names = "--estate", paramLabel = "FILE",
                description = "The estate to load, sent with the run (gzipped and base64 in " + RunSettings.ESTATE_ENV
                        + "; ECS allows 8192 characters of overrides).")
        Path estate;

        @Option(names = "--estate-in-image", paramLabel = "PATH",
                description = "The estate's path inside the image instead (each injector runs load run --estate PATH).")
        String estateInImage;

        @Option(names = "--vantage", paramLabel = "VANTAGE",
                description = "Where the injectors stand (default: each stack's Vantage).")
        String vantage;

        @Option(names = "--rate", paramLabel = "N", description = "Each injector's rate (load run --rate).")
        Double rate;

        @Option(names = "--duration", paramLabel = "D", description = "How long each injector runs (load run --duration).")
        String duration;

        @Option(names = "--warm-up", paramLabel = "D", description = "Each injector's warm-up (load run --warm-up).")
        String warmUp;

        @Option(names = "--namespace", paramLabel = "NS",
                description = "CloudWatch namespace (default: each stack's Namespace, the one its task role allows).")
        String namespace;

        @Option(names = "--run-id", paramLabel = "ID",
                description = "The run's id (default: the start time and a random suffix, such as "
                        + "20261128T231500Z-3f9a0c).")
        String runId;

        @Override
        public Integer call() throws IOException, EstateException {
            if (duration != null) {
                Durations.parsePositive("--duration", duration);
            }
            if (warmUp != null) {
                Durations.parse("--warm-up", warmUp);
            }
            String encoded = null;
            if (estate != null) {
                EstateLoader.load(estate);
                encoded = RunSettings.encodeEstate(Files.readAllBytes(estate));
            }
            RunId id = runId != null ? new RunId(runId) : RunId.generate(Instant.now());
            RunSettings settings = new RunSettings(id, encoded, estateInImage, vantage, rate, duration, warmUp,
                    namespace);
            PrintWriter out = spec.commandLine().getOut();
            try (AwsClients aws = fleet.clients()) {
                InjectorFleet.StartResult r = new InjectorFleet(aws, fleet.stack).start(fleet.regions(), count,
                        settings);
                out.println("run " + id);
                for (InjectorStack s : r.stacks()) {
                    long n = r.started().stream().filter(t -> t.region().equals(s.region())).count();
                    out.println("  " + s.region() + "  stack " + s.name() + ", cluster " + s.cluster() + ", "
                            + s.taskDefinition() + ", from " + (vantage != null ? vantage : s.vantage()) + ": " + n
                            + " tasks started");
                }
                r.started().forEach(t -> out.println("started " + t.region() + " " + t.taskArn()));
                r.failures().forEach(f -> out.println("not started " + f));
                out.println(r.ok() ? "wait for it: vpcanary load wait --run-id " + id + regionArgs()
                        : "vpcanary load start: " + r.failures().size() + " start failures; the started tasks run "
                        + "on (stop them with aws ecs stop-task, or wait for them)");
                out.flush();
                return r.ok() ? 0 : 1;
            }
        }

        private String regionArgs() {
            StringBuilder b = new StringBuilder();
            fleet.regions.forEach(r -> b.append(" --region ").append(r));
            if (!InjectorStack.DEFAULT_NAME.equals(fleet.stack)) {
                b.append(" --stack ").append(fleet.stack);
            }
            return b.toString();
        }
    }

    /** {@code vpcanary load wait}. */
    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Wait until every task of a run has stopped; report each task's exit code and stop reason. "
                    + "Exit 1 if any failed or the timeout passed.")
    public static final class Wait extends OfRun {

        @Option(names = "--timeout", paramLabel = "D", defaultValue = "1h",
                description = "How long to wait at most (default ${DEFAULT-VALUE}).")
        String timeout;

        @Option(names = "--poll", paramLabel = "D", defaultValue = "15s",
                description = "How often to look (default ${DEFAULT-VALUE}).")
        String poll;

        @Override
        public Integer call() throws InterruptedException {
            RunId id = new RunId(runId);
            Duration limit = Durations.parse("--timeout", timeout);
            Duration every = Durations.parsePositive("--poll", poll);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (AwsClients aws = fleet.clients()) {
                InjectorFleet.WaitResult r = new InjectorFleet(aws, fleet.stack).await(fleet.regions(), id, limit,
                        every, line -> {
                            err.println("vpcanary load wait: " + line);
                            err.flush();
                        });
                out.printf(Locale.ROOT, "%-14s %-38s %-12s %-5s %s%n", "REGION", "TASK", "STATUS", "EXIT",
                        "STOP REASON");
                int failed = 0;
                for (InjectorFleet.TaskState t : r.tasks()) {
                    if (!t.succeeded()) {
                        failed++;
                    }
                    String reason = join(t.stopCode(), t.stoppedReason(), t.containerReason());
                    out.printf(Locale.ROOT, "%-14s %-38s %-12s %-5s %s%n", t.region(),
                            t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1), t.lastStatus(),
                            !t.stopped() || t.exitCode() == null ? "-" : t.exitCode().toString(), reason.isEmpty() ? "-" : reason);
                }
                if (r.timedOut()) {
                    out.println("FAIL: " + r.tasks().stream().filter(t -> !t.stopped()).count() + " of "
                            + r.tasks().size() + " tasks still running after " + timeout);
                } else if (failed > 0) {
                    out.println("FAIL: " + failed + " of " + r.tasks().size() + " tasks did not exit with 0");
                } else {
                    out.println("OK: all " + r.tasks().size() + " tasks of run " + id + " exited with 0; summary: "
                            + "vpcanary load summary --run-id " + id);
                }
                out.flush();
                return r.ok() ? 0 : 1;
            }
        }

        private static String join(String... parts) {
            List<String> given = new ArrayList<>();
            for (String p : parts) {
                if (p != null && !p.isBlank()) {
                    given.add(p);
                }
            }
            return String.join("; ", given);
        }
    }

    /** {@code vpcanary load summary}. */
    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "The run's merged result from CloudWatch: per series the percentiles CloudWatch computes "
                    + "over every injector's distribution, the sample count and the errors.")
    public static final class Summary extends OfRun {

        @Option(names = "--namespace", paramLabel = "NS", defaultValue = ProbeMetrics.LOAD_NAMESPACE,
                description = "CloudWatch namespace (default ${DEFAULT-VALUE}).")
        String namespace;

        @Option(names = "--from", paramLabel = "INSTANT",
                description = "Start of the run's window, such as 2026-11-28T23:15:00Z (default: the time a "
                        + "generated run id starts with, less a minute).")
        String from;

        @Option(names = "--to", paramLabel = "INSTANT", description = "End of the window (default: now).")
        String to;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
        Path json;

        @Override
        public Integer call() throws IOException {
            RunId id = new RunId(runId);
            Instant start = from != null ? instant("--from", from) : id.stampedAt()
                    .map(t -> t.minus(Duration.ofMinutes(1)))
                    .orElseThrow(() -> new IllegalArgumentException("run id " + id + " does not start with its time: "
                            + "give --from"));
            Instant end = to != null ? instant("--to", to) : Instant.now();
            RunSummary.Window window = new RunSummary.Window(start, end);
            List<RunSummary.RegionResult> results = new ArrayList<>();
            try (AwsClients aws = fleet.clients()) {
                for (String region : fleet.regions()) {
                    results.add(RunSummary.of(aws.cloudWatch(region), region, namespace, id, window));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("run " + id + " in " + namespace + ", " + window.from() + " to " + window.to()
                    + " as one period; percentiles over the merged distributions of every injector");
            for (RunSummary.RegionResult r : results) {
                print(out, r);
            }
            if (json != null) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                Files.writeString(json, m.writeValueAsString(Map.of("runId", id.value(), "namespace", namespace,
                        "from", window.from().toString(), "to", window.to().toString(), "regions", results)) + "\n",
                        StandardCharsets.UTF_8);
                out.println("wrote " + json);
            }
            out.flush();
            return 0;
        }

        private static void print(PrintWriter out, RunSummary.RegionResult r) {
            out.println();
            out.println(r.region() + ": " + r.series().size() + " series");
            if (r.series().isEmpty()) {
                out.println("  nothing published for this run in " + r.region());
                return;
            }
            out.printf(Locale.ROOT, "%-18s %-60s %9s %12s %9s %9s %9s %9s %9s %9s%n", "METRIC", "DIMENSIONS",
                    "SAMPLES", "SUM", "MIN", "MAX", "p50", "p90", "p99", "p99.9");
            long requests = 0;
            long passed = 0;
            Map<String, Long> errors = new TreeMap<>();
            for (RunSummary.SeriesResult s : r.series()) {
                Map<String, Double> p = s.percentiles();
                out.printf(Locale.ROOT, "%-18s %-60s %9d %12s %9s %9s %9s %9s %9s %9s%n", s.metric(),
                        s.dimensions().toString().replace(", ", ",").replaceAll("[{}]", ""),
                        Math.round(s.sampleCount()), num(s.sum()), num(s.minimum()), num(s.maximum()),
                        p == null ? "-" : num(p.get("p50")), p == null ? "-" : num(p.get("p90")),
                        p == null ? "-" : num(p.get("p99")), p == null ? "-" : num(p.get("p99.9")));
                if (s.metric().equals(ProbeMetrics.SUCCESS) && s.dimensions().keySet()
                        .equals(java.util.Set.of(ProbeMetrics.D_API, ProbeMetrics.D_REGION))) {
                    requests += Math.round(s.sampleCount());
                    passed += Math.round(s.sum());
                }
                if (s.metric().equals(ProbeMetrics.ERRORS)) {
                    errors.merge(s.dimensions().getOrDefault(ProbeMetrics.D_ERROR_CLASS, "?"),
                            Math.round(s.sampleCount()), Long::sum);
                }
            }
            out.println("  requests " + requests + " (Success by Api and Region), failed " + (requests - passed)
                    + "; errors by class " + (errors.isEmpty() ? "none" : errors));
            if (r.percentilesMissing() != null) {
                out.println("  percentiles: unavailable: " + r.percentilesMissing() + "; none printed rather than "
                        + "made up (CloudWatch computes them; moto_server does not)");
            }
        }

        private static String num(Double v) {
            if (v == null) {
                return "-";
            }
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue())
                    : String.format(Locale.ROOT, "%.2f", v);
        }

        private static Instant instant(String option, String text) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " takes an instant such as 2026-11-28T23:15:00Z; got '"
                        + text + "'");
            }
        }
    }

    /** {@code vpcanary load template}. */
    @Command(name = "template", mixinStandardHelpOptions = true,
            description = "Print the injector stack's CloudFormation template (deploy it once per region with aws "
                    + "cloudformation deploy).")
    public static final class Template implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the template here instead of to stdout.")
        Path out;

        @Override
        public Integer call() throws IOException {
            String text = InjectorStack.template();
            if (out == null) {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush();
            } else {
                Files.writeString(out, text, StandardCharsets.UTF_8);
                spec.commandLine().getErr().println("vpcanary load template: wrote " + out);
            }
            return 0;
        }
    }
}
