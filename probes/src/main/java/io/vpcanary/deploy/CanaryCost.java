package io.vpcanary.deploy;

import io.vpcanary.access.Target;
import io.vpcanary.metrics.CanaryPrices;
import io.vpcanary.metrics.EmfPublisher;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.Phases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The monthly cost of one vantage's Lambda canary beside CloudWatch Synthetics running the same checks at the same
 * schedule. The custom metrics both would need are priced once per estate by {@link io.vpcanary.metrics.CostModel}.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>Lambda: one invocation per schedule tick; each billed for {@code durationMs} at {@code memoryMb} on arm64.
 *       An invocation waits between its rounds, and is billed for the waits: by default
 *       {@code (rounds − 1) × interval + roundMs}.</li>
 *   <li>Logs: per invocation, the EMF lines the real encoder ({@link EmfPublisher}) writes for {@code rounds} rounds
 *       of the vantage's targets ({@link #emfBytesPerInvocation}), plus {@value #LOG_EVENT_OVERHEAD_BYTES} bytes per
 *       log event as CloudWatch Logs counts them, plus {@value #OTHER_LOG_BYTES} bytes for Lambda's START, END and
 *       REPORT lines and the handler's summary line (an estimate).</li>
 *   <li>Synthetics: one canary per check group, a group being the checks of one API from one VPC (a Synthetics
 *       canary runs in one VPC); one run per group per tick, Synthetics' finest schedule being once a minute, so it
 *       cannot match several rounds a minute at any price. Each run also runs a Lambda function (x86_64, the
 *       smallest canary memory) for at least {@code roundMs}, and writes at least one S3 object (its log): lower
 *       bounds, so the Synthetics figure is at least what it would cost.</li>
 *   <li>A month is {@code hoursPerMonth} (730) hours. Free tiers are per account and shared: shown, not deducted.</li>
 * </ul>
 *
 * @param vantage               the VPC the canary runs in
 * @param targets               its targets
 * @param checkGroups           Synthetics canaries for the same checks (APIs checked from this VPC)
 * @param invocations           Lambda invocations per month
 * @param gbSeconds             Lambda GB-seconds per month
 * @param lambdaCompute         their price
 * @param lambdaRequests        the invocations' price
 * @param logBytesPerInvocation log bytes ingested per invocation
 * @param logGb                 log GB (2^30 bytes) ingested per month
 * @param logs                  their price
 * @param syntheticsRuns        Synthetics runs per month
 * @param syntheticsRunsCost    their price
 * @param syntheticsLambda      the price of the runs' Lambda functions (compute and requests)
 * @param syntheticsS3          the price of their S3 PUTs
 */
public record CanaryCost(String vantage, int targets, int checkGroups, long invocations, BigDecimal gbSeconds,
                         BigDecimal lambdaCompute, BigDecimal lambdaRequests, long logBytesPerInvocation,
                         BigDecimal logGb, BigDecimal logs, long syntheticsRuns, BigDecimal syntheticsRunsCost,
                         BigDecimal syntheticsLambda, BigDecimal syntheticsS3) {

    /** Bytes CloudWatch Logs adds to each event's message when it counts ingestion. */
    public static final int LOG_EVENT_OVERHEAD_BYTES = 26;
    /** Lambda's START, END and REPORT lines and the handler's summary line per invocation, overhead included: an estimate. */
    public static final int OTHER_LOG_BYTES = 600;
    /** One round of a VPC's checks, when not measured: an estimate. */
    public static final long DEFAULT_ROUND_MS = 2_000;

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal GB = BigDecimal.valueOf(1L << 30);
    private static final BigDecimal MB_PER_GB = BigDecimal.valueOf(1024);
    private static final BigDecimal MS_PER_S = BigDecimal.valueOf(1000);

    /**
     * What the canaries run with.
     *
     * @param schedule   their schedule
     * @param memoryMb   memory of each function
     * @param durationMs billed duration of one invocation
     * @param roundMs    duration of one round (also a Synthetics run's, at least)
     */
    public record Settings(CanarySchedule schedule, int memoryMb, long durationMs, long roundMs) {
        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            if (memoryMb < 128 || memoryMb > 10_240) {
                throw new IllegalArgumentException("Lambda memory must be 128 to 10240 MB, got " + memoryMb);
            }
            if (roundMs < 1) {
                throw new IllegalArgumentException("a round lasts at least 1 ms, got " + roundMs);
            }
            if (durationMs < 1 || durationMs > schedule.timeout().toMillis()) {
                throw new IllegalArgumentException("an invocation's duration must be 1 ms to the schedule's "
                        + schedule.timeout().toSeconds() + " s, got " + durationMs + " ms");
            }
        }

        /** The billed duration when it is not measured: the waits between rounds, then one round. */
        public static long defaultDurationMs(CanarySchedule schedule, long roundMs) {
            return (schedule.rounds() - 1) * schedule.roundInterval().toMillis() + roundMs;
        }
    }

    /** The cost of the canary of {@code vantage} running {@code targets}. */
    public static CanaryCost of(String vantage, List<Target> targets, Settings s, CanaryPrices prices,
                                int hoursPerMonth) {
        long invocations = s.schedule().invocationsPerMonth(hoursPerMonth);
        BigDecimal gbSeconds = BigDecimal.valueOf(invocations)
                .multiply(BigDecimal.valueOf(s.durationMs())).divide(MS_PER_S, MC)
                .multiply(BigDecimal.valueOf(s.memoryMb())).divide(MB_PER_GB, MC);
        BigDecimal perInvocation = prices.lambdaRequestsPerMillion().divide(BigDecimal.valueOf(1_000_000), MC);
        long logBytes = emfBytesPerInvocation(targets, s.schedule().rounds()) + OTHER_LOG_BYTES;
        BigDecimal logGb = BigDecimal.valueOf(logBytes).multiply(BigDecimal.valueOf(invocations)).divide(GB, MC);

        int groups = (int) targets.stream().map(Target::api).distinct().count();
        long runs = groups * invocations;
        BigDecimal synthGbSeconds = BigDecimal.valueOf(runs).multiply(BigDecimal.valueOf(s.roundMs()))
                .divide(MS_PER_S, MC).multiply(BigDecimal.valueOf(prices.syntheticsMemoryMb())).divide(MB_PER_GB, MC);
        BigDecimal synthLambda = synthGbSeconds.multiply(prices.lambdaGbSecondX86(), MC)
                .add(perInvocation.multiply(BigDecimal.valueOf(runs), MC));
        BigDecimal synthS3 = prices.s3PutPer1000().multiply(BigDecimal.valueOf(runs)).divide(MS_PER_S, MC);
        return new CanaryCost(vantage, targets.size(), groups, invocations, gbSeconds,
                gbSeconds.multiply(prices.lambdaGbSecondArm64(), MC),
                perInvocation.multiply(BigDecimal.valueOf(invocations), MC), logBytes, logGb,
                logGb.multiply(prices.logsIngestionPerGb(), MC), runs,
                prices.syntheticsPerRun().multiply(BigDecimal.valueOf(runs), MC), synthLambda, synthS3);
    }

    /** The Lambda canary's monthly cost without metrics: compute, invocations and log ingestion. */
    public BigDecimal canaryTotal() {
        return lambdaCompute.add(lambdaRequests).add(logs);
    }

    /** Synthetics' monthly cost for the same checks without metrics: runs, their Lambda and their S3 PUTs. */
    public BigDecimal syntheticsTotal() {
        return syntheticsRunsCost.add(syntheticsLambda).add(syntheticsS3);
    }

    /**
     * The bytes of EMF lines one invocation writes for {@code rounds} rounds of {@code targets}, each line counted
     * with its newline and CloudWatch Logs' {@value #LOG_EVENT_OVERHEAD_BYTES} bytes: every target's outcome as
     * expected (an expected error class recorded as such), on a new connection (every phase recorded) with a
     * certificate, values distinct from round to round, all in one one-minute interval, encoded by
     * {@link EmfPublisher} as the handler publishes them.
     */
    public static long emfBytesPerInvocation(List<Target> targets, int rounds) {
        String lines = emfLines(targets, rounds);
        return lines.getBytes(StandardCharsets.UTF_8).length
                + lines.chars().filter(ch -> ch == '\n').count() * LOG_EVENT_OVERHEAD_BYTES;
    }

    /** The EMF lines {@link #emfBytesPerInvocation} counts, each ending in a newline. */
    static String emfLines(List<Target> targets, int rounds) {
        Instant start = Instant.EPOCH;
        Recorder recorder = new Recorder(Duration.ofSeconds(60), Clock.fixed(start, ZoneOffset.UTC));
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                double base = 20 + 1.37 * r + 0.11 * i;
                Outcome o = new Outcome(t, t.expect().status() == null ? 200 : t.expect().status(),
                        t.expect().errorClass(), true, new Phases(base / 10, base / 20, base / 2, base / 4, base * 2),
                        start.plus(Duration.ofDays(90)), null, null, List.of(), null, null, null, null);
                ProbeMetrics.record(recorder, o, start);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EmfPublisher(ProbeMetrics.DEFAULT_NAMESPACE, new PrintStream(out, true, StandardCharsets.UTF_8))
                .publish(recorder.drainAll());
        return out.toString(StandardCharsets.UTF_8);
    }
}
