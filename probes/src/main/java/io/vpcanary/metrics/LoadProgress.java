package io.vpcanary.metrics;

import io.vpcanary.probe.Outcome;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a long load run says on the console while it goes: requests answered so far, how many failed, the rate since
 * the previous line, the p99 of every response so far and the time left of the planned run. Runner-neutral: a
 * simulation feeds it each {@link Outcome} and prints {@link #line} every few seconds ({@link #printEvery}).
 *
 * <p>Precision: response times are recorded as {@link Precision} says (3 significant digits), and the p99 printed is the
 * value CloudWatch is sent for it (the median of its equivalent-value range, within 1 part in 2,000 of a response time
 * really seen); counts are exact. The rate is the requests answered since the
 * previous line divided by the time since it, by this object's clock. Thread-safe: any number of threads may record
 * while another prints.
 */
public final class LoadProgress {

    private final Clock clock;
    private final Instant start;
    private final Instant plannedEnd;
    private final Histogram latencies = new Histogram(Precision.SIGNIFICANT_DIGITS);
    private long requests;
    private long errors;
    private long requestsAtLastLine;
    private Instant lastLine;

    /**
     * @param clock    the clock lines are timed by
     * @param planned  how long the run is planned to last from now (warm-up included)
     */
    public LoadProgress(Clock clock, Duration planned) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.start = clock.instant();
        this.plannedEnd = start.plus(Objects.requireNonNull(planned, "planned"));
        this.lastLine = start;
    }

    /** Counts one answered request (or one that got no answer) and its response time, if it has one. */
    public void record(Outcome o) {
        record(o.passed(), o.phases().totalMs());
    }

    /** Counts one request: whether it passed, and its response time in ms or null when it has none. */
    public synchronized void record(boolean passed, Double totalMs) {
        requests++;
        if (!passed) {
            errors++;
        }
        if (totalMs != null) {
            latencies.recordValue(Precision.toRecorded(totalMs));
        }
    }

    /** Requests counted so far. */
    public synchronized long requests() {
        return requests;
    }

    /** Failed requests counted so far. */
    public synchronized long errors() {
        return errors;
    }

    /**
     * The progress line now, such as {@code vpcanary: progress 0:20 of 1:00: 1,204 requests, 0 errors, 60.2 req/s now,
     * p99 so far 12.4 ms, 40 s left}; the rate is taken since the previous line (or the start).
     */
    public synchronized String line() {
        Instant now = clock.instant();
        double seconds = Duration.between(lastLine, now).toNanos() / 1e9;
        double rate = seconds > 0 ? (requests - requestsAtLastLine) / seconds : 0;
        lastLine = now;
        requestsAtLastLine = requests;
        long left = Math.max(0, Duration.between(now, plannedEnd).toSeconds());
        String p99 = latencies.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f ms", Precision.published(latencies, latencies.getValueAtPercentile(99)));
        return String.format(Locale.ROOT, "vpcanary: progress %s of %s: %,d requests, %,d errors, %.1f req/s now, "
                        + "p99 so far %s, %d s left", clockText(Duration.between(start, now)),
                clockText(Duration.between(start, plannedEnd)), requests, errors, rate, p99, left);
    }

    /**
     * Prints {@link #line()} to {@code out} every {@code every} until the returned handle is closed, which prints a
     * last line (so a run always ends with one, however short). The printing thread is a daemon.
     */
    public AutoCloseable printEvery(Duration every, PrintStream out) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the progress interval must be positive, such as 10s; got " + every);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpcanary-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleAtFixedRate(() -> out.println(line()), ms, ms, TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            out.println(line());
        };
    }

    private static String clockText(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
