package io.vpcanary.deploy;

import java.time.Duration;
import java.util.Objects;

/**
 * When a Lambda canary runs: one invocation per {@code rate} (an EventBridge schedule), each running {@code rounds}
 * rounds of its checks, one every {@link #roundInterval()} ({@code rate / rounds}). An EventBridge event does not
 * carry its schedule's rate, so the template hands the handler {@code VPCANARY_ROUNDS} and
 * {@code VPCANARY_ROUND_INTERVAL} from this one schedule: {@code rounds × roundInterval} is the rate, and the last
 * round starts one interval before the next invocation.
 *
 * @param rate   time between invocations: whole minutes, 1 minute (EventBridge's finest) to 15 minutes (Lambda's
 *               longest timeout, which one invocation's rounds must fit in)
 * @param rounds rounds per invocation, 1 to 60; the interval between rounds must be whole seconds
 */
public record CanarySchedule(Duration rate, int rounds) {

    /** Lambda's longest timeout. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

    /** Once a minute, four rounds 15 s apart. */
    public static final CanarySchedule DEFAULT = new CanarySchedule(Duration.ofMinutes(1), 4);

    public CanarySchedule {
        Objects.requireNonNull(rate, "rate");
        if (rate.toSeconds() % 60 != 0 || rate.toNanosPart() != 0 || rate.compareTo(Duration.ofMinutes(1)) < 0
                || rate.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the canary's rate must be whole minutes from 1m to 15m (EventBridge "
                    + "schedules run at most once a minute; one invocation must fit Lambda's 15-minute timeout), got "
                    + rate.toSeconds() + "s");
        }
        if (rounds < 1 || rounds > 60) {
            throw new IllegalArgumentException("rounds per invocation must be 1 to 60, got " + rounds);
        }
        if (rate.toSeconds() % rounds != 0) {
            throw new IllegalArgumentException(rounds + " rounds do not divide a rate of " + rate.toSeconds()
                    + "s into whole seconds");
        }
    }

    /** Time between the starts of two rounds of one invocation: {@code rate / rounds}. */
    public Duration roundInterval() {
        return rate.dividedBy(rounds);
    }

    /** The EventBridge schedule expression: {@code rate(1 minute)}, {@code rate(5 minutes)}. */
    public String expression() {
        long minutes = rate.toMinutes();
        return "rate(" + minutes + (minutes == 1 ? " minute)" : " minutes)");
    }

    /** {@code VPCANARY_ROUND_INTERVAL}'s value, in the one duration grammar: {@code 15s}. */
    public String roundIntervalSetting() {
        return roundInterval().toSeconds() + "s";
    }

    /** Invocations in a month of {@code hoursPerMonth} hours. */
    public long invocationsPerMonth(int hoursPerMonth) {
        return hoursPerMonth * 3600L / rate.toSeconds();
    }

    /** The function's timeout: the rate, so that an invocation ends before the next one starts. */
    public Duration timeout() {
        return rate;
    }
}
