package io.vpcanary.cli;

import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.core.Durations;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.probe.AuthMaterial;
import io.vpcanary.probe.AuthMatrix;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.probe.ProbeReport;
import io.vpcanary.probe.ProbeRun;
import io.vpcanary.probe.ProbeRunner;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary probe}: sends every check of an estate through each access path in each region and prints a table
 * (and optionally JSON), then the negative-auth matrix of every API with an authorizer, and optionally publishes the
 * metrics of {@code docs/metrics.md} ({@code --publish}). Exit codes: 0 when every check met its expectation and every
 * API enforced its auth, 1 when any did not (in any run) or when published metrics were dropped, 2 on bad input
 * (unreadable or invalid estate or environment file, bad options). Documented in {@code docs/probe.md}.
 */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {
                "Probe every API x access path x region of an estate: DNS through the vantage's resolver, TLS, "
                        + "phase timings, status and error class.",
                "Exit 0 when every check met its expectation, 1 when any did not or metrics were dropped, "
                        + "2 on bad input."})
public final class ProbeCommand implements Callable<Integer> {

    /** Where the estate comes from: a running lab, or real AWS. */
    static final class Source {
        @Option(names = "--lab", paramLabel = "FILE", required = true,
                description = "Environment file of a running lab (vpcanary lab --env-file): its estate, HTTPS port, "
                        + "resolver views and trust store.")
        Path lab;

        @Option(names = "--estate", paramLabel = "FILE", required = true,
                description = "Estate file; probes real AWS on port 443 through the system resolver and the JDK "
                        + "trust store unless --port, --resolver or --truststore say otherwise.")
        Path estate;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--once", description = "Run once and exit.")
    boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Time between the starts of two runs when repeating, such as 500ms, 30s, 5m. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration interval;

    @Option(names = "--count", paramLabel = "N",
            description = "Stop after N runs (default: repeat until interrupted, or once with --once).")
    Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Connect, read and whole-call timeout of each probe. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Send the first target of each authorizer type once, untimed, before the first run so JVM start-up is not reported as latency (default: on; --no-warmup sends only the checks).")
    boolean warmUp;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "4",
            description = "Probes in flight at once. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON (replaced each run).")
    Path json;

    @Option(names = "--api", paramLabel = "NAME", description = "Only these APIs (repeatable).")
    List<String> apis = new ArrayList<>();

    @Option(names = "--check", paramLabel = "NAME", description = "Only these checks (repeatable).")
    List<String> checks = new ArrayList<>();

    @Option(names = "--vantage", paramLabel = "VPC",
            description = "Where this client stands: a VPC of the estate (name or id) or on-premises. Repeatable. "
                    + "Only the checks of these vantages run. With --estate at least one is required; with --lab the "
                    + "default is every view of the lab.")
    List<String> vantages = new ArrayList<>();

    @Option(names = "--resolver", paramLabel = "[VANTAGE=]HOST:PORT",
            description = "With --estate: the DNS server of a vantage. With one vantage, HOST:PORT (default: the "
                    + "system resolver, inside a VPC the VPC's own); with several, VANTAGE=HOST:PORT for each. "
                    + "Repeatable.")
    List<String> resolvers = new ArrayList<>();

    @Option(names = "--truststore", paramLabel = "FILE",
            description = "With --estate: trust these CAs (PEM bundle, PKCS12 or JKS) instead of the JDK's.")
    Path truststore;

    @Option(names = "--truststore-password-env", paramLabel = "VAR",
            description = "Environment variable holding the password of a PKCS12/JKS --truststore (preferred: a "
                    + "password on a command line is visible to every user of the machine).")
    String truststorePasswordEnv;

    @Option(names = "--truststore-password", paramLabel = "PASSWORD", hidden = true,
            description = "Password of --truststore; prefer --truststore-password-env.")
    String truststorePassword;

    @Option(names = "--port", paramLabel = "PORT", description = "With --estate: HTTPS port of every URL. Default 443.")
    Integer port;

    @Option(names = "--publish", paramLabel = "cloudwatch|emf|local", converter = DestinationConverter.class,
            description = "Publish the metrics of docs/metrics.md: to CloudWatch (PutMetricData; credentials from the "
                    + "AWS SDK default chain), as EMF lines on stdout, or as JSON lines to --metrics-file. Repeatable.")
    List<MetricsOutput.Destination> publish = new ArrayList<>();

    @Option(names = "--publish-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long publishing to CloudWatch may keep trying at the end (and per flush) before the "
                    + "rest counts as dropped; a refused endpoint fails within it. Default: ${DEFAULT-VALUE}.")
    Duration publishTimeout;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write the results as JUnit XML for CI systems (replaced each run).")
    Path junit;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = ProbeMetrics.DEFAULT_NAMESPACE,
            description = "Metric namespace. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--region", paramLabel = "REGION",
            description = "CloudWatch region for --publish cloudwatch (default: the AWS SDK's region chain, else "
                    + "us-east-1). Not the regions probed: those come from the estate.")
    String region;

    @Option(names = "--endpoint", paramLabel = "URI",
            description = "CloudWatch endpoint for --publish cloudwatch, such as a VPC endpoint or an emulator "
                    + "(http://127.0.0.1:5000).")
    String endpoint;

    @Option(names = "--metrics-file", paramLabel = "FILE",
            description = "JSON-lines file for --publish local (appended to).")
    Path metricsFile;

    @Option(names = "--resolution", paramLabel = "60|1", defaultValue = "60",
            description = "Storage resolution in seconds: 60 (one-minute intervals) or 1 (high resolution, "
                    + "one-second intervals). Default: ${DEFAULT-VALUE}.")
    int resolution;

    // --- authentication and the negative-auth matrix (docs/probe.md, docs/auth.md) ---
    @Option(names = "--auth-matrix", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After each run, send every API with an authorizer the requests it must refuse (unsigned, "
                    + "wrong secret, expired token, ...); a 2xx answer is a security finding and fails the run "
                    + "(default: on; --no-auth-matrix skips it).")
    boolean authMatrix;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "With --estate: sign IAM requests with this profile of the AWS config files instead of "
                    + "the SDK's default credentials chain.")
    String profile;

    /** The process environment (client secrets, tokens); replaced by tests. */
    java.util.function.Function<String, String> getenv = System::getenv;

    /** Bad input: the message is printed and the command exits with 2. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    private record Plan(ProbeEngine engine, CanaryPlan canary, AuthMatrix matrix) {
        List<Target> targets() {
            return canary.targets();
        }
    }

    /** What the runs did so far, for the final summary (printed at the end, on --count and on Ctrl-C alike). */
    private static final class Totals {
        int runs;
        int checks;
        int failures;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan;
        MetricsOutput metrics;
        int runs = once ? 1 : count == null ? Integer.MAX_VALUE : count;
        try {
            plan = plan();
            metrics = metricsOutput(out, runs > 1);
        } catch (BadInput e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        plan.canary().header().forEach(line -> out.println("probe: " + line));
        out.flush();
        Totals totals = new Totals();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                if (metrics != null) {
                    metrics.close();
                    metrics.printSummary();
                }
                printTotals(out, totals, metrics);
            }
        }, "vpcanary-probe-shutdown");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        int exit;
        boolean publishFailed = false;
        try {
            exit = probe(plan, runs, metrics, totals, out, err);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
        if (!finished.compareAndSet(false, true)) {
            return exit;
        }
        if (metrics != null) {
            try {
                metrics.close();
            } catch (RuntimeException e) {
                err.println("vpcanary probe: publishing metrics failed: " + e.getMessage());
                publishFailed = true;
            }
            metrics.printSummary();
        }
        if (runs > 1) {
            printTotals(out, totals, metrics);
        }
        if (metrics != null && (publishFailed || metrics.dropped())) {
            err.println("vpcanary probe: metrics were dropped (see the publish summary above)");
            err.flush();
            return Math.max(exit, 1);
        }
        return exit;
    }

    private static void printTotals(PrintWriter out, Totals totals, MetricsOutput metrics) {
        String line;
        synchronized (totals) { // the shutdown hook's thread reads what the probing thread wrote
            line = "probe summary: " + totals.runs + " run" + (totals.runs == 1 ? "" : "s") + ", " + totals.checks
                    + " checks, " + totals.failures + " failed";
        }
        out.println(line + (metrics == null ? "" : ", " + metrics.sentSamples() + " samples sent"));
        out.flush();
    }

    private int probe(Plan plan, int runs, MetricsOutput metrics, Totals totals, PrintWriter out, PrintWriter err) {
        boolean anyFailed = false;
        long printedSent = 0;
        ProbeRunner runner = new ProbeRunner(plan.engine(), parallelism, warmUp);
        long next = System.nanoTime();
        for (int i = 1; i <= runs; i++) {
            ProbeRun run;
            try {
                run = runner.run(plan.targets());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (runs > 1) {
                out.println("run " + i + " at " + run.startedAt());
            }
            out.print(ProbeReport.table(run));
            out.flush();
            anyFailed |= !run.allPassed();
            if (metrics != null) {
                metrics.record(run);
            }
            AuthMatrix.Result matrix = null;
            if (plan.matrix() != null) {
                try {
                    matrix = plan.matrix().run(plan.engine(), parallelism);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                out.print(ProbeReport.table(matrix));
                out.flush();
                anyFailed |= !matrix.passed();
            }
            synchronized (totals) {
                totals.runs++;
                totals.checks += run.outcomes().size() + (matrix == null ? 0 : matrix.run().outcomes().size());
                totals.failures += run.failedCount() + (matrix == null ? 0 : matrix.run().failedCount());
            }
            if (metrics != null && runs > 1 && metrics.sentSamples() > printedSent) {
                printedSent = metrics.sentSamples();
                metrics.printSummary();
            }
            try {
                if (json != null) {
                    ProbeReport.writeJson(run, matrix, json);
                }
                if (junit != null) {
                    ProbeReport.writeJunit(run, matrix, junit);
                }
            } catch (IOException e) {
                err.println("vpcanary probe: cannot write " + (json != null ? json : junit) + ": " + e.getMessage());
                err.flush();
                return 2;
            }
            if (i == runs) {
                break;
            }
            next += interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } else {
                next = System.nanoTime();
            }
        }
        return anyFailed ? 1 : 0;
    }

    /** The metrics destinations chosen, or null when nothing is published. Validates the publishing options. */
    private MetricsOutput metricsOutput(PrintWriter out, boolean repeat) throws BadInput {
        Set<MetricsOutput.Destination> chosen = EnumSet.noneOf(MetricsOutput.Destination.class);
        chosen.addAll(publish);
        boolean cloudWatch = chosen.contains(MetricsOutput.Destination.CLOUDWATCH);
        if (!cloudWatch && (region != null || endpoint != null)) {
            throw new BadInput("vpcanary probe: --region and --endpoint apply to --publish cloudwatch");
        }
        if (chosen.contains(MetricsOutput.Destination.LOCAL) != (metricsFile != null)) {
            throw new BadInput(metricsFile == null
                    ? "vpcanary probe: --publish local needs --metrics-file FILE"
                    : "vpcanary probe: --metrics-file applies to --publish local");
        }
        if (resolution != 60 && resolution != 1) {
            throw new BadInput("vpcanary probe: --resolution must be 60 or 1 (seconds), got " + resolution);
        }
        if (namespace.isBlank()) {
            throw new BadInput("vpcanary probe: --namespace must not be blank");
        }
        if (chosen.isEmpty()) {
            return null;
        }
        try {
            URI endpointUri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
            MetricsOutput m = MetricsOutput.create(new MetricsOutput.Settings(chosen, namespace, region,
                    endpointUri, metricsFile, resolution, publishTimeout), out, Clock.systemUTC());
            return repeat ? m.start() : m;
        } catch (IOException e) {
            throw new BadInput("vpcanary probe: cannot open the metrics file " + metricsFile + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // the SDK's messages name the missing setting; they never contain the secret key
            throw new BadInput("vpcanary probe: cannot set up publishing: " + e.getMessage());
        }
    }

    private Plan plan() throws BadInput {
        if (count != null && count < 1) {
            throw new BadInput("vpcanary probe: --count must be at least 1");
        }
        if (parallelism < 1) {
            throw new BadInput("vpcanary probe: --parallelism must be at least 1");
        }
        if (once && count != null && count != 1) {
            throw new BadInput("vpcanary probe: --once and --count " + count + " contradict each other");
        }
        if (truststorePassword != null && truststorePasswordEnv != null) {
            throw new BadInput("vpcanary probe: give --truststore-password-env or --truststore-password, not both");
        }
        Estate estate;
        ClientEnvironment client;
        try {
            if (source.lab != null) {
                if (!resolvers.isEmpty() || truststore != null || port != null || profile != null
                        || truststorePasswordEnv != null || truststorePassword != null) {
                    throw new BadInput("vpcanary probe: --resolver, --truststore, --port and --profile apply to "
                            + "--estate; with --lab they come from the environment file");
                }
                LabEnvironment env = readEnv(source.lab);
                if (env.estate() == null) {
                    throw new BadInput("vpcanary probe: the lab environment file " + source.lab
                            + " names no estate file");
                }
                estate = loadEstate(Path.of(env.estate()));
                checkLabRunning(env, source.lab);
                client = ClientEnvironment.lab(env, estate, vantages, getenv);
            } else {
                estate = loadEstate(source.estate);
                char[] password = null;
                if (truststorePasswordEnv != null) {
                    String value = getenv.apply(truststorePasswordEnv);
                    if (value == null) {
                        throw new BadInput("vpcanary probe: the environment variable " + truststorePasswordEnv
                                + " (--truststore-password-env) is not set");
                    }
                    password = value.toCharArray();
                } else if (truststorePassword != null) {
                    password = truststorePassword.toCharArray();
                }
                client = ClientEnvironment.aws(estate, new ClientEnvironment.AwsSettings(vantages, resolvers, port,
                        truststore, password, AuthMaterial.awsCredentials(profile), getenv));
            }
        } catch (IllegalArgumentException e) {
            throw new BadInput("vpcanary probe: " + e.getMessage()
                    + (source.estate != null && vantages.isEmpty() ? " (--vantage)" : ""));
        }
        for (String api : apis) {
            if (estate.api(api).isEmpty()) {
                throw new BadInput("vpcanary probe: no API named '" + api + "' in the estate; APIs: "
                        + estate.apis().stream().map(Api::name).toList());
            }
        }
        CanaryPlan canary = CanaryPlan.of(estate, client, t -> (apis.isEmpty() || apis.contains(t.api()))
                && (checks.isEmpty() || checks.contains(t.check())));
        if (canary.targets().isEmpty()) {
            throw new BadInput("vpcanary probe: no check to run" + (apis.isEmpty() && checks.isEmpty()
                    ? (canary.leftToOthers().isEmpty() ? ": the estate defines none"
                    : " from " + canary.vantages() + ": every check belongs to other vantages "
                    + canary.leftToOthers().keySet())
                    : " matches --api " + apis + " --check " + checks + " from " + canary.vantages()));
        }
        for (Target t : canary.targets()) {
            if (!client.resolvers().knows(t.vantage())) {
                throw new BadInput("vpcanary probe: no resolver for vantage point '" + t.vantage() + "' (check "
                        + t.id() + "); the lab's views are " + client.resolvers().vantages());
            }
        }
        ProbeEngine engine;
        try {
            engine = client.engineBuilder(estate).timeout(timeout).build();
            engine.auth().ifPresent(a -> a.prepare(canary.targets()));
        } catch (IllegalArgumentException e) {
            throw new BadInput("vpcanary probe: " + e.getMessage());
        }
        AuthMatrix matrix = authMatrix ? AuthMatrix.of(canary.targets()) : null;
        return new Plan(engine, canary, matrix == null || matrix.isEmpty() ? null : matrix);
    }

    /**
     * A stale environment file names a lab that has stopped: say so, instead of a run of DNS failures. The lab's DNS
     * servers answer over TCP too, so a refused connection to the first one means nothing is there.
     */
    private static void checkLabRunning(LabEnvironment env, Path file) throws BadInput {
        if (env.resolvers() == null || env.resolvers().isEmpty()) {
            return;
        }
        String first = env.resolvers().values().iterator().next();
        InetSocketAddress address;
        try {
            address = io.vpcanary.probe.Resolvers.parseHostPort(first);
        } catch (IllegalArgumentException e) {
            throw new BadInput("vpcanary probe: the lab environment file " + file + " names a bad resolver: "
                    + e.getMessage());
        }
        try (Socket s = new Socket()) {
            s.connect(address, 2_000);
        } catch (IOException e) {
            throw new BadInput("vpcanary probe: the lab of " + file + " is not running (nothing answers at "
                    + first + "); start it with: vpcanary lab --env-file " + file);
        }
    }

    private static LabEnvironment readEnv(Path file) throws BadInput {
        try {
            return LabEnvironment.read(file);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            if (looksLikeEstate(file)) {
                throw new BadInput("vpcanary probe: " + file + " is an estate file, not a lab environment file: "
                        + "probe it with --estate " + file + ", or start a lab with 'vpcanary lab --estate " + file
                        + " --env-file lab-env.json' and pass --lab lab-env.json");
            }
            throw new BadInput("vpcanary probe: " + file + " is not a lab environment file (JSON written by "
                    + "'vpcanary lab --env-file'): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput("vpcanary probe: cannot read the lab environment file " + file + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether {@code file} reads as an estate (YAML with an {@code apis} section). */
    private static boolean looksLikeEstate(Path file) {
        try {
            EstateLoader.load(file);
            return true;
        } catch (EstateException | RuntimeException e) {
            try {
                return java.nio.file.Files.readString(file).lines().anyMatch(l -> l.startsWith("apis:"));
            } catch (IOException | RuntimeException unreadable) {
                return false;
            }
        }
    }

    private static Estate loadEstate(Path file) throws BadInput {
        try {
            return EstateLoader.load(file);
        } catch (EstateException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** Reads {@code cloudwatch}, {@code emf} or {@code local}, in any case. */
    static final class DestinationConverter implements CommandLine.ITypeConverter<MetricsOutput.Destination> {
        @Override
        public MetricsOutput.Destination convert(String value) {
            try {
                return MetricsOutput.Destination.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads a duration in the grammar of {@link Durations}: 500ms, 30s, 5m, 1h, a plain number of seconds, PT30S. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parsePositive(null, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
