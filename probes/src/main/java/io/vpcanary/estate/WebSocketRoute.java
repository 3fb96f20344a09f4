package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A route of a WebSocket API: the route key the route selection expression must yield ({@code $default} for messages
 * no other route takes) and, in the lab, what the simulated NLB target behind the API's VPC link does with it.
 */
public record WebSocketRoute(
        @JsonPropertyDescription("Route key: the value of the route selection expression, such as echo, or $default.") String key,
        @JsonPropertyDescription("Lab only: what the simulated target does: ECHO (default), WHOAMI, BROADCAST, DELAYED, PUSH or NONE.") WebSocketReply reply,
        @JsonPropertyDescription("Lab only: DELAYED and PUSH routes answer this many milliseconds later. Default 200.") Long delayMs) {

    /** The route messages go to when the selection expression yields no route's key. */
    public static final String DEFAULT_ROUTE = "$default";

    public WebSocketRoute {
        if (reply == null) {
            reply = WebSocketReply.ECHO;
        }
        if (delayMs == null) {
            delayMs = 200L;
        }
    }
}
