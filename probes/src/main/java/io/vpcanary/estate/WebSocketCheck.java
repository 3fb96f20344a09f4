package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * What a check of a WebSocket API does once its {@code $connect} is accepted: send {@link #messages()} messages through
 * {@link #route()} and time each reply, optionally have the server push one through {@code @connections}, then close
 * cleanly. Each message is {@code {"<selection field>": route, "data": message}}, the selection field being the one the
 * API's route selection expression reads ({@code action} for {@code $request.body.action}).
 */
public record WebSocketCheck(
        @JsonPropertyDescription("Route key the messages select, such as echo. Default: none (the messages go to $default).") String route,
        @JsonPropertyDescription("The data each message carries. Default vpcanary.") String message,
        @JsonPropertyDescription("How many messages to send, one after another, each awaiting its reply. Default 3; 0 sends none.") Integer messages,
        @JsonPropertyDescription("Text every reply must contain. Default: any reply.") String expectReply,
        @JsonPropertyDescription("Pad each message's data so the whole message is this many bytes (to check the 128 KB limit, say). Default: no padding.") Integer messageBytes,
        @JsonPropertyDescription("Have the server push a message: the probe learns its connection id from connectionIdRoute, posts to @connections/{id} (SigV4) and times the arrival. Default false.") Boolean push,
        @JsonPropertyDescription("Route whose reply is {\"connectionId\":\"...\"}, used by push. Default whoami.") String connectionIdRoute) {

    public static final WebSocketCheck DEFAULT = new WebSocketCheck(null, null, null, null, null, null, null);

    /** The WebSocket settings of check {@code check} of API {@code api} in {@code estate}; the defaults when it has none. */
    public static WebSocketCheck of(Estate estate, String api, String check) {
        return estate.api(api).flatMap(a -> a.checks().stream().filter(c -> c.name().equals(check)).findFirst())
                .map(Check::webSocketOrDefault).orElse(DEFAULT);
    }

    /**
     * The text of this check's messages to {@code api}: {@code {"<field>": route, "data": message}}, the field being
     * what the API's route selection expression reads (nested objects for a dotted one), padded with {@code x} in
     * {@code data} to {@link #messageBytes()} when given.
     */
    public String messageText(Api api) {
        return routeMessage(api, route, message, messageBytes);
    }

    /** {@code {"<field>": route, "data": data}} for {@code api}'s selection expression; no data when null. */
    public static String routeMessage(Api api, String route, String data, Integer bytes) {
        String expr = api == null || api.routeSelectionExpression() == null ? Api.DEFAULT_ROUTE_SELECTION
                : api.routeSelectionExpression();
        String[] field = expr.substring("$request.body.".length()).split("\\.");
        ObjectNode root = JSON.createObjectNode();
        if (route != null) {
            ObjectNode o = root;
            for (int i = 0; i < field.length - 1; i++) {
                o = o.putObject(field[i]);
            }
            o.put(field[field.length - 1], route);
        }
        if (data != null) {
            root.put("data", data);
        }
        String text = root.toString();
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes != null && bytes > size) {
            String pad = "x".repeat(Math.max(0, bytes - size - (data == null ? ",\"data\":\"\"".length() : 0)));
            root.put("data", (data == null ? "" : data) + pad);
            text = root.toString();
        }
        return text;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public WebSocketCheck {
        if (message == null) {
            message = "vpcanary";
        }
        if (messages == null) {
            messages = 3;
        }
        if (push == null) {
            push = Boolean.FALSE;
        }
        if (connectionIdRoute == null) {
            connectionIdRoute = "whoami";
        }
    }
}
