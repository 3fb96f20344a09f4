package io.vpcanary.probe;

import java.util.List;

/**
 * What a WebSocket check exchanged after its {@code $connect} was accepted, for {@link Outcome#webSocket()}. Times are
 * milliseconds between two {@link System#nanoTime()} readings of the probe, rounded to the microsecond as
 * {@link Phases} are.
 *
 * @param connectionId  the connection id the API gave (learned from the check's connection-id route), or null
 * @param roundTripsMs  one entry per message answered, in order: from sending the message to its reply's arrival
 * @param pushMs        from sending the {@code @connections} POST to the pushed message's arrival (one clock, the
 *                      probe's), or null when the check does not push or the push did not arrive
 * @param closeCode     the close code that ended the connection (1000 for a clean close; 1006 when it dropped without
 *                      a close frame), or null when the probe gave up before any close
 * @param closeReason   the close frame's reason, or null
 */
public record WebSocketExchange(String connectionId, List<Double> roundTripsMs, Double pushMs, Integer closeCode,
                                String closeReason) {

    public WebSocketExchange {
        roundTripsMs = roundTripsMs == null ? List.of() : List.copyOf(roundTripsMs);
    }
}
