package io.vpcanary.metrics;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1-based) wait a uniformly random time in
 * {@code [0, min(max, base * 2^(n-1))]}. Full jitter spreads the retries of many canaries hit by the same throttling.
 *
 * @param base first ceiling
 * @param max  largest ceiling
 */
public record Backoff(Duration base, Duration max) {

    /** 100 ms doubling up to 20 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(20));

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max");
        }
    }

    /** The wait before retry {@code retry} (1-based), in nanoseconds. */
    public long delayNanos(int retry) {
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = Math.min(max.toNanos(), base.toNanos() << shift);
        if (ceiling <= 0) {
            ceiling = max.toNanos();
        }
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
