package io.vpcanary.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Function;
import org.crac.Core;
import org.crac.Resource;

/**
 * The Lambda function: {@code io.vpcanary.lambda.CanaryHandler::handleRequest}, invoked by an EventBridge schedule.
 * The runtime creates it once per process: it reads the configuration ({@link CanaryConfig}) and plans the canary
 * ({@link LambdaCanary#plan}) without touching the network, and logs one line with its initialisation time after JVM
 * start. Each invocation then runs the rounds and returns a {@link CanarySummary} as JSON; the scheduled event's
 * content changes nothing. A bad configuration fails every invocation with a {@link CanaryConfigException} whose
 * message is one line, logged once per invocation, without a stack trace. It registers itself for CRaC checkpoints
 * (Lambda SnapStart): before a snapshot, {@link LambdaCanary#prime()} warms the invocation's code paths.
 */
public final class CanaryHandler implements RequestStreamHandler, Resource {

    private final LambdaCanary canary;
    private final CanaryConfigException problem;
    private final PrintStream log;

    /** What the runtime calls: the process environment, the log on stdout. */
    public CanaryHandler() {
        this(System::getenv, System.out);
    }

    CanaryHandler(Function<String, String> getenv, PrintStream log) {
        this.log = log;
        LambdaCanary planned = null;
        CanaryConfigException bad = null;
        try {
            planned = LambdaCanary.plan(CanaryConfig.fromEnvironment(getenv), getenv);
        } catch (CanaryConfigException e) {
            bad = e;
        }
        this.canary = planned;
        this.problem = bad;
        log.println("vpcanary: init " + millisSinceJvmStart() + " ms after JVM start; "
                + (planned == null ? "configuration error (each invocation reports it)"
                : String.join("; ", planned.header())));
        log.flush();
        Core.getGlobalContext().register(this);
    }

    /** Milliseconds from the start of this process (the JVM) to now. */
    static long millisSinceJvmStart() {
        Instant start = ProcessHandle.current().info().startInstant()
                .orElseGet(() -> Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getStartTime()));
        return java.time.Duration.between(start, Instant.now()).toMillis();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // the scheduled event: nothing in it changes what the canary does
        if (problem != null) {
            log.println("vpcanary: configuration error: " + problem.getMessage());
            log.flush();
            throw problem;
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8), false);
        CanarySummary summary;
        try {
            summary = canary.run(context == null ? () -> Long.MAX_VALUE : context::getRemainingTimeInMillis, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the canary", e);
        } finally {
            out.flush();
        }
        log.println("vpcanary: " + summary.rounds() + " round" + (summary.rounds() == 1 ? "" : "s") + " from "
                + summary.vantage() + ": " + summary.checks() + " checks, " + summary.passed() + " passed, "
                + summary.failed() + " failed" + (summary.cutShort() ? " (cut short: no time left for another round)"
                : ""));
        log.flush();
        output.write(LambdaCanary.toJson(summary));
    }

    /**
     * Warms planning, the Outcome→metrics encoding and the JSON summary without any network call; what SnapStart's
     * checkpoint runs. Does nothing when the configuration is bad.
     */
    public void prime() {
        if (canary != null) {
            canary.prime();
        }
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        log.println("vpcanary: restored from a snapshot " + millisSinceJvmStart() + " ms after JVM start");
        log.flush();
    }
}
