package io.vpcanary.estate;

/** What the lab's simulated NLB target behind a WebSocket API route does with a message (lab only). */
public enum WebSocketReply {
    /** Replies with the message's {@code data} (the whole message when it has none). */
    ECHO,
    /** Replies with {@code {"connectionId":"..."}}, the caller's connection id. */
    WHOAMI,
    /** Sends the message's {@code data} to every open connection of the API in that region, the caller included. */
    BROADCAST,
    /** Replies with the message's {@code data} after the route's {@code delayMs}. */
    DELAYED,
    /** Posts the message's {@code data} to the caller through {@code @connections} after the route's {@code delayMs}. */
    PUSH,
    /** Never answers. */
    NONE
}
