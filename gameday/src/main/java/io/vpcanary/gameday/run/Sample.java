package io.vpcanary.gameday.run;

import io.vpcanary.probe.ErrorClass;

/**
 * One steady-state probe of a game day.
 *
 * @param tMillis         when it was sent, in milliseconds since the game day started (monotonic clock)
 * @param vantage         where it was sent from
 * @param ok              whether it got the healthy answer
 * @param errorClass      why not, or null
 * @param region          the region that answered (the answer's {@code region}), else the region of the address it
 *                        went to, else null
 * @param address         the address the domain resolved to, or null
 * @param signingMismatch whether it was refused for a signing-region mismatch
 * @param latencyMillis   its total time
 */
public record Sample(long tMillis, String vantage, boolean ok, ErrorClass errorClass, String region, String address,
                     boolean signingMismatch, double latencyMillis) {
}
