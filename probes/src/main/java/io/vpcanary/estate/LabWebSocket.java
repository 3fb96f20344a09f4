package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** API Gateway's WebSocket limits as the lab applies them; AWS's values by default. */
public record LabWebSocket(
        @JsonPropertyDescription("Largest frame payload in bytes; a larger frame is closed with 1009. Default 32768 (32 KB).") Integer frameBytes,
        @JsonPropertyDescription("Largest message (all its frames) in bytes; a larger one is closed with 1009. Default 131072 (128 KB).") Integer messageBytes,
        @JsonPropertyDescription("A connection with no message either way for this many seconds is closed with 1001. Default 600.") Integer idleTimeoutSeconds,
        @JsonPropertyDescription("A connection is closed with 1001 this many seconds after it opened. Default 7200.") Integer maxConnectionSeconds,
        @JsonPropertyDescription("New connections per second per region; more are refused with 429. Default 500.") Integer connectionsPerSecond) {

    public static final LabWebSocket DEFAULT = new LabWebSocket(null, null, null, null, null);

    public LabWebSocket {
        if (frameBytes == null) {
            frameBytes = 32 * 1024;
        }
        if (messageBytes == null) {
            messageBytes = 128 * 1024;
        }
        if (idleTimeoutSeconds == null) {
            idleTimeoutSeconds = 600;
        }
        if (maxConnectionSeconds == null) {
            maxConnectionSeconds = 7200;
        }
        if (connectionsPerSecond == null) {
            connectionsPerSecond = 500;
        }
    }
}
