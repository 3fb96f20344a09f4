package io.vpcanary.cli;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.probe.ProbeReport;
import io.vpcanary.probe.ProbeRun;
import io.vpcanary.probe.ProbeRunner;
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary probe}: sends every check of an estate through each access path in each region and prints a table
 * (and optionally JSON). Exit codes: 0 when every check met its expectation, 1 when any did not (in any run), 2 on
 * bad input (unreadable or invalid estate or environment file, bad options). Documented in {@code docs/probe.md}.
 */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {
                "Probe every API x access path x region of an estate: DNS through the vantage's resolver, TLS, "
                        + "phase timings, status and error class.",
                "Exit 0 when every check met its expectation, 1 when any did not, 2 on bad input."})
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

    /** Bad input: the message is printed and the command exits with 2. */
    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    private record Plan(ProbeEngine engine, List<Target> targets) {
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
            if (json != null) {
                try {
                    ProbeReport.writeJson(run, json);
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
                builder = ProbeEngine.labBuilder(env, estate);
            } else {
                estate = loadEstate(source.estate);
                httpsPort = port == null ? 443 : port;
                builder = ProbeEngine.builder().estate(estate)
                        .resolvers(resolver == null ? Resolvers.system()
                                : Resolvers.server(Resolvers.parseHostPort(resolver)));
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
        return new Plan(engine, targets);
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
