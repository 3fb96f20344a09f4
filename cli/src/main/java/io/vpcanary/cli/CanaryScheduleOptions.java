package io.vpcanary.cli;

import io.vpcanary.core.Durations;
import io.vpcanary.deploy.CanarySchedule;
import picocli.CommandLine.Option;

/**
 * The Lambda canary's schedule as {@code vpcanary lambda template} and {@code vpcanary cost --canary} take it:
 * {@code --rate} and {@code --rounds}, defaults {@link CanarySchedule#DEFAULT}. A picocli mixin.
 */
final class CanaryScheduleOptions {

    @Option(names = "--rate", paramLabel = "DURATION", defaultValue = "1m",
            description = "Time between canary invocations, whole minutes from 1m to 15m. Default ${DEFAULT-VALUE}.")
    String rate;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "4",
            description = "Rounds of checks per invocation, rate/rounds apart. Default ${DEFAULT-VALUE}.")
    int rounds;

    /** The schedule; an IllegalArgumentException with one line when the options do not make one. */
    CanarySchedule schedule() {
        return new CanarySchedule(Durations.parsePositive("--rate", rate), rounds);
    }
}
