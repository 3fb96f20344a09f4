package io.vpcanary.lab.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Mapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.lab.faults.LabFaults;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vpcanary.estate.SecurityPolicy;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.lab.PortTakenException;
import io.vpcanary.lab.tls.LabCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The lab's HTTPS front doors: every region's public front door and every execute-api VPC endpoint interface of
 * a {@link LabAddressPlan}, all on one port, serving API Gateway's REST semantics for the estate's APIs (see
 * {@code docs/lab-http.md}).
 *
 * <p>Each region's addresses present one server certificate issued by the lab CA at start, covering
 * {@code *.execute-api.{region}.amazonaws.com}, {@code *.execute-api.{region}.vpce.amazonaws.com} and the custom
 * domains of the region's APIs, so URLs, Host headers, SNI and signed hosts are those of production but for the
 * port. HTTP/1.1 with keep-alive (and HTTP/1.0); TLS through the JDK provider, with the versions and ciphers of the
 * security policy of the API or domain the client's SNI names (TLS 1.3 and 1.2 by default; see {@link TlsPolicies}).
 *
 * <p>Every connection is guarded by {@link Options}: a request must arrive within {@code headerTimeout}, an idle
 * connection is closed after {@code idleTimeout}, headers above {@code maxHeaderBytes} get 431 and bodies above
 * {@code maxBodyBytes} get 413. All I/O and simulated latency run on a small pool of event-loop threads (named
 * {@code vpcanary-lab-https-*}); {@link #close()} stops them and releases every socket. Thread-safe.
 */
public final class LabFrontDoors implements AutoCloseable {

    /** Attempts at finding an ephemeral port free on every front-door address. */
    static final int BIND_ATTEMPTS = 10;
    private static final String THREAD_PREFIX = "vpcanary-lab-https";
    private static final System.Logger LOG = System.getLogger(LabFrontDoors.class.getName());

    /**
     * Limits and randomness of the front doors.
     *
     * @param headerTimeout time a client has, from connecting or from the first byte of a request, to send the whole
     *                      request (TLS handshake included); then the connection is closed
     * @param idleTimeout   a connection with no traffic and no request in flight is closed after this
     * @param maxHeaderBytes limit of the request line and of the headers, each; beyond it 414 or 431
     * @param maxBodyBytes  limit of a request body; beyond it 413
     * @param seed          seed of the simulated integrations' latency and errors
     */
    public record Options(Duration headerTimeout, Duration idleTimeout, int maxHeaderBytes, int maxBodyBytes,
                          long seed) {

        public Options {
            Objects.requireNonNull(headerTimeout, "headerTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("front door timeouts must be positive: headerTimeout="
                        + headerTimeout + ", idleTimeout=" + idleTimeout);
            }
            if (maxHeaderBytes < 256 || maxBodyBytes < 0) {
                throw new IllegalArgumentException("maxHeaderBytes must be >= 256 and maxBodyBytes >= 0, were "
                        + maxHeaderBytes + " and " + maxBodyBytes);
            }
        }

        /**
         * 10 s to send a request, 60 s idle, 10,240 bytes of request line and of headers (API Gateway's limit for
         * REST APIs), 10 MiB of body (API Gateway's payload limit), seed 0x5eed.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 10_240, 10 * 1024 * 1024, 0x5eedL);
        }
    }

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    /** The listening channel of each address; absent while a fault refuses connections there. */
    private final Map<InetAddress, Channel> servers;
    private final Map<InetAddress, ServerBootstrap> bootstraps;
    private final Map<InetAddress, ChannelGroup> connections;
    private final LabAddressPlan plan;
    private final LabFaults faults;
    private final int port;
    private final RestRouter router;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LabFrontDoors(EventLoopGroup acceptors, EventLoopGroup workers, RestRouter router,
                          Map<InetAddress, Channel> servers,
                          Map<InetAddress, ServerBootstrap> bootstraps, Map<InetAddress, ChannelGroup> connections,
                          LabAddressPlan plan, LabFaults faults, int port) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.servers = servers;
        this.bootstraps = bootstraps;
        this.connections = connections;
        this.plan = plan;
        this.faults = faults;
        this.port = port;
        this.router = router;
    }

    /**
     * Starts the front doors: HTTPS on every address of {@code plan.frontDoorAddresses()} at one port, and on
     * {@code [::1]} at that port when the estate has a dual-stack door ({@link LabDnsViews#servesIpv6()}).
     *
     * @param port the port, or 0 for an ephemeral one: the port the first address gets is then taken for all
     *             (retried {@value #BIND_ATTEMPTS} times when another address has it taken)
     * @throws IOException when an address cannot be bound (the message names it) or a certificate cannot be issued
     * @throws IllegalArgumentException when an API's resource policy or integration settings cannot be used
     */
    public static LabFrontDoors start(Estate estate, LabAddressPlan plan, LabCa ca, int port, Options options)
            throws IOException {
        return start(estate, plan, ca, port, options, LabAuthorizers.closed(estate));
    }

    /**
     * Starts the front doors with {@code authorizers} checking the APIs that have an authorizer; otherwise as
     * {@link #start(Estate, LabAddressPlan, LabCa, int, Options)} (whose authorizers let nothing through).
     */
    public static LabFrontDoors start(Estate estate, LabAddressPlan plan, LabCa ca, int port, Options options,
                                      LabAuthorizers authorizers) throws IOException {
        return start(estate, plan, ca, port, options, authorizers, null);
    }

    /**
     * As {@link #start(Estate, LabAddressPlan, LabCa, int, Options, LabAuthorizers)}, under the faults of
     * {@code faults} (null: none): REGION_OUTAGE and ENDPOINT_DOWN close the listening sockets of the addresses they
     * name (connections are refused) and their open connections, until {@link #applyFaults()} finds them cleared;
     * BLACKHOLE leaves new connections unread and requests unanswered; ERROR_RATE and LATENCY change the
     * integrations' answers.
     */
    public static LabFrontDoors start(Estate estate, LabAddressPlan plan, LabCa ca, int port, Options options,
                                      LabAuthorizers authorizers, LabFaults faults) throws IOException {
        java.util.Objects.requireNonNull(authorizers, "authorizers");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("front door port must be within 0..65535, was " + port);
        }
        RestRouter router = new RestRouter(new ApiCatalog(estate, options.seed()), estate.account(), authorizers,
                faults, new WebSocketConnections(estate.lab().webSocket()));
        Map<String, Function<SocketChannel, ChannelHandler>> contexts = new LinkedHashMap<>();
        for (String region : plan.regions()) {
            contexts.put(region, tlsFor(estate, List.of(region), ca, options));
        }
        LabDnsViews dns = LabDnsViews.of(estate, plan);
        if (!dns.ipv6Ambiguities().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "lab: no AAAA records for " + String.join(", ", dns.ipv6Ambiguities())
                    + ": AWS answers them, but on [::1] the lab could not tell which dual-stack front door a client"
                    + " meant (docs/lab.md, \"Dual-stack\")");
        }
        Function<SocketChannel, ChannelHandler> ipv6Tls = dns.servesIpv6() ? tlsFor(estate, plan.regions(), ca, options) : null;
        TlsPolicies.startupWarning(estate).ifPresent(line -> LOG.log(System.Logger.Level.WARNING, "lab: " + line));
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory(THREAD_PREFIX + "-accept", true), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())),
                new DefaultThreadFactory(THREAD_PREFIX, true), NioIoHandler.newFactory());
        try {
            Map<InetAddress, Channel> servers = null;
            Map<InetAddress, ServerBootstrap> bootstraps = new LinkedHashMap<>();
            Map<InetAddress, ChannelGroup> groups = new LinkedHashMap<>();
            int bound = port;
            IOException last = null;
            for (int attempt = 0; attempt < BIND_ATTEMPTS && servers == null; attempt++) {
                Map<InetAddress, Channel> channels = new LinkedHashMap<>();
                int p = port;
                try {
                    Map<InetAddress, Initializer> initializers = new LinkedHashMap<>();
                    for (InetAddress address : plan.frontDoorAddresses()) {
                        FrontDoor door = FrontDoor.at(estate, plan, address).orElseThrow(() ->
                                new IllegalStateException("no front door at " + address.getHostAddress()));
                        initializers.put(address, new Initializer(router, door, null, contexts.get(door.region()),
                                options, faults, groups.computeIfAbsent(address, a -> new DefaultChannelGroup(
                                        GlobalEventExecutor.INSTANCE))));
                    }
                    if (dns.servesIpv6()) {
                        InetAddress v6 = LabDnsViews.IPV6_LOOPBACK;
                        initializers.put(v6, new Initializer(router, null, name -> FrontDoor.named(estate, dns, name),
                                ipv6Tls, options, faults, groups.computeIfAbsent(v6, a -> new DefaultChannelGroup(
                                        GlobalEventExecutor.INSTANCE))));
                    }
                    for (var e : initializers.entrySet()) {
                        InetAddress address = e.getKey();
                        ServerBootstrap b = new ServerBootstrap()
                                .group(acceptors, workers)
                                .channel(NioServerSocketChannel.class)
                                .option(ChannelOption.SO_BACKLOG, 256)
                                .option(ChannelOption.SO_REUSEADDR, true)
                                .childOption(ChannelOption.TCP_NODELAY, true)
                                .childHandler(e.getValue());
                        bootstraps.put(address, b);
                        ChannelFuture f = b.bind(new InetSocketAddress(address, p)).awaitUninterruptibly();
                        if (!f.isSuccess()) {
                            String host = address instanceof java.net.Inet6Address
                                    ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
                            String message = "cannot bind the front door " + host + ":" + p + ": "
                                    + f.cause().getMessage();
                            if (PortTakenException.inUse(f.cause())) {
                                throw new PortTakenException("HTTPS", new InetSocketAddress(address, p), message,
                                        (java.net.BindException) f.cause());
                            }
                            throw new IOException(message, f.cause());
                        }
                        channels.put(address, f.channel());
                        if (p == 0) {
                            p = ((InetSocketAddress) f.channel().localAddress()).getPort();
                        }
                    }
                    servers = channels;
                    bound = p;
                } catch (IOException e) {
                    channels.values().forEach(c -> c.close().awaitUninterruptibly());
                    last = e;
                    if (port != 0) {
                        break;
                    }
                }
            }
            if (servers == null) {
                throw last;
            }
            LabFrontDoors doors = new LabFrontDoors(acceptors, workers, router, new LinkedHashMap<>(servers), bootstraps,
                    groups, plan, faults, bound);
            if (faults != null) {
                faults.onChange(doors::applyFaults);
            }
            return doors;
        } catch (IOException | RuntimeException e) {
            shutdown(acceptors, workers);
            throw e;
        }
    }

    /**
     * The TLS handler maker of the front doors of {@code regions} (one region, or all of them for the IPv6 front door
     * that serves every region): one context per security policy they use, chosen
     * by the client's SNI ({@link SniHandler}; names no API or domain claims get {@code TLS_1_2}), or the
     * {@code TLS_1_2} context alone when the region uses no other policy.
     */
    private static Function<SocketChannel, ChannelHandler> tlsFor(Estate estate, List<String> regions, LabCa ca,
                                                                  Options options) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Map<String, SecurityPolicy> byName = new LinkedHashMap<>();
        for (String region : regions) {
            names.addAll(certificateNames(estate, region));
            byName.putAll(TlsPolicies.byServerName(estate, region));
        }
        Map<SecurityPolicy, SslContext> byPolicy = new EnumMap<>(SecurityPolicy.class);
        Set<SecurityPolicy> policies = new LinkedHashSet<>(byName.values());
        policies.add(TlsPolicies.DEFAULT);
        for (SecurityPolicy p : policies) {
            byPolicy.put(p, ca.serverContext(names, TlsPolicies.protocols(p), TlsPolicies.cipherSuites(p)));
        }
        long timeout = options.headerTimeout().toMillis();
        Optional<Mapping<String, SslContext>> mapping = TlsPolicies.mapping(byName, byPolicy::get);
        if (mapping.isEmpty()) {
            SslContext only = byPolicy.get(TlsPolicies.DEFAULT);
            return ch -> {
                SslHandler tls = only.newHandler(ch.alloc());
                tls.setHandshakeTimeoutMillis(timeout);
                return tls;
            };
        }
        Mapping<String, SslContext> m = mapping.get();
        return ch -> new SniHandler(m, timeout);
    }

    /** Names on the server certificate of {@code region}'s front doors. */
    static Set<String> certificateNames(Estate estate, String region) {
        Set<String> names = new LinkedHashSet<>();
        names.add("*.execute-api." + region + ".amazonaws.com");
        names.add("*.execute-api." + region + ".vpce.amazonaws.com");
        for (Api api : estate.apis()) {
            for (ApiRegion r : api.regions()) {
                if (r.region().equals(region)) {
                    r.customDomains().stream().map(CustomDomain::domain).forEach(names::add);
                }
            }
        }
        for (RoutingDomain d : estate.routingDomains()) {
            if (d.records().stream().anyMatch(r -> r.region().equals(region))) {
                names.add(d.domain());
            }
        }
        return names;
    }

    /**
     * Closes the listening socket (and the open connections) of every address a REGION_OUTAGE or ENDPOINT_DOWN fault
     * now refuses, and listens again on every address no fault refuses any more. Called on every change of the faults.
     */
    public synchronized void applyFaults() {
        if (faults == null || closed.get()) {
            return;
        }
        for (InetAddress address : plan.frontDoorAddresses()) {
            String region = plan.regionOf(address).orElseThrow();
            String vpce = plan.endpointAt(address).orElse(null);
            boolean refuse = faults.refused(region, vpce);
            Channel listening = servers.get(address);
            if (refuse && listening != null) {
                listening.close().awaitUninterruptibly();
                servers.remove(address);
                connections.get(address).close().awaitUninterruptibly();
            } else if (!refuse && listening == null) {
                ChannelFuture f = bootstraps.get(address).bind(new InetSocketAddress(address, port))
                        .awaitUninterruptibly();
                if (f.isSuccess()) {
                    servers.put(address, f.channel());
                } else {
                    LOG.log(System.Logger.Level.WARNING, "lab: cannot listen again on " + address.getHostAddress()
                            + ":" + port + " after a fault: " + f.cause().getMessage());
                }
            }
            if (!refuse && faults.blackholed(region, vpce)) {
                connections.get(address).forEach(c -> c.config().setAutoRead(false));
            }
        }
    }

    /** The HTTPS port of every front door. */
    /** The number of WebSocket connections open at the front doors. */
    public int webSocketConnections() {
        return router.connections().size();
    }

    public int port() {
        return port;
    }

    /** Stops accepting, closes every connection and ends the event-loop threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            servers.values().forEach(c -> c.close().awaitUninterruptibly());
        }
        shutdown(acceptors, workers);
    }

    private static void shutdown(EventLoopGroup acceptors, EventLoopGroup workers) {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        acceptors.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "LabFrontDoors[port=" + port + ", addresses=" + bootstraps.size() + (closed.get() ? ", closed" : "") + "]";
    }

    /** The pipeline of one connection. */
    private static final class Initializer extends ChannelInitializer<SocketChannel> {

        private final RestRouter router;
        private final FrontDoor door;
        private final Function<String, Optional<FrontDoor>> doorByName;
        private final Function<SocketChannel, ChannelHandler> ssl;
        private final Options options;
        private final LabFaults faults;
        private final ChannelGroup group;

        /** At {@code door}, or with {@code door} null on the IPv6 front door, where {@code doorByName} finds it. */
        Initializer(RestRouter router, FrontDoor door, Function<String, Optional<FrontDoor>> doorByName,
                    Function<SocketChannel, ChannelHandler> ssl, Options options, LabFaults faults, ChannelGroup group) {
            this.router = router;
            this.door = door;
            this.doorByName = doorByName;
            this.ssl = ssl;
            this.options = options;
            this.faults = faults;
            this.group = group;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            group.add(ch);
            if (door != null && faults != null && faults.blackholed(door.region(), door.vpcEndpoint())) {
                // a blackhole: the connection is accepted and nothing is ever read or answered
                ch.config().setAutoRead(false);
                ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toNanos(),
                        TimeUnit.NANOSECONDS));
                return;
            }
            RequestDeadline deadline = new RequestDeadline(options.headerTimeout().toNanos());
            ChannelHandler tls = ssl.apply(ch);
            ChannelPipeline p = ch.pipeline();
            p.addLast("idle", new IdleStateHandler(0, 0, options.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
            p.addLast("tls", tls);
            p.addLast("deadline", deadline.beforeCodec());
            p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                    .setMaxInitialLineLength(options.maxHeaderBytes())
                    .setMaxHeaderSize(options.maxHeaderBytes())
                    .setMaxChunkSize(16 * 1024)));
            p.addLast("aggregate", new JsonAggregator(options.maxBodyBytes()));
            p.addLast("complete", deadline.afterAggregator());
            p.addLast("frontDoor", door != null ? new FrontDoorHandler(router, door, deadline, faults)
                    : FrontDoorHandler.byName(router, doorByName, deadline, faults));
        }
    }
}
