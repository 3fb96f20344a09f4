package io.vpcanary.cli;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
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
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

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
            description = "Send the first target once, untimed, before the first run so JVM start-up is not reported as latency (default: on; --no-warmup sends only the checks).")
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

    @Option(names = "--resolver", paramLabel = "HOST:PORT",
            description = "With --estate: resolve every name through this DNS server instead of the system resolver.")
    String resolver;

    @Option(names = "--truststore", paramLabel = "FILE",
            description = "With --estate: trust these CAs (PKCS12, JKS or PEM) instead of the JDK's.")
    Path truststore;

    @Option(names = "--truststore-password", paramLabel = "PASSWORD",
            description = "Password of --truststore (PKCS12/JKS).")
    String truststorePassword;

    @Option(names = "--port", paramLabel = "PORT", description = "With --estate: HTTPS port of every URL. Default 443.")
    Integer port;

    @Option(names = "--publish", paramLabel = "cloudwatch|emf|local", converter = DestinationConverter.class,
            description = "Publish the metrics of docs/metrics.md: to CloudWatch (PutMetricData; credentials from the "
                    + "AWS SDK default chain), as EMF lines on stdout, or as JSON lines to --metrics-file. Repeatable.")
    List<MetricsOutput.Destination> publish = new ArrayList<>();

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

    private record Plan(ProbeEngine engine, List<Target> targets, AuthMatrix matrix) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan;
        try {
            plan = plan();
        } catch (BadInput e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        int runs = once ? 1 : count == null ? Integer.MAX_VALUE : count;
        MetricsOutput metrics;
        try {
            metrics = metricsOutput(out, runs > 1);
        } catch (BadInput e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        Thread onInterrupt = metrics == null ? null : new Thread(metrics::close, "vpcanary-metrics-shutdown");
        if (onInterrupt != null) {
            Runtime.getRuntime().addShutdownHook(onInterrupt);
        }
        int exit;
        boolean publishFailed = false;
        try {
            exit = probe(plan, runs, metrics, out, err);
        } finally {
            if (metrics != null) {
                try {
                    metrics.close();
                } catch (RuntimeException e) {
                    err.println("vpcanary probe: publishing metrics failed: " + e.getMessage());
                    publishFailed = true;
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs (or ran) anyway; close() is idempotent
                }
            }
        }
        if (metrics != null) {
            metrics.printSummary();
            if (publishFailed || metrics.dropped()) {
                err.println("vpcanary probe: metrics were dropped (see the publish summary above)");
                err.flush();
                return Math.max(exit, 1);
            }
        }
        return exit;
    }

    private int probe(Plan plan, int runs, MetricsOutput metrics, PrintWriter out, PrintWriter err) {
        boolean anyFailed = false;
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
                if (runs > 1) {
                    metrics.printSummary();
                }
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
            if (json != null) {
                try {
                    ProbeReport.writeJson(run, matrix, json);
                } catch (IOException e) {
                    err.println("vpcanary probe: cannot write " + json + ": " + e.getMessage());
                    err.flush();
                    return 2;
                }
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
        URI endpointUri = null;
        if (endpoint != null) {
            try {
                endpointUri = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw new BadInput("vpcanary probe: --endpoint " + endpoint + " is not a URI: " + e.getReason());
            }
            if (!"http".equals(endpointUri.getScheme()) && !"https".equals(endpointUri.getScheme())
                    || endpointUri.getHost() == null) {
                throw new BadInput("vpcanary probe: --endpoint must be an http or https URL with a host, got "
                        + endpoint);
            }
        }
        String cwRegion = cloudWatch ? (region != null ? region : defaultRegion()) : null;
        try {
            MetricsOutput m = MetricsOutput.create(new MetricsOutput.Settings(chosen, namespace, cwRegion,
                    endpointUri, metricsFile, resolution), out, Clock.systemUTC());
            return repeat ? m.start() : m;
        } catch (IOException e) {
            throw new BadInput("vpcanary probe: cannot open the metrics file " + metricsFile + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // the SDK's messages name the missing setting; they never contain the secret key
            throw new BadInput("vpcanary probe: cannot set up publishing: " + e.getMessage());
        }
    }

    /** The AWS SDK's region chain (AWS_REGION, aws.region, profile, instance metadata), else us-east-1. */
    private static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException none) {
            return "us-east-1";
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
        Estate estate;
        int httpsPort;
        ProbeEngine.Builder builder;
        try {
            if (source.lab != null) {
                if (resolver != null || truststore != null || port != null) {
                    throw new BadInput("vpcanary probe: --resolver, --truststore and --port apply to --estate; "
                            + "with --lab they come from the environment file");
                }
                LabEnvironment env = readEnv(source.lab);
                if (env.estate() == null) {
                    throw new BadInput("vpcanary probe: the lab environment file " + source.lab
                            + " names no estate file");
                }
                estate = loadEstate(Path.of(env.estate()));
                httpsPort = env.httpsPort();
                builder = ProbeEngine.labBuilder(env, estate).auth(AuthMaterial.lab(env, getenv));
                if (profile != null) {
                    throw new BadInput("vpcanary probe: --profile applies to --estate; with --lab the credentials "
                            + "come from the environment file");
                }
            } else {
                estate = loadEstate(source.estate);
                httpsPort = port == null ? 443 : port;
                builder = ProbeEngine.builder().estate(estate)
                        .resolvers(resolver == null ? Resolvers.system()
                                : Resolvers.server(Resolvers.parseHostPort(resolver)))
                        .auth(AuthMaterial.aws(AuthMaterial.awsCredentials(profile), getenv));
                if (truststore != null) {
                    builder.trust(TrustStores.fromFile(truststore,
                            truststorePassword == null ? null : truststorePassword.toCharArray()));
                }
            }
            if (httpsPort < 1 || httpsPort > 65535) {
                throw new BadInput("vpcanary probe: HTTPS port " + httpsPort + " is out of range 1..65535");
            }
            builder.timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new BadInput("vpcanary probe: " + e.getMessage());
        }
        ProbeEngine engine = builder.build();
        List<Target> targets = select(estate, new TargetPlanner(estate, httpsPort).targets());
        for (Target t : targets) {
            if (!engine.resolvers().knows(t.vantage())) {
                throw new BadInput("vpcanary probe: no resolver for vantage point '" + t.vantage() + "' (check "
                        + t.id() + "); the lab's views are " + engine.resolvers().vantages());
            }
        }
        try {
            engine.auth().ifPresent(a -> a.prepare(targets));
        } catch (IllegalArgumentException e) {
            throw new BadInput("vpcanary probe: " + e.getMessage());
        }
        AuthMatrix matrix = authMatrix ? AuthMatrix.of(targets) : null;
        return new Plan(engine, targets, matrix == null || matrix.isEmpty() ? null : matrix);
    }

    private List<Target> select(Estate estate, List<Target> all) throws BadInput {
        for (String api : apis) {
            if (estate.api(api).isEmpty()) {
                throw new BadInput("vpcanary probe: no API named '" + api + "' in the estate; APIs: "
                        + estate.apis().stream().map(Api::name).toList());
            }
        }
        List<Target> out = all.stream()
                .filter(t -> apis.isEmpty() || apis.contains(t.api()))
                .filter(t -> checks.isEmpty() || checks.contains(t.check()))
                .toList();
        if (out.isEmpty()) {
            throw new BadInput("vpcanary probe: no check to run" + (apis.isEmpty() && checks.isEmpty()
                    ? ": the estate defines none" : " matches --api " + apis + " --check " + checks));
        }
        return out;
    }

    private static LabEnvironment readEnv(Path file) throws BadInput {
        try {
            return LabEnvironment.read(file);
        } catch (IOException e) {
            throw new BadInput("vpcanary probe: cannot read the lab environment file " + file + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
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
            for (MetricsOutput.Destination d : MetricsOutput.Destination.values()) {
                if (d.label().equalsIgnoreCase(value.trim())) {
                    return d;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of cloudwatch, emf, local");
        }
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or a plain number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a duration such as 500ms, 30s, 5m or 1h");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be more than zero");
            }
            return d;
        }
    }
}
