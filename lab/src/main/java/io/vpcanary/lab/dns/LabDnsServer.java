package io.vpcanary.lab.dns;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vpcanary.estate.Estate;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.LabView;
import io.vpcanary.lab.PortTakenException;
import io.vpcanary.lab.faults.LabFaults;
import io.vpcanary.lab.route53.LabRouting;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * The lab's DNS server: one resolver per view of the {@link LabAddressPlan}, each listening on UDP and TCP at its
 * view's resolver address, all on one port. What each view answers is {@link LabDnsViews}; the wire rules (FORMERR,
 * NOTIMP, truncation, SOA in negative answers) are described in {@code docs/lab.md}.
 *
 * <p>Robustness contract: the server never stops serving because of what a client sends. A datagram without a DNS
 * header, a response, or a datagram over 4096 bytes is dropped; a message whose header
 * parses but whose body does not (name-compression loops included) gets FORMERR. TCP uses the 2-byte length framing
 * of RFC 1035, answers any number of queries per connection in order, closes a connection that announces a message
 * over 4096 bytes, sends a frame without a DNS header or stays idle for {@value #IDLE_SECONDS} seconds, stops
 * reading from a client that does not read its answers, and accepts at most {@value #MAX_CONNECTIONS} connections at
 * a time (further ones are closed at once). Buffers are unpooled heap buffers: DNS messages are small and a
 * buffer the garbage collector reclaims cannot leak.
 *
 * <p>The server runs on two daemon threads named {@code lab-dns-*}; {@link #close()} releases every
 * socket and thread.
 */
public final class LabDnsServer implements AutoCloseable {

    /** Seconds a TCP connection may stay idle before the server closes it. */
    public static final int IDLE_SECONDS = 10;
    /** Most TCP connections open at once; further ones are closed on arrival. */
    public static final int MAX_CONNECTIONS = 256;
    private static final int THREADS = 2;
    private static final int BIND_ATTEMPTS = 20;
    private static final ByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(false, true);

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final int port;
    private final Map<String, InetSocketAddress> resolvers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LabDnsServer(EventLoopGroup group, List<Channel> channels, int port, Map<String, InetSocketAddress> resolvers) {
        this.group = group;
        this.channels = channels;
        this.port = port;
        this.resolvers = resolvers;
    }

    /**
     * Starts the DNS server of every view of {@code plan}: UDP and TCP on each view's resolver address, all at
     * {@code port}. With port 0 the first socket takes an ephemeral port and every other socket binds that same port;
     * when that port is taken on another address, everything is closed and another ephemeral port is tried (at most
     * {@value #BIND_ATTEMPTS} times).
     *
     * @throws IOException when a socket cannot be bound (the message names the address and transport)
     */
    public static LabDnsServer start(Estate estate, LabAddressPlan plan, int port) throws IOException {
        Map<String, InetAddress> addresses = new LinkedHashMap<>();
        for (LabView v : plan.views().values()) {
            addresses.put(v.name(), v.resolver());
        }
        return start(addresses, DnsResponder.of(LabDnsViews.of(estate, plan)), port);
    }

    /**
     * As {@link #start(Estate, LabAddressPlan, int)}, with the routing domains answered by {@code routing} and the
     * DNS faults of {@code faults}.
     */
    public static LabDnsServer start(Estate estate, LabAddressPlan plan, int port, LabRouting routing,
                                     LabFaults faults) throws IOException {
        Map<String, InetAddress> addresses = new LinkedHashMap<>();
        for (LabView v : plan.views().values()) {
            addresses.put(v.name(), v.resolver());
        }
        return start(addresses, DnsResponder.of(LabDnsViews.of(estate, plan), plan.views(), routing, faults), port);
    }

    /** Starts a server answering with {@code responder} on the given view addresses, with the default limits. */
    static LabDnsServer start(Map<String, InetAddress> viewAddresses, DnsResponder responder, int port) throws IOException {
        return start(viewAddresses, responder, port, new Limits(Duration.ofSeconds(IDLE_SECONDS), MAX_CONNECTIONS));
    }

    /** TCP limits: how long a connection may stay idle, how many may be open at once. */
    record Limits(Duration idle, int maxConnections) {
    }

    static LabDnsServer start(Map<String, InetAddress> viewAddresses, DnsResponder responder, int port, Limits limits)
            throws IOException {
        return start(viewAddresses, responder, port, limits, attempt -> 0);
    }

    /**
     * With {@code port} 0, {@code ephemeral} gives the port the first socket of each attempt (counted from 1) binds:
     * 0 lets the system choose; tests use it to force a port conflict.
     */
    static LabDnsServer start(Map<String, InetAddress> viewAddresses, DnsResponder responder, int port, Limits limits,
                              IntUnaryOperator ephemeral) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("DNS port out of range: " + port);
        }
        if (viewAddresses.isEmpty()) {
            throw new IllegalArgumentException("no resolver views to serve");
        }
        if (viewAddresses.values().stream().distinct().count() != viewAddresses.size()) {
            throw new IllegalArgumentException("two resolver views share an address: " + viewAddresses);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(THREADS, new DefaultThreadFactory("lab-dns", true),
                NioIoHandler.newFactory());
        AtomicInteger connections = new AtomicInteger();
        try {
            for (int attempt = 1; ; attempt++) {
                List<Channel> channels = new ArrayList<>();
                int chosen = port == 0 ? ephemeral.applyAsInt(attempt) : port;
                Map<String, InetSocketAddress> resolvers = new LinkedHashMap<>();
                try {
                    for (var e : viewAddresses.entrySet()) {
                        String view = e.getKey();
                        InetSocketAddress at = new InetSocketAddress(e.getValue(), chosen);
                        Channel udp = bind(udp(group, view, responder), at, "UDP", channels);
                        if (chosen == 0) {
                            chosen = ((InetSocketAddress) udp.localAddress()).getPort();
                            at = new InetSocketAddress(e.getValue(), chosen);
                        }
                        bind(tcp(group, view, responder, connections, limits), at, "TCP", channels);
                        resolvers.put(view, at);
                    }
                    return new LabDnsServer(group, List.copyOf(channels), chosen, Collections.unmodifiableMap(resolvers));
                } catch (IOException e) {
                    for (Channel c : channels) {
                        c.close().syncUninterruptibly();
                    }
                    boolean portConflict = port == 0 && !channels.isEmpty() && e.getCause() instanceof BindException;
                    if (!portConflict || attempt >= BIND_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress at, String transport,
                                List<Channel> channels) throws IOException {
        ChannelFuture future = bootstrap.bind(at).awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            boolean loopbackAlias = cause instanceof BindException && String.valueOf(cause.getMessage()).contains("assign");
            String message = "cannot bind the lab DNS server to " + at.getAddress().getHostAddress() + ":"
                    + at.getPort() + " (" + transport + "): " + cause.getMessage()
                    + (loopbackAlias ? " (on macOS every lab address but 127.0.0.1 needs a loopback alias: see docs/lab.md)" : "");
            if (PortTakenException.inUse(cause)) {
                throw new PortTakenException("DNS", at, message, (BindException) cause);
            }
            throw new IOException(message, cause);
        }
        channels.add(future.channel());
        return future.channel();
    }

    private static Bootstrap udp(EventLoopGroup group, String view, DnsResponder responder) {
        return new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DnsResponder.MAX_QUERY + 1))
                .handler(new UdpHandler(view, responder));
    }

    private static ServerBootstrap tcp(EventLoopGroup group, String view, DnsResponder responder,
                                       AtomicInteger connections, Limits limits) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, limits.idle().toMillis(), TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(DnsResponder.MAX_QUERY, 0, 2, 0, 2, true),
                                new LengthFieldPrepender(2),
                                new TcpHandler(view, responder, connections, limits.maxConnections()));
                    }
                });
    }

    /** Answers datagrams; never closes its channel, whatever arrives. */
    private static final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final String view;
        private final DnsResponder responder;

        UdpHandler(String view, DnsResponder responder) {
            this.view = view;
            this.responder = responder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] response = responder.respond(view, ByteBufUtil.getBytes(packet.content()), false);
            if (response != null && ctx.channel().isWritable()) {
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(response), packet.sender()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket has no peer to give up on: ignore (e.g. ICMP errors surfacing as exceptions).
        }
    }

    /** Answers length-framed queries in order on one connection. */
    private static final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final String view;
        private final DnsResponder responder;
        private final AtomicInteger connections;
        private final int maxConnections;
        private boolean counted;

        TcpHandler(String view, DnsResponder responder, AtomicInteger connections, int maxConnections) {
            this.view = view;
            this.responder = responder;
            this.connections = connections;
            this.maxConnections = maxConnections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            counted = true;
            if (connections.incrementAndGet() > maxConnections) {
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                counted = false;
                connections.decrementAndGet();
            }
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] response = responder.respond(view, ByteBufUtil.getBytes(frame), true);
            if (response == null) {
                ctx.close();
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response));
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Oversized length prefix, connection reset, ...: this connection is done; the server is not.
            ctx.close();
        }
    }

    /** The port every resolver listens on, UDP and TCP. */
    public int port() {
        return port;
    }

    /** Each view's resolver address and port, by view name in the order of the address plan. */
    public Map<String, InetSocketAddress> resolvers() {
        return resolvers;
    }

    /** Closes every socket and stops every thread of the server; waits up to a few seconds. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
