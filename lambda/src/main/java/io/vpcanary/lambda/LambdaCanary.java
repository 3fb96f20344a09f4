package io.vpcanary.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.probe.AuthMaterial;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.probe.ProbeRun;
import io.vpcanary.probe.ProbeRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The Lambda canary on the canary core: planned once per process ({@link #plan}: the estate, where the client stands,
 * the targets of its vantage, the probe engine; nothing on the network), then run per invocation ({@link #run}):
 * every target of the vantage concurrently ({@link ProbeRunner}), for {@code VPCANARY_ROUNDS} rounds starting every
 * {@code VPCANARY_ROUND_INTERVAL}, stopping early when the invocation's remaining time would not hold another round
 * plus {@link #margin()}; every outcome recorded through {@link MetricsOutput}, flushed before it returns.
 */
public final class LambdaCanary {

    /** Time kept back at the end of an invocation to publish and return. */
    static final Duration FLUSH_MARGIN = Duration.ofSeconds(2);
    /** Bound on publishing to CloudWatch at the end of an invocation. */
    static final Duration CLOUDWATCH_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CanaryConfig config;
    private final CanaryPlan plan;
    private final ProbeRunner runner;
    private final String where;

    private LambdaCanary(CanaryConfig config, CanaryPlan plan, ProbeRunner runner) {
        this.config = config;
        this.plan = plan;
        this.runner = runner;
        this.where = String.join(",", plan.vantages());
    }

    /**
     * Reads the estate (or the lab's environment file), builds where the client stands, plans the targets of its
     * vantage and builds the probe engine. Reads files only: no DNS lookup, no connection.
     *
     * @param getenv the process environment, for the client secrets and tokens the estate names
     * @throws CanaryConfigException with one line for anything that keeps the canary from running
     */
    public static LambdaCanary plan(CanaryConfig config, Function<String, String> getenv) {
        Estate estate;
        ClientEnvironment client;
        List<String> vantages = config.vantage() == null ? List.of() : List.of(config.vantage());
        try {
            if (config.labEnv() != null) {
                LabEnvironment env = readLabEnv(config.labEnv());
                Path file = config.estate() != null ? config.estate()
                        : env.estate() == null ? null : Path.of(env.estate());
                if (file == null) {
                    throw new CanaryConfigException("the lab environment file " + config.labEnv()
                            + " names no estate file; set VPCANARY_ESTATE");
                }
                estate = load(file);
                client = ClientEnvironment.lab(env, estate, vantages, getenv);
            } else {
                estate = config.estate() != null ? load(config.estate()) : bundled();
                client = ClientEnvironment.aws(estate, new ClientEnvironment.AwsSettings(vantages,
                        config.resolver() == null ? List.of() : List.of(config.resolver()), config.port(),
                        config.truststore(), config.truststorePassword(), AuthMaterial.awsCredentials(null), getenv));
            }
        } catch (IllegalArgumentException e) {
            throw new CanaryConfigException(e.getMessage());
        }
        CanaryPlan plan = CanaryPlan.of(estate, client);
        if (plan.targets().isEmpty()) {
            throw new CanaryConfigException("no check to run from " + String.join(", ", plan.vantages())
                    + (plan.leftToOthers().isEmpty() ? ": the estate defines none"
                    : ": every check belongs to other vantages " + plan.leftToOthers().keySet()));
        }
        ProbeEngine engine;
        try {
            engine = client.engineBuilder(estate).build();
            engine.auth().ifPresent(a -> a.prepare(plan.targets()));
        } catch (IllegalArgumentException e) {
            throw new CanaryConfigException(e.getMessage());
        }
        int parallelism = config.parallelism() != null ? config.parallelism() : plan.targets().size();
        return new LambdaCanary(config, plan, new ProbeRunner(engine, parallelism));
    }

    private static LabEnvironment readLabEnv(Path file) {
        try {
            return LabEnvironment.read(file);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CanaryConfigException("VPCANARY_LAB_ENV: " + file + " is not a lab environment file: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CanaryConfigException("VPCANARY_LAB_ENV: cannot read " + file + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Estate load(Path file) {
        try {
            return EstateLoader.load(file);
        } catch (EstateException e) {
            throw estateProblem(e);
        }
    }

    private static Estate bundled() {
        try (InputStream in = LambdaCanary.class.getClassLoader().getResourceAsStream(CanaryConfig.BUNDLED_ESTATE)) {
            if (in == null) {
                throw new CanaryConfigException("VPCANARY_ESTATE is not set and the package bundles no estate at "
                        + CanaryConfig.BUNDLED_ESTATE);
            }
            return EstateLoader.parse(Path.of(CanaryConfig.BUNDLED_ESTATE),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (EstateException e) {
            throw estateProblem(e);
        } catch (IOException e) {
            throw new CanaryConfigException("cannot read the bundled estate " + CanaryConfig.BUNDLED_ESTATE + ": "
                    + e.getMessage());
        }
    }

    /** The first problem of an estate, and how many more there are: one line. */
    private static CanaryConfigException estateProblem(EstateException e) {
        List<EstateException.Problem> problems = e.problems();
        String first = problems.isEmpty() ? e.getMessage() : problems.get(0).toString();
        return new CanaryConfigException("invalid estate: " + first + (problems.size() > 1
                ? " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + "; "
                + "run vpcanary validate on the file)" : ""));
    }

    /** The lines a run starts with (where it stands, how many targets, what it leaves to others). */
    public List<String> header() {
        return plan.header();
    }

    /** The plan this canary runs. */
    public CanaryPlan canaryPlan() {
        return plan;
    }

    /** Time kept back for publishing and returning: more when PutMetricData has to be waited for. */
    Duration margin() {
        return config.publish().contains(MetricsOutput.Destination.CLOUDWATCH)
                ? FLUSH_MARGIN.plus(CLOUDWATCH_PUBLISH_TIMEOUT) : FLUSH_MARGIN;
    }

    /**
     * Runs the rounds of one invocation and publishes their outcomes.
     *
     * @param remainingMillis the invocation's remaining time ({@code Context::getRemainingTimeInMillis})
     * @param log             where EMF events and the publishing lines go (stdout in Lambda)
     */
    public CanarySummary run(LongSupplier remainingMillis, PrintWriter log) throws InterruptedException {
        MetricsOutput metrics = metricsOutput(log);
        List<CanarySummary.Failure> failures = new ArrayList<>();
        int rounds = 0;
        int checks = 0;
        int passed = 0;
        int failed = 0;
        boolean cutShort = false;
        long longestRound = 0;
        long first = System.nanoTime();
        try {
            for (int round = 1; round <= config.rounds(); round++) {
                if (round > 1) {
                    long wait = TimeUnit.NANOSECONDS.toMillis(first + (round - 1) * config.roundInterval().toNanos()
                            - System.nanoTime());
                    if (remainingMillis.getAsLong() - Math.max(0, wait) < longestRound + margin().toMillis()) {
                        cutShort = true;
                        break;
                    }
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                }
                long started = System.nanoTime();
                ProbeRun run = runner.run(plan.targets());
                longestRound = Math.max(longestRound, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                if (metrics != null) {
                    metrics.record(run);
                }
                rounds++;
                checks += run.outcomes().size();
                passed += run.passedCount();
                failed += run.failedCount();
                for (Outcome o : run.outcomes()) {
                    if (!o.passed() && failures.size() < CanarySummary.MAX_FAILURES) {
                        failures.add(new CanarySummary.Failure(round, o.id(), o.status(),
                                o.errorClass() == null ? null : o.errorClass().name(), o.message()));
                    }
                }
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
        if (metrics != null) {
            metrics.printSummary();
        }
        return new CanarySummary(where, rounds, checks, passed, failed, plan.targets().size(), cutShort, failures,
                failed - failures.size(), metrics == null ? 0 : metrics.sentSamples(),
                metrics != null && metrics.dropped());
    }

    private MetricsOutput metricsOutput(PrintWriter log) {
        Set<MetricsOutput.Destination> publish = config.publish();
        if (publish.isEmpty()) {
            return null;
        }
        try {
            return MetricsOutput.create(new MetricsOutput.Settings(publish, config.namespace(), null, null, null, 60,
                    CLOUDWATCH_PUBLISH_TIMEOUT), log, Clock.systemUTC());
        } catch (IOException e) {
            throw new CanaryConfigException("cannot set up publishing: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CanaryConfigException("cannot set up publishing: " + e.getMessage());
        }
    }

    /**
     * Warms the code paths of an invocation without calling out (the SnapStart priming hook): every target of the
     * plan becomes a synthetic passing outcome, recorded and encoded as EMF into a discarding writer, and a summary
     * is serialised to JSON. Sends nothing, resolves nothing.
     *
     * @return the bytes of the primed JSON summary (for tests)
     */
    public byte[] prime() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Target t : plan.targets()) {
            outcomes.add(Outcome.ofLoad(t, 200, null, true, 1.0, t.region(), null));
        }
        try (MetricsOutput m = MetricsOutput.create(new MetricsOutput.Settings(Set.of(MetricsOutput.Destination.EMF),
                config.namespace(), null, null, null, 60, null), new PrintWriter(Writer.nullWriter()),
                Clock.systemUTC())) {
            m.record(new ProbeRun(java.time.Instant.now(), Duration.ZERO, outcomes));
        } catch (IOException e) {
            throw new IllegalStateException("priming: " + e.getMessage(), e);
        }
        return toJson(new CanarySummary(where, 1, outcomes.size(), outcomes.size(), 0, outcomes.size(), false,
                List.of(new CanarySummary.Failure(1, "primed", null, null, null)), 0, 0, false));
    }

    /** The summary as JSON bytes. */
    static byte[] toJson(CanarySummary summary) {
        try {
            return JSON.writeValueAsBytes(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the summary: " + e.getMessage(), e);
        }
    }
}
