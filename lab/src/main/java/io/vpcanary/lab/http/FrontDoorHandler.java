package io.vpcanary.lab.http;

import io.vpcanary.lab.faults.LabFaults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vpcanary.aws.AwsMessages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/**
 * Answers the requests of one connection at one front door, one at a time and in order (HTTP/1.1 pipelining is
 * honoured by queueing; reading pauses while a request is being answered). Simulated latency is a task scheduled
 * on the connection's event loop, never a blocked thread. Malformed requests get 400 (431 for oversized headers,
 * 414 for an oversized request line) and the connection is closed; any other failure closes the connection
 * quietly. An idle connection with no request in flight is closed on the idle timeout.
 */
final class FrontDoorHandler extends ChannelInboundHandlerAdapter {

    /** Pipelined requests held at most while one is being answered; more closes the connection. */
    static final int MAX_PIPELINED = 16;

    private static final String REQUEST_ID = AwsMessages.REST_REQUEST_ID_HEADER;
    private static final String APIGW_ID = AwsMessages.REST_EXTENDED_REQUEST_ID_HEADER;
    private static final String HTTP_REQUEST_ID = AwsMessages.HTTP_REQUEST_ID_HEADER;

    private final RestRouter router;
    private FrontDoor door;
    /** On the IPv6 front door: the door a name stands for ({@link FrontDoor#named}); null elsewhere. */
    private final Function<String, Optional<FrontDoor>> doorByName;
    private final RequestDeadline deadline;
    private final LabFaults faults;
    private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();
    private boolean busy;

    FrontDoorHandler(RestRouter router, FrontDoor door, RequestDeadline deadline) {
        this(router, door, deadline, null);
    }

    /** A handler that leaves requests unanswered while a BLACKHOLE fault of {@code faults} holds its front door. */
    FrontDoorHandler(RestRouter router, FrontDoor door, RequestDeadline deadline, LabFaults faults) {
        this(router, Objects.requireNonNull(door, "door"), null, deadline, faults);
    }

    /**
     * A handler on the IPv6 front door, where every dual-stack door shares {@code ::1}: the connection's door is the
     * one its TLS server name stands for, else its first request's {@code Host}; a connection whose name stands for
     * no door, or for one a REGION_OUTAGE or ENDPOINT_DOWN fault refuses, is closed unanswered, as a connection to an
     * address that serves nothing.
     */
    static FrontDoorHandler byName(RestRouter router, Function<String, Optional<FrontDoor>> doorByName,
                                   RequestDeadline deadline, LabFaults faults) {
        return new FrontDoorHandler(router, null, Objects.requireNonNull(doorByName, "doorByName"), deadline, faults);
    }

    private FrontDoorHandler(RestRouter router, FrontDoor door, Function<String, Optional<FrontDoor>> doorByName,
                             RequestDeadline deadline, LabFaults faults) {
        this.router = router;
        this.door = door;
        this.doorByName = doorByName;
        this.deadline = deadline;
        this.faults = faults;
    }

    /** The door of this connection, found by name on the IPv6 front door; null when it has none (then closed). */
    private FrontDoor door(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (door == null) {
            String name = serverName(ctx);
            if (name == null) {
                String host = request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
                name = host == null ? null : host.replaceFirst(":\\d+$", "");
            }
            door = doorByName.apply(name).orElse(null);
        }
        if (door != null && doorByName != null && faults != null && faults.refused(door.region(), door.vpcEndpoint())) {
            return null;
        }
        return door;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            if (queue.size() >= MAX_PIPELINED) {
                request.release();
                ctx.close();
                return;
            }
            queue.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        answer(ctx, request);
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        if (door(ctx, request) == null) {
            request.release();
            releaseQueue();
            ctx.close();
            return;
        }
        if (faults != null && faults.blackholed(door.region(), door.vpcEndpoint())) {
            request.release();
            ctx.channel().config().setAutoRead(false);
            return;
        }
        String requestId = newUuid();
        HttpVersion version = request.protocolVersion();
        boolean keepAlive;
        Reply reply;
        try {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                reply = (cause instanceof TooLongHttpHeaderException ? TransportError.HEADERS_TOO_LARGE
                        : cause instanceof TooLongHttpLineException ? TransportError.URI_TOO_LONG
                        : TransportError.BAD_REQUEST).reply();
                keepAlive = false;
                version = HttpVersion.HTTP_1_1;
            } else if (version.majorVersion() != 1 || version.minorVersion() > 1) {
                // Netty parses any HTTP/x.y; only HTTP/1.0 and 1.1 are spoken here
                reply = TransportError.BAD_REQUEST.reply();
                keepAlive = false;
                version = HttpVersion.HTTP_1_1;
            } else if (isWebSocketUpgrade(request)) {
                RestRouter.Request routed = routed(request, requestId, serverName(ctx));
                RestRouter.Upgrade upgrade = routed == null ? new RestRouter.Refused(TransportError.BAD_REQUEST.reply())
                        : router.upgrade(door, routed);
                if (upgrade instanceof RestRouter.Accepted accepted) {
                    if (!WebSocketSession.accept(ctx, request, accepted.deployment(), router.connections())) {
                        ctx.close();
                    }
                    return;
                }
                reply = ((RestRouter.Refused) upgrade).reply();
                keepAlive = false;
            } else {
                keepAlive = HttpUtil.isKeepAlive(request);
                reply = route(request, requestId, serverName(ctx));
                if (reply.status() == TransportError.BAD_REQUEST.status) {
                    keepAlive = false;
                }
            }
        } finally {
            request.release();
        }
        boolean close = !keepAlive;
        HttpVersion v = version;
        if (reply.delayNanos() > 0) {
            ctx.executor().schedule(() -> write(ctx, reply, requestId, v, close), reply.delayNanos(),
                    TimeUnit.NANOSECONDS);
        } else {
            write(ctx, reply, requestId, v, close);
        }
    }

    private Reply route(FullHttpRequest request, String requestId, String serverName) {
        RestRouter.Request r = routed(request, requestId, serverName);
        return r == null ? TransportError.BAD_REQUEST.reply() : router.route(door, r);
    }

    /** The router's view of {@code request}, or null when its target is not an origin-form path. */
    private static RestRouter.Request routed(FullHttpRequest request, String requestId, String serverName) {
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            return null;
        }
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        HttpHeaders h = request.headers();
        return new RestRouter.Request(request.method().name(), h.get(HttpHeaderNames.HOST),
                h.get(RestRouter.API_ID_HEADER), path, requestId, request, serverName);
    }

    /** A GET asking to switch to the WebSocket protocol ({@code Upgrade: websocket}, {@code Connection: upgrade}). */
    static boolean isWebSocketUpgrade(FullHttpRequest request) {
        HttpHeaders h = request.headers();
        return request.method().name().equals("GET")
                && h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The host name the client asked for in its TLS handshake (SNI), or null when it sent none. */
    static String serverName(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null && tls.engine().getSession() instanceof ExtendedSSLSession session) {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private void write(ChannelHandlerContext ctx, Reply reply, String requestId, HttpVersion version, boolean close) {
        if (!ctx.channel().isActive()) {
            releaseQueue();
            return;
        }
        if (reply.stream() != null && version.equals(HttpVersion.HTTP_1_1)) {
            writeStream(ctx, reply, requestId, close);
            return;
        }
        FullHttpResponse response = response(reply, requestId, version);
        HttpHeaders h = response.headers();
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (version.equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(response).addListener(f -> answered(ctx, f.isSuccess()));
    }

    /** After an answer went out: the next pipelined request, or reading again; a failed write closes. */
    private void answered(ChannelHandlerContext ctx, boolean success) {
        if (!success) {
            ctx.close();
            return;
        }
        busy = false;
        deadline.requestDone();
        FullHttpRequest next = queue.poll();
        if (next != null) {
            answer(ctx, next);
        } else {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    /**
     * A streamed answer ({@link StreamedAnswer}): the head with chunked transfer encoding at once, each chunk at its
     * time on the connection's event loop, then the last chunk; a plan API Gateway's limits cut short closes the
     * connection at the cut, without the last chunk. HTTP/1.0 clients get the whole answer buffered.
     */
    private void writeStream(ChannelHandlerContext ctx, Reply reply, String requestId, boolean close) {
        FullHttpResponse full = response(reply, requestId, HttpVersion.HTTP_1_1);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, full.status(), full.headers());
        full.release();
        HttpHeaders h = head.headers();
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
        HttpUtil.setTransferEncodingChunked(head, true);
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(head);
        long start = System.nanoTime();
        StreamedAnswer.Plan plan = reply.stream();
        for (int i = 0; i < plan.chunks().size(); i++) {
            StreamedAnswer.Chunk chunk = plan.chunks().get(i);
            boolean last = i == plan.chunks().size() - 1;
            Runnable send = () -> {
                if (!ctx.channel().isActive()) {
                    return;
                }
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk.data())));
                if (last && plan.completes()) {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                        if (close) {
                            ctx.close();
                        } else {
                            answered(ctx, f.isSuccess());
                        }
                    });
                } else {
                    ctx.flush();
                }
            };
            long wait = chunk.atNanos() - (System.nanoTime() - start);
            if (wait <= 0) {
                send.run();
            } else {
                ctx.executor().schedule(send, wait, TimeUnit.NANOSECONDS);
            }
        }
        if (!plan.completes()) {
            ctx.executor().schedule(() -> {
                ctx.close();
            }, plan.cutAtNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The HTTP response of {@code reply}: JSON, with length, date and request id headers. */
    static FullHttpResponse response(Reply reply, String requestId, HttpVersion version) {
        ByteBuf body = Unpooled.wrappedBuffer(reply.body().getBytes(StandardCharsets.UTF_8));
        FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(reply.status()), body);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        h.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        h.set(REQUEST_ID, requestId);
        if (reply.rest()) {
            h.set(APIGW_ID, newApigwId());
        } else {
            h.set(HTTP_REQUEST_ID, newApigwId());
        }
        reply.headers().forEach(h::set);
        return response;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseQueue();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS garbage, resets, protocol violations: the client gets nothing more, the server goes on.
        ctx.close();
    }

    private void releaseQueue() {
        FullHttpRequest r;
        while ((r = queue.poll()) != null) {
            r.release();
        }
    }

    /** A random (version 4) UUID from a fast generator: request ids need to be unique, not unpredictable. */
    static String newUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** An id shaped like API Gateway's extended request id: 16 base64 characters. */
    static String newApigwId() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
