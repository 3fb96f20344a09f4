package io.vpcanary.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Records samples into one HdrHistogram per series per interval.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Intervals are aligned on the epoch: a sample taken at time {@code t} belongs to the interval starting at
 *       {@code t - t mod length}. The length is 60 s (standard resolution) or 1 s or 10 s (high resolution).</li>
 *   <li>Any number of threads may record at once (Gatling's and the probe's). A sample is never lost: it is in exactly
 *       one snapshot returned by a later {@link #drainClosed()} or {@link #drainAll()}. Recording and draining exclude
 *       each other only for the instant a drain swaps intervals out.</li>
 *   <li>Values follow {@link Precision}: finite, not negative, kept to 3 significant digits.</li>
 *   <li>One call, one sample: nothing is back-filled. No runner paces a closed loop at a fixed interval (probes
 *       run on a schedule whose next start does not wait, load runs inject an open model), so coordinated-omission
 *       correction has nothing to correct (docs/metrics.md).</li>
 *   <li>If two drains split one interval (a sample recorded after its interval was drained), the interval appears in
 *       two snapshots with the same start; publishing both is correct, since CloudWatch merges distributions.</li>
 * </ul>
 */
public final class Recorder {

    private final Duration length;
    private final long lengthMillis;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Key, ConcurrentHistogram> open = new ConcurrentHashMap<>();

    private record Key(long startMillis, Series series) {
    }

    /**
     * @param length interval length: 1 s, 10 s or a positive multiple of 60 s
     * @param clock  the clock that places samples in intervals
     */
    public Recorder(Duration length, Clock clock) {
        this.length = Objects.requireNonNull(length, "length");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lengthMillis = requireValidLength(length).toMillis();
    }

    /**
     * Returns {@code length} when it is a valid interval: 1 s, 10 s or a positive multiple of 60 s.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static Duration requireValidLength(Duration length) {
        long s = length.toMillis();
        if (!(s == 1_000 || s == 10_000 || (s > 0 && s % 60_000 == 0)) || length.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("interval must be 1s, 10s or a multiple of 60s, got "
                    + length.toSeconds() + "s");
        }
        return length;
    }

    /** A recorder with 60 s intervals on the system clock. */
    public static Recorder standard() {
        return new Recorder(Duration.ofSeconds(60), Clock.systemUTC());
    }

    public Duration intervalLength() {
        return length;
    }

    public Clock clock() {
        return clock;
    }

    /** Records {@code value} now, by the recorder's clock. */
    public void record(Series series, double value) {
        long v = Precision.toRecorded(value);
        Objects.requireNonNull(series, "series");
        lock.readLock().lock();
        try {
            // the clock is read under the lock, so a drain cannot close this interval between reading and recording
            histogram(series, clock.millis()).recordValue(v);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Records {@code value} at {@code at}, the time the sample was taken (a response's end, say). A time in an
     * interval already drained opens that interval again: its samples come out in a later snapshot with the same start.
     */
    public void record(Series series, double value, Instant at) {
        long v = Precision.toRecorded(value);
        Objects.requireNonNull(series, "series");
        long t = at.toEpochMilli();
        lock.readLock().lock();
        try {
            histogram(series, t).recordValue(v);
        } finally {
            lock.readLock().unlock();
        }
    }

    private ConcurrentHistogram histogram(Series series, long t) {
        long start = t - Math.floorMod(t, lengthMillis);
        return open.computeIfAbsent(new Key(start, series), k -> new ConcurrentHistogram(Precision.SIGNIFICANT_DIGITS));
    }

    /** Removes and returns every interval that ended at or before the clock's now, oldest first. */
    public List<IntervalSnapshot> drainClosed() {
        long now = clock.millis();
        return drain(k -> k.startMillis + lengthMillis <= now);
    }

    /** Removes and returns every interval, closed or not (on shutdown), oldest first. */
    public List<IntervalSnapshot> drainAll() {
        return drain(k -> true);
    }

    private List<IntervalSnapshot> drain(java.util.function.Predicate<Key> which) {
        List<Map.Entry<Key, ConcurrentHistogram>> taken = new ArrayList<>();
        lock.writeLock().lock();
        try {
            Iterator<Map.Entry<Key, ConcurrentHistogram>> it = open.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, ConcurrentHistogram> e = it.next();
                if (which.test(e.getKey())) {
                    taken.add(Map.entry(e.getKey(), e.getValue()));
                    it.remove();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        List<IntervalSnapshot> out = new ArrayList<>(taken.size());
        for (Map.Entry<Key, ConcurrentHistogram> e : taken) {
            Histogram copy = new Histogram(Precision.SIGNIFICANT_DIGITS);
            copy.add(e.getValue());
            if (copy.getTotalCount() > 0) {
                out.add(new IntervalSnapshot(e.getKey().series(), Instant.ofEpochMilli(e.getKey().startMillis()),
                        length, copy));
            }
        }
        out.sort(Comparator.comparing(IntervalSnapshot::start).thenComparing(s -> s.series().toString()));
        return out;
    }
}
