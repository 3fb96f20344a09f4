package io.vpcanary.lab.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vpcanary.estate.LabWebSocket;
import io.vpcanary.lab.http.ApiCatalog.Deployment;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The open WebSocket connections of every API the front doors serve, by connection id, and the per-region limit on
 * new connections: what {@code $connect}, {@code $disconnect}, the routes and the {@code @connections} management API
 * share. Connection ids are shaped like API Gateway's (16 base64 characters ending in {@code =}, without {@code /}).
 * Thread-safe: sessions register and unregister on their event loops, management calls read from any.
 */
final class WebSocketConnections {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One open connection. {@code lastActiveAt} moves with every message either way. */
    static final class Connection {
        final String id;
        final Channel channel;
        final Deployment deployment;
        final Instant connectedAt;
        final String sourceIp;
        final String userAgent;
        volatile Instant lastActiveAt;

        Connection(String id, Channel channel, Deployment deployment, Instant connectedAt, String sourceIp,
                   String userAgent) {
            this.id = id;
            this.channel = channel;
            this.deployment = deployment;
            this.connectedAt = connectedAt;
            this.sourceIp = sourceIp;
            this.userAgent = userAgent;
            this.lastActiveAt = connectedAt;
        }

        /** Sends {@code text} as one text message; false when the connection has closed. */
        boolean send(String text) {
            if (!channel.isActive()) {
                return false;
            }
            lastActiveAt = Instant.now();
            channel.writeAndFlush(new TextWebSocketFrame(text));
            return true;
        }

        /** The answer of {@code GET @connections/{id}}. */
        String describe() {
            DateTimeFormatter f = DateTimeFormatter.ISO_INSTANT;
            ObjectNode o = JSON.createObjectNode();
            o.put("ConnectedAt", f.format(connectedAt));
            o.putObject("Identity").put("SourceIp", sourceIp).put("UserAgent", userAgent);
            o.put("LastActiveAt", f.format(lastActiveAt));
            return o.toString();
        }
    }

    private final LabWebSocket limits;
    private final Map<String, Connection> byId = new ConcurrentHashMap<>();
    private final Map<String, long[]> admittedThisSecond = new ConcurrentHashMap<>();

    WebSocketConnections(LabWebSocket limits) {
        this.limits = limits;
    }

    LabWebSocket limits() {
        return limits;
    }

    /**
     * Whether one more connection may open in {@code region} in the current second (a fixed one-second window of
     * {@code lab.webSocket.connectionsPerSecond}).
     */
    boolean admit(String region) {
        long second = System.nanoTime() / 1_000_000_000L;
        long[] window = admittedThisSecond.computeIfAbsent(region, r -> new long[] {second, 0});
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            if (window[1] >= limits.connectionsPerSecond()) {
                return false;
            }
            window[1]++;
            return true;
        }
    }

    /** Registers a new connection of {@code deployment} on {@code channel} under a fresh id. */
    Connection open(Channel channel, Deployment deployment, String sourceIp, String userAgent) {
        while (true) {
            String id = newConnectionId();
            Connection c = new Connection(id, channel, deployment, Instant.now(), sourceIp,
                    userAgent == null ? "" : userAgent);
            if (byId.putIfAbsent(id, c) == null) {
                return c;
            }
        }
    }

    /** Forgets a closed connection ({@code $disconnect}). */
    void closed(Connection c) {
        byId.remove(c.id, c);
    }

    /** The open connection {@code id} of the API deployment with API id {@code apiId}, if there is one. */
    Optional<Connection> find(String apiId, String id) {
        Connection c = byId.get(id);
        if (c == null || !c.channel.isActive() || !c.deployment.region().id().equals(apiId)) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** Sends {@code text} to every open connection of API id {@code apiId}; the number reached. */
    int broadcast(String apiId, String text) {
        int n = 0;
        for (Connection c : byId.values()) {
            if (c.deployment.region().id().equals(apiId) && c.send(text)) {
                n++;
            }
        }
        return n;
    }

    /** How long a connection the lab closes waits for the client's close frame before the socket is closed anyway. */
    static final long CLOSE_GRACE_MILLIS = 2_000;

    /**
     * Closes connection {@code c} with {@code code} and {@code reason}: it leaves the API's connections at once; the
     * close frame goes out, then the socket is closed once the client answers with its own close frame
     * ({@link WebSocketSession} closes it then) or after {@link #CLOSE_GRACE_MILLIS}.
     * Closing the socket at once would reset it while the client is still sending (an oversize message's remaining
     * frames, say), and the client would see an abnormal close (1006) instead of the code.
     */
    void close(Connection c, int code, String reason) {
        // gone at once for @connections and broadcasts (410 from now on), as in API Gateway, though the socket waits
        byId.remove(c.id, c);
        close(c.channel, code, reason);
    }

    private static void close(Channel channel, int code, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** The number of open connections. */
    int size() {
        return byId.size();
    }

    private static String newConnectionId() {
        byte[] b = new byte[11];
        String id;
        do {
            ThreadLocalRandom.current().nextBytes(b);
            id = Base64.getEncoder().encodeToString(b);
        } while (id.indexOf('/') >= 0);
        return id;
    }
}
