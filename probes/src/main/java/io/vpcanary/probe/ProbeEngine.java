package io.vpcanary.probe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.aws.AwsMessages;
import io.vpcanary.estate.Estate;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Sends one request per {@link Target} exactly as a client on that access path would, and reports an
 * {@link Outcome}: status, {@link Phases} measured from OkHttp's {@link okhttp3.EventListener} events, an
 * {@link ErrorClass} and whether the target's expectation was met.
 *
 * <h2>How a probe is sent</h2>
 * <ul>
 *   <li>The URL host is resolved by the resolver of the target's vantage ({@link Resolvers}); TLS is verified against
 *       the configured trust, with SNI and hostname verification for the URL host.</li>
 *   <li>Headers are sent exactly as the target gives them: an explicit {@code Host} is kept (OkHttp then does not
 *       derive one from the URL), so the endpoint-hostname paths send the API's name while the TLS handshake names
 *       the endpoint. The body is sent for methods that allow one.</li>
 *   <li>Every probe runs on a <b>fresh connection</b>: it gets its own connection pool that keeps no idle connection,
 *       so DNS, connect and TLS are measured each time and no probe rides on another's connection (HTTP/2 would
 *       otherwise share one). Retries, fast fallback (parallel connects) and redirects are off: a probe reports the
 *       first answer of the first route. Its TCP socket has {@code TCP_NODELAY}, as curl's and Netty's do
 *       ({@link NoDelaySocketFactory}), so small writes are not held back by Nagle's algorithm.</li>
 *   <li>For a {@link AccessPath#REGIONAL} target, the addresses the host resolved to are compared with those of the
 *       estate's execute-api VPC endpoints in the target's region, as seen from the same vantage. An overlap is a
 *       {@link ErrorClass#DNS_CONFLICT} (private DNS on an endpoint captures public API names), whatever the HTTP
 *       answer was; the request is still sent and its status recorded.</li>
 *   <li>With {@link Builder#auth(AuthMaterial)}, a network interceptor ({@link ProbeAuth}) signs IAM requests with
 *       SigV4 exactly as they are sent, or sets the API's token; {@link #probe(Target, Refusal)} sends the
 *       negative-auth matrix's spoiled variants.</li>
 *   <li>Application interceptors added with {@link Builder#addInterceptor(Interceptor)} (request signing, say) run
 *       before the request is sent; each request carries its {@link Target} as a tag
 *       ({@code request.tag(Target.class)}).</li>
 * </ul>
 * Thread-safe: {@link #probe(Target)} may be called from several threads at once.
 */
public final class ProbeEngine {

    /** Default connect, read and call timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Characters of the body kept in {@link Outcome#bodySnippet()}. */
    public static final int SNIPPET_CHARS = 300;
    /** Bytes of the body read at most (for expectations and the served region). */
    static final long MAX_BODY_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Resolvers resolvers;
    private final OkHttpClient base;
    private final EndpointAddresses endpointAddresses;
    private final ProbeAuth auth;
    private final WebSocketProbe webSockets;

    private ProbeEngine(Builder b) {
        this.resolvers = b.resolvers;
        X509TrustManager trust = b.trustManager != null ? b.trustManager : TrustStores.jdkDefault();
        OkHttpClient.Builder ob = new OkHttpClient.Builder()
                .socketFactory(new NoDelaySocketFactory(b.socketFactory))
                .sslSocketFactory(sslContext(trust).getSocketFactory(), trust)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                .retryOnConnectionFailure(false)
                .fastFallback(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .eventListenerFactory(call -> {
                    PhaseRecorder recorder = call.request().tag(PhaseRecorder.class);
                    return recorder != null ? recorder : okhttp3.EventListener.NONE;
                });
        b.interceptors.forEach(ob::addInterceptor);
        if (b.authMaterial != null) {
            if (b.estate == null) {
                throw new IllegalArgumentException("authentication needs the estate: set it with estate(...)");
            }
            this.auth = new ProbeAuth(b.estate, b.authMaterial);
            ob.addNetworkInterceptor(auth);
        } else {
            this.auth = null;
        }
        this.base = ob.build();
        this.endpointAddresses = b.estate == null ? null : new EndpointAddresses(b.estate);
        this.webSockets = b.estate == null ? null : new WebSocketProbe(this, b.estate, resolvers, b.socketFactory,
                sslContext(trust).getSocketFactory(), auth, base, b.connectTimeout, b.readTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An engine for a running lab: each resolver view of {@code env}, its trust store (or its PEM CA when it has no
     * trust store), and {@code estate} for DNS conflict detection. Probe it with the targets of
     * {@code new TargetPlanner(estate, env.httpsPort())}.
     *
     * @throws IllegalArgumentException when the environment's resolvers or trust store are unusable
     */
    public static ProbeEngine forLab(LabEnvironment env, Estate estate) {
        return labBuilder(env, estate).build();
    }

    /** A builder set up as {@link #forLab(LabEnvironment, Estate)}, to change timeouts or add interceptors. */
    public static Builder labBuilder(LabEnvironment env, Estate estate) {
        Builder b = builder().estate(estate);
        if (env.resolvers() == null || env.resolvers().isEmpty()) {
            throw new IllegalArgumentException("the lab environment names no resolvers");
        }
        b.resolvers(Resolvers.ofViews(env.resolvers()));
        if (env.trustStore() != null) {
            b.trustStore(Path.of(env.trustStore()),
                    env.trustStorePassword() == null ? null : env.trustStorePassword().toCharArray());
        } else if (env.ca() != null) {
            b.trustStore(Path.of(env.ca()), null);
        } else {
            throw new IllegalArgumentException("the lab environment names neither a trust store nor a CA");
        }
        return b;
    }

    private final java.util.Set<io.vpcanary.estate.AuthType> warmedUp =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Sends {@code target}'s request once, untimed and unreported, the first time a target of its authorizer type is
     * warmed up on this engine; later calls for that type do nothing. The first TLS handshake, DNS lookup and HTTP
     * exchange of a fresh JVM load and initialise classes (cryptography above all) for hundreds of milliseconds, and
     * the first SigV4 signature or token header loads the signer's (about 80 ms more, seen between the handshake and
     * the request of the first signed probes); without a warm-up that start-up cost would be reported as the first
     * targets' latency. {@link ProbeRunner} calls it before each run for the first target of each authorizer type.
     */
    public void warmUp(Target target) {
        if (warmedUp.add(target.auth())) {
            probe(target);
        }
    }

    /**
     * The targets as they are checked: a target whose host has both A and AAAA records at its vantage becomes two,
     * over IPv4 and over IPv6 ({@link Target#over}), reported apart, when this host can reach IPv6 addresses
     * ({@link #ipv6Routable}); a host with AAAA records only is checked over IPv6; any other target (no AAAA records, a WebSocket API, a target already given a family, a name that does not
     * resolve) is kept as it is. The lookups here are not timed: each check then asks its own resolver afresh.
     */
    public List<Target> byAddressFamily(List<Target> targets) {
        List<Target> out = new ArrayList<>(targets.size());
        // many checks share a host at a vantage: each name is asked once per family
        java.util.Map<String, List<InetAddress>> asked = new java.util.HashMap<>();
        java.util.function.BiFunction<Target, io.vpcanary.access.AddressFamily, List<InetAddress>> lookup =
                (t, f) -> asked.computeIfAbsent(t.vantage() + "\n" + f + "\n" + t.url().getHost(),
                        k -> lookup(t.vantage(), f, t.url().getHost()));
        for (Target t : targets) {
            if (t.family() != null || t.apiType() == io.vpcanary.estate.ApiType.WEBSOCKET) {
                out.add(t);
                continue;
            }
            List<InetAddress> v6 = lookup.apply(t, io.vpcanary.access.AddressFamily.IPV6);
            if (v6.isEmpty()) {
                out.add(t);
            } else if (lookup.apply(t, io.vpcanary.access.AddressFamily.IPV4).isEmpty()) {
                out.add(t.over(io.vpcanary.access.AddressFamily.IPV6));
            } else if (v6.stream().anyMatch(ProbeEngine::ipv6Routable)) {
                out.add(t.over(io.vpcanary.access.AddressFamily.IPV4));
                out.add(t.over(io.vpcanary.access.AddressFamily.IPV6));
            } else {
                // as getaddrinfo's AI_ADDRCONFIG: a host without IPv6 of its own uses IPv4, and so do its clients
                out.add(t);
            }
        }
        return out;
    }

    private List<InetAddress> lookup(String vantage, io.vpcanary.access.AddressFamily family, String host) {
        try {
            return resolvers.forVantage(vantage, family).lookup(host);
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Whether this host can send to {@code address} over IPv6: the loopback address, or any other when some network
     * interface that is up has an IPv6 address that is neither loopback nor link-local (a Lambda function or
     * container in an IPv4-only subnet has none, and checking a dual-stack name over IPv6 from there would report a
     * failure its real clients, which use IPv4, never see).
     */
    static boolean ipv6Routable(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return true;
        }
        try {
            var nics = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces());
            for (java.net.NetworkInterface nic : nics) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress own : java.util.Collections.list(nic.getInetAddresses())) {
                    if (own instanceof java.net.Inet6Address && !own.isLinkLocalAddress() && !own.isLoopbackAddress()) {
                        return true;
                    }
                }
            }
        } catch (java.net.SocketException e) {
            return false;
        }
        return false;
    }

    /** The resolvers this engine uses. */
    public Resolvers resolvers() {
        return resolvers;
    }

    /** The authenticator set with {@link Builder#auth(AuthMaterial)}, if any. */
    public Optional<ProbeAuth> auth() {
        return Optional.ofNullable(auth);
    }

    /**
     * Probes {@code target} once on a fresh connection. Never throws for a failed request: the failure is in the
     * outcome.
     *
     * @throws IllegalArgumentException when no resolver is known for the target's vantage
     */
    public Outcome probe(Target target) {
        return probe(target, null);
    }

    /**
     * Probes {@code target} as {@link #probe(Target)}, but with its credentials spoiled as {@code refusal} says (see
     * {@link ProbeAuth}); {@code null} probes normally. For a refusal, any 2xx answer is
     * {@link ErrorClass#AUTH_NOT_ENFORCED}, and a 403 the classifier would call {@link ErrorClass#FORBIDDEN} (an
     * authorizer's {@code {"message":"Forbidden"}}, as for a missing scope) counts as {@link ErrorClass#AUTH_DENIED}.
     * {@link AuthMatrix} builds the targets of refusals.
     */
    public Outcome probe(Target target, Refusal refusal) {
        Dns dns = resolvers.forVantage(target.vantage(), target.family());
        Redactor redactor = Redactor.forHeaders(target.headers())
                .with(auth == null ? List.of() : auth.secretsFor(target));
        if (target.apiType() == io.vpcanary.estate.ApiType.WEBSOCKET) {
            if (webSockets == null) {
                throw new IllegalArgumentException("probing a WebSocket API needs the estate: set it with estate(...)");
            }
            try {
                return webSockets.probe(target, refusal, redactor);
            } catch (IllegalArgumentException e) {
                Verdict v = Verdict.judge(target.expect(), null, ErrorClass.PROTOCOL,
                        "the $connect cannot be built: " + e.getMessage(), null, 0.0, null);
                return outcome(target, null, v, new Phases(null, null, null, null, 0.0), null, List.of(), null, null,
                        null, redactor, null);
            }
        }
        PhaseRecorder recorder = new PhaseRecorder();
        ConnectionPool pool = new ConnectionPool(0, 1, TimeUnit.SECONDS);
        OkHttpClient client = base.newBuilder().dns(dns).connectionPool(pool).build();

        Request request;
        try {
            request = request(target, recorder, refusal);
        } catch (IllegalArgumentException e) {
            Verdict v = Verdict.judge(target.expect(), null, ErrorClass.PROTOCOL,
                    "the request cannot be built: " + e.getMessage(), null, 0.0, null);
            return outcome(target, null, v, new Phases(null, null, null, null, 0.0), null, List.of(), null, null,
                    null, redactor, null);
        }

        Integer status = null;
        String errorType = null;
        String requestId = null;
        String body = null;
        IOException failure = null;
        StreamTimings.Clock streamClock = null;
        Call call = client.newCall(request);
        try (Response response = call.execute()) {
            status = response.code();
            errorType = response.header(Classifier.ERROR_TYPE_HEADER);
            requestId = requestId(response);
            if (response.body().contentLength() < 0) {
                streamClock = new StreamTimings.Clock(recorder.requestHeadersStartNanos());
            }
            body = readBody(response.body(), streamClock);
        } catch (IOException e) {
            failure = e;
        } finally {
            pool.evictAll();
        }
        StreamTimings stream = streamClock == null ? null : streamClock.timings();
        Phases phases = recorder.phases();
        List<InetAddress> resolved = recorder.resolvedAddresses();

        String conflict = dnsConflict(target, resolved, dns);
        Classifier.Classification c = classify(target, refusal, status, errorType, body, failure, conflict);
        ErrorClass observed = c.errorClass();
        String detail = c.detail();
        if (refusal != null && status != null && status >= 200 && status <= 299) {
            observed = ErrorClass.AUTH_NOT_ENFORCED;
            detail = "HTTP " + status + " to a request with " + refusal.label() + ": API '" + target.api()
                    + "' does not enforce its " + target.auth() + " authorizer (security finding)";
        }
        Verdict verdict = Verdict.judge(target.expect(), status, observed, detail, body, phases.totalMs(),
                recorder.tlsVersion());
        return outcome(target, status, verdict, phases, recorder, resolved, body, requestId, servedRegion(body),
                redactor, stream);
    }

    /**
     * The probe's classification of one answer or failure ({@link Classifier#classify}): a DNS failure names the
     * vantage's resolver, and under a {@link Refusal} a plain 403 {@code Forbidden} counts as {@link ErrorClass#AUTH_DENIED}.
     */
    Classifier.Classification classify(Target target, Refusal refusal, Integer status, String errorType, String body,
                                       IOException failure, String conflict) {
        Classifier.Classification c = Classifier.classify(target.auth(), status, errorType, body, failure, conflict);
        ErrorClass observed = c.errorClass();
        String detail = c.detail();
        if (observed == ErrorClass.DNS_FAILURE) {
            detail = detail + " (resolver of " + target.vantage() + ": " + resolvers.describe(target.vantage()) + ")";
        }
        if (refusal != null && observed == ErrorClass.FORBIDDEN) {
            observed = ErrorClass.AUTH_DENIED;
        }
        return new Classifier.Classification(observed, detail);
    }

    /**
     * For a {@link AccessPath#REGIONAL} target whose host resolved (with {@code dns}, the vantage's resolver) to an
     * address of one of the estate's execute-api VPC endpoints in its region: what the conflict is, for
     * {@link ErrorClass#DNS_CONFLICT}; null otherwise.
     */
    String dnsConflict(Target target, List<InetAddress> resolved, Dns dns) {
        if (target.accessPath() != AccessPath.REGIONAL || endpointAddresses == null
                || target.family() == io.vpcanary.access.AddressFamily.IPV6) {
            // over IPv6 the lab's doors share ::1; private DNS captures a name for both versions, and the IPv4 check of
            // the same name reports the capture
            return null;
        }
        Optional<EndpointAddresses.Match> m =
                endpointAddresses.firstConflict(resolved, target.region(), target.vantage(), dns);
        return m.map(match -> target.url().getHost() + " resolved to " + match.address().getHostAddress()
                + ", an address of execute-api VPC endpoint " + match.endpoint().id() + " ("
                + match.dnsName() + ") seen from " + target.vantage()
                + ": private DNS captures this regional API's name").orElse(null);
    }

    /** The outcome; {@code handshake} gives what the TLS handshake showed, null when none was attempted. */
    private static Outcome outcome(Target target, Integer status, Verdict v, Phases phases,
                                   PhaseRecorder handshake, List<InetAddress> resolved, String body,
                                   String requestId, String servedRegion, Redactor redactor, StreamTimings stream) {
        List<String> addresses = new ArrayList<>();
        resolved.forEach(a -> addresses.add(a.getHostAddress()));
        String snippet = v.passed() || body == null ? null
                : redactor.redact(body.length() > SNIPPET_CHARS ? body.substring(0, SNIPPET_CHARS) : body);
        return new Outcome(target, status, v.errorClass(), v.passed(), phases,
                handshake == null ? null : handshake.certificateNotAfter(),
                handshake == null ? null : handshake.tlsVersion(), handshake == null ? null : handshake.cipherSuite(),
                addresses, servedRegion, requestId, redactor.redact(v.message()), snippet, stream, null);
    }

    private static Request request(Target target, PhaseRecorder recorder, Refusal refusal) {
        HttpUrl url = HttpUrl.get(target.url().toString());
        Request.Builder rb = new Request.Builder().url(url);
        String contentType = null;
        for (var h : target.headers().entrySet()) {
            rb.header(h.getKey(), h.getValue());
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = h.getValue();
            }
        }
        String method = target.method() == null ? "GET" : target.method();
        RequestBody body = null;
        boolean permitsBody = !method.equals("GET") && !method.equals("HEAD");
        boolean requiresBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        if (permitsBody && (target.body() != null || requiresBody)) {
            byte[] bytes = target.body() == null ? new byte[0] : target.body().getBytes(StandardCharsets.UTF_8);
            body = RequestBody.create(bytes, contentType == null ? null : MediaType.parse(contentType));
        }
        rb.method(method, body);
        rb.tag(PhaseRecorder.class, recorder);
        rb.tag(Target.class, target);
        if (refusal != null) {
            rb.tag(Refusal.class, refusal);
        }
        return rb.build();
    }

    private static String requestId(Response response) {
        String id = response.header(AwsMessages.get("rest.requestIdHeader"));
        return id != null ? id : response.header(AwsMessages.get("http.requestIdHeader"));
    }

    /**
     * Reads at most {@link #MAX_BODY_BYTES} of the body as UTF-8. A streamed body ({@code clock} not null) is read to
     * its end as it arrives, each read timed, keeping its first {@link #MAX_BODY_BYTES}.
     */
    private static String readBody(ResponseBody body, StreamTimings.Clock clock) throws IOException {
        BufferedSource source = body.source();
        if (clock == null) {
            source.request(MAX_BODY_BYTES);
            long n = Math.min(source.getBuffer().size(), MAX_BODY_BYTES);
            return source.getBuffer().readString(n, StandardCharsets.UTF_8);
        }
        okio.Buffer kept = new okio.Buffer();
        okio.Buffer read = new okio.Buffer();
        long n;
        while ((n = source.read(read, 8192)) != -1) {
            clock.arrived(n);
            long keep = Math.min(n, MAX_BODY_BYTES - kept.size());
            if (keep > 0) {
                kept.write(read, keep);
            }
            read.clear();
        }
        clock.ended();
        return kept.readString(StandardCharsets.UTF_8);
    }

    /** The {@code region} field of a JSON object body, or null. */
    public static String servedRegion(String body) {
        return textField(body, "region");
    }

    /**
     * The API and stage an answer says served it, {@code api/stage}, from its JSON fields {@code api} and
     * {@code stage} (the lab's simulated integration writes both); null when it does not say.
     */
    public static String servedBy(String body) {
        JsonNode answer = jsonObject(body);
        String api = text(answer, "api");
        String stage = text(answer, "stage");
        return api != null && stage != null ? api + "/" + stage : null;
    }

    /** The text field {@code name} of a JSON object {@code body}, or null (no object, no such text field). */
    static String textField(String body, String name) {
        // Streamed rather than read into a tree (a load run reads the served region of every answer), with the tree's
        // answers: null unless body is one well-formed JSON object; the last of duplicate fields wins; only a top-level
        // text value counts.
        if (body == null || !body.stripLeading().startsWith("{")) {
            return null;
        }
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            p.nextToken();
            String found = null;
            JsonToken t = p.nextToken();
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                boolean wanted = name.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted) {
                    found = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return t == JsonToken.END_OBJECT ? found : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code body} parsed when it is a JSON object, else null. */
    private static JsonNode jsonObject(String body) {
        if (body == null || !body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode field = node == null ? null : node.get(name);
        return field != null && field.isTextual() ? field.asText() : null;
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /** Builds a {@link ProbeEngine}. Defaults: system resolver, JDK trust store, 10 s timeouts, no estate. */
    public static final class Builder {
        private Resolvers resolvers = Resolvers.system();
        private X509TrustManager trustManager;
        private Duration connectTimeout = DEFAULT_TIMEOUT;
        private Duration readTimeout = DEFAULT_TIMEOUT;
        private Duration callTimeout = DEFAULT_TIMEOUT;
        private Estate estate;
        private final List<Interceptor> interceptors = new ArrayList<>();
        private AuthMaterial authMaterial;
        private SocketFactory socketFactory = SocketFactory.getDefault();

        private Builder() {
        }

        public Builder resolvers(Resolvers resolvers) {
            this.resolvers = Objects.requireNonNull(resolvers, "resolvers");
            return this;
        }

        /** Verify servers with {@code trustManager}. */
        public Builder trust(X509TrustManager trustManager) {
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
            return this;
        }

        /**
         * Verify servers against the CAs in {@code file}: PKCS12 or JKS opened with {@code password}, or PEM
         * (password ignored). See {@link TrustStores#fromFile(Path, char[])}.
         */
        public Builder trustStore(Path file, char[] password) {
            return trust(TrustStores.fromFile(file, password));
        }

        /** Verify servers against the JDK's default trust store (the default). */
        public Builder jdkTrust() {
            this.trustManager = null;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout);
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout);
            return this;
        }

        /** Limit on the whole call: DNS, connect, TLS, request and response body. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout);
            return this;
        }

        /** Sets the connect, read and call timeouts at once. */
        public Builder timeout(Duration timeout) {
            return connectTimeout(timeout).readTimeout(timeout).callTimeout(timeout);
        }

        /** The estate probed: its execute-api VPC endpoints are used to detect DNS conflicts. */
        public Builder estate(Estate estate) {
            this.estate = estate;
            return this;
        }

        /** An application interceptor run on every probe request (request signing, say). */
        public Builder addInterceptor(Interceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Authenticate probes to APIs with auth as {@link ProbeAuth} describes, with credentials from
         * {@code material}; needs {@link #estate(Estate)}. Without it, probes go out unauthenticated.
         */
        public Builder auth(AuthMaterial material) {
            this.authMaterial = material;
            return this;
        }

        /**
         * Where the probe's TCP sockets come from (default: the JDK's plain {@link SocketFactory}); every socket gets
         * {@code TCP_NODELAY} before it connects, as {@link NoDelaySocketFactory} explains.
         */
        public Builder socketFactory(SocketFactory socketFactory) {
            this.socketFactory = Objects.requireNonNull(socketFactory, "socketFactory");
            return this;
        }

        public ProbeEngine build() {
            return new ProbeEngine(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }
    }
}
