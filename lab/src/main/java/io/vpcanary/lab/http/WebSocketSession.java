package io.vpcanary.lab.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vpcanary.estate.LabWebSocket;
import io.vpcanary.estate.WebSocketReply;
import io.vpcanary.estate.WebSocketRoute;
import io.vpcanary.lab.http.ApiCatalog.Deployment;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection of a WebSocket API after its {@code $connect} was accepted: API Gateway's limits and the
 * simulated NLB target behind the API's routes. Messages (text, or binary, each possibly in several frames) are routed
 * by the API's route selection expression ({@code $request.body.action}: a field of the JSON message) to the route
 * with that key, else to {@code $default} when the API has one, else answered with API Gateway's
 * {@code {"message": "Forbidden", "connectionId": ..., "requestId": ...}}. What a route answers is its
 * {@link WebSocketReply}, sent after the integration's simulated latency (and the route's delay for DELAYED and PUSH),
 * scheduled on the connection's event loop, never a blocked thread.
 *
 * <p>Limits ({@code lab.webSocket}): a frame above {@code frameBytes} or a message above {@code messageBytes} is
 * closed with 1009; a connection without a message either way for {@code idleTimeoutSeconds}, or open for
 * {@code maxConnectionSeconds}, is closed with 1001. Pings get pongs; a close from the client is answered with the same
 * code. Closing the connection is its {@code $disconnect}: it leaves {@link WebSocketConnections}.
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Close reasons with code 1001 (the lab's wording; AWS's is not documented). */
    static final String IDLE_TIMEOUT = "Going away: idle timeout";
    static final String AGE_LIMIT = "Going away: connection duration limit";

    private final WebSocketConnections connections;
    private final WebSocketConnections.Connection connection;
    private final LabWebSocket limits;
    private final String[] selection;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private boolean inMessage;
    private boolean closing;
    private ScheduledFuture<?> maxAge;

    private WebSocketSession(WebSocketConnections connections, WebSocketConnections.Connection connection) {
        this.connections = connections;
        this.connection = connection;
        this.limits = connections.limits();
        String expr = connection.deployment.api().routeSelectionExpression();
        this.selection = expr.substring("$request.body.".length()).split("\\.");
    }

    /**
     * Completes the opening handshake of an accepted {@code $connect} on {@code ctx}'s channel (the front door's
     * handler context) and turns the connection's pipeline into a WebSocket one: the HTTP codec, aggregator and request
     * deadline leave, the idle timer takes the WebSocket idle timeout, and a session takes the front door's place.
     * The caller still owns (and releases) {@code request}.
     *
     * @return false when the client asked for a WebSocket version no handshaker speaks (a 426 answer was sent)
     */
    static boolean accept(ChannelHandlerContext ctx, FullHttpRequest request, Deployment deployment,
                          WebSocketConnections connections) {
        LabWebSocket limits = connections.limits();
        String url = "wss://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(limits.frameBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .build();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, decoder)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return false;
        }
        String sourceIp = ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : "";
        WebSocketConnections.Connection c = connections.open(ctx.channel(), deployment, sourceIp,
                request.headers().get(HttpHeaderNames.USER_AGENT));
        ChannelPipeline p = ctx.pipeline();
        handshaker.handshake(ctx.channel(), request);
        p.remove("deadline");
        p.remove("complete");
        p.replace("idle", "idle", new IdleStateHandler(0, 0, limits.idleTimeoutSeconds(), TimeUnit.SECONDS));
        p.replace(ctx.name(), "webSocket", new WebSocketSession(connections, c));
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        maxAge = ctx.executor().schedule(() -> goAway(ctx, AGE_LIMIT), limits.maxConnectionSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing && msg instanceof CloseWebSocketFrame) {
                ctx.close(); // the client answered the lab's close frame: the closing handshake is done
                return;
            }
            if (!(msg instanceof WebSocketFrame frame) || closing) {
                return;
            }
            switch (frame) {
                case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                case PongWebSocketFrame pong -> { }
                case CloseWebSocketFrame close -> {
                    // the client closes: answer with its code and close the socket (RFC 6455 5.5.1)
                    closing = true;
                    int code = close.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : close.statusCode();
                    ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(f -> ctx.close());
                }
                case TextWebSocketFrame t -> data(ctx, t.content(), !inMessage, t.isFinalFragment());
                case BinaryWebSocketFrame b -> data(ctx, b.content(), !inMessage, b.isFinalFragment());
                case ContinuationWebSocketFrame cont -> data(ctx, cont.content(), false, cont.isFinalFragment());
                default -> { }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void data(ChannelHandlerContext ctx, ByteBuf content, boolean first, boolean last) {
        if (first) {
            message.reset();
        }
        if (message.size() + content.readableBytes() > limits.messageBytes()) {
            closing = true;
            connections.close(connection, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
                    "Message too big");
            return;
        }
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        message.writeBytes(bytes);
        inMessage = !last;
        if (last) {
            connection.lastActiveAt = java.time.Instant.now();
            dispatch(ctx, message.toString(StandardCharsets.UTF_8));
            message.reset();
        }
    }

    /** Routes one whole message and schedules its answer. */
    private void dispatch(ChannelHandlerContext ctx, String text) {
        JsonNode body = parse(text);
        String key = routeKey(body);
        Deployment d = connection.deployment;
        Optional<WebSocketRoute> route = key == null ? Optional.empty() : d.api().route(key);
        if (route.isEmpty()) {
            route = d.api().route(WebSocketRoute.DEFAULT_ROUTE);
        }
        if (route.isEmpty()) {
            connection.send("{\"message\": \"Forbidden\", \"connectionId\":\"" + connection.id
                    + "\", \"requestId\":\"" + FrontDoorHandler.newApigwId() + "\"}");
            return;
        }
        WebSocketRoute r = route.get();
        String data = data(body, text);
        long latency = d.target().latency().sampleNanos(ThreadLocalRandom.current());
        long delay = latency + (r.reply() == WebSocketReply.DELAYED || r.reply() == WebSocketReply.PUSH
                ? TimeUnit.MILLISECONDS.toNanos(r.delayMs()) : 0);
        Runnable answer = switch (r.reply()) {
            case ECHO, DELAYED, PUSH -> () -> connection.send(data);
            case WHOAMI -> () -> connection.send("{\"connectionId\":\"" + connection.id + "\"}");
            case BROADCAST -> () -> connections.broadcast(d.region().id(), data);
            case NONE -> null;
        };
        if (answer == null) {
            return;
        }
        if (delay <= 0) {
            answer.run();
        } else {
            ctx.executor().schedule(answer, delay, TimeUnit.NANOSECONDS);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The route key the selection expression yields for {@code body}, or null (not JSON, field absent or not text). */
    private String routeKey(JsonNode body) {
        JsonNode n = body;
        for (String field : selection) {
            if (n == null) {
                return null;
            }
            n = n.get(field);
        }
        return n != null && n.isValueNode() ? n.asText() : null;
    }

    /** The {@code data} of a JSON message (text as is, anything else as JSON), else the whole message. */
    private static String data(JsonNode body, String text) {
        JsonNode d = body == null ? null : body.get("data");
        if (d == null) {
            return text;
        }
        return d.isTextual() ? d.asText() : d.toString();
    }

    private void goAway(ChannelHandlerContext ctx, String reason) {
        closing = true;
        connections.close(connection, WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), reason);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            goAway(ctx, IDLE_TIMEOUT);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (maxAge != null) {
            maxAge.cancel(false);
        }
        connections.closed(connection);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt && !closing) {
            // an oversize frame (1009) or another protocol violation (1002): the decoder discards what follows, so
            // the close frame reaches the client before the socket closes
            closing = true;
            connections.close(connection, corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
            return;
        }
        ctx.close();
    }
}
