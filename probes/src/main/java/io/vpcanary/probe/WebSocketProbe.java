package io.vpcanary.probe;

import io.vpcanary.access.Target;
import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.WebSocketCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The probe of a WebSocket API target, on Java-WebSocket over a socket the probe opens itself, so that DNS (the
 * target's vantage resolver), trust (the engine's), the TLS server name and the phase timings are the core's: see
 * {@code docs/decisions/0006-websocket-probe-on-java-websocket.md}.
 *
 * <h2>What one probe does</h2>
 * <ol>
 *   <li>Resolves the URL host with the vantage's resolver ({@code dnsMs}); a {@code REGIONAL} target whose name
 *       resolves to one of the estate's execute-api VPC endpoints is a {@link ErrorClass#DNS_CONFLICT}, as for HTTP.</li>
 *   <li>Connects to the first address ({@code connectMs}, {@code TCP_NODELAY}) and completes TLS with the host as SNI
 *       and verified name ({@code tlsMs}).</li>
 *   <li>Sends the upgrade ({@code $connect}): for an IAM API presigned with SigV4 by {@link ProbeAuth} (or spoiled as
 *       the {@link Refusal} says); {@code ttfbMs} is the upgrade, from sending the request to its answer. A refused
 *       upgrade is classified by {@link Classifier} from its status, {@code x-amzn-ErrorType} and body, exactly as an
 *       HTTP answer (AUTH_DENIED, FORBIDDEN, POLICY_DENIED, THROTTLED, ...).</li>
 *   <li>With {@code webSocket.push}: sends {@code {"action": connectionIdRoute}} and reads its connection id.</li>
 *   <li>Sends {@code webSocket.messages} messages {@code {"action": route, "data": message}} one after another (in
 *       frames of at most {@value #FRAME_BYTES} bytes, API Gateway's frame limit), each timed to its reply.</li>
 *   <li>With {@code push}: posts to {@code @connections/{id}} (SigV4, the API's region) and times, on the probe's one
 *       clock, from sending that request to the pushed message's arrival.</li>
 *   <li>Closes with 1000 and waits for the server's close; {@code totalMs} spans everything.</li>
 * </ol>
 * A server close other than 1000 is {@link ErrorClass#MESSAGE_TOO_BIG} (1009) or {@link ErrorClass#CLOSED_ABNORMALLY};
 * a reply or push later than the read timeout is {@link ErrorClass#MESSAGE_TIMEOUT}; a reply without
 * {@code expectReply} is {@link ErrorClass#ASSERTION}. Thread-safe: each probe has its own socket and client.
 */
final class WebSocketProbe {

    /** Largest frame the probe sends: API Gateway's frame limit (a larger message goes in several frames). */
    static final int FRAME_BYTES = 32 * 1024;
    /** How long a presigned {@code $connect} URL is valid. */
    static final Duration PRESIGN_FOR = Duration.ofMinutes(5);

    private final Estate estate;
    private final Resolvers resolvers;
    private final SocketFactory sockets;
    private final SSLSocketFactory tls;
    private final ProbeAuth auth;
    private final OkHttpClient http;
    private final int connectTimeoutMs;
    private final long readTimeoutMs;
    private final ProbeEngine engine;

    WebSocketProbe(ProbeEngine engine, Estate estate, Resolvers resolvers, SocketFactory sockets, SSLSocketFactory tls,
                   ProbeAuth auth, OkHttpClient http, Duration connectTimeout, Duration readTimeout) {
        this.engine = engine;
        this.estate = estate;
        this.resolvers = resolvers;
        this.sockets = sockets;
        this.tls = tls;
        this.auth = auth;
        this.http = http;
        this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMs = readTimeout.toMillis();
    }

    /** One probe of {@code target} (a WEBSOCKET API's), spoiled as {@code refusal} says when not null. */
    Outcome probe(Target target, Refusal refusal, Redactor redactor) {
        long start = System.nanoTime();
        Dns dns = resolvers.forVantage(target.vantage());
        URI url = target.url();
        String host = url.getHost();
        int port = url.getPort() < 0 ? 443 : url.getPort();
        long dnsEnd = 0;
        long connectEnd = 0;
        long tlsEnd = 0;
        List<InetAddress> resolved = List.of();
        SSLSocket socket = null;
        IOException failure = null;
        try {
            resolved = dns.lookup(host);
            dnsEnd = System.nanoTime();
            Socket plain = sockets.createSocket();
            plain.setTcpNoDelay(true);
            try {
                plain.connect(new InetSocketAddress(resolved.getFirst(), port), connectTimeoutMs);
            } catch (IOException e) {
                plain.close();
                throw e;
            }
            connectEnd = System.nanoTime();
            socket = (SSLSocket) tls.createSocket(plain, host, port, true);
            SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(p);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, readTimeoutMs));
            socket.startHandshake();
            tlsEnd = System.nanoTime();
        } catch (IOException e) {
            failure = e;
            long now = System.nanoTime();
            if (dnsEnd == 0) {
                dnsEnd = now;
            } else if (connectEnd == 0) {
                connectEnd = now;
            } else {
                tlsEnd = now;
            }
            closeQuietly(socket);
        }
        String conflict = resolved.isEmpty() ? null : engine.dnsConflict(target, resolved, dns);
        Handshake handshake = tlsEnd == 0 || failure != null ? null : Handshake.of(socket.getSession());
        if (failure != null) {
            Phases phases = new Phases(Phases.millis(start, dnsEnd), Phases.millis(dnsEnd, connectEnd),
                    Phases.millis(connectEnd, tlsEnd), null, Phases.millis(start, System.nanoTime()));
            return refusedOrFailed(target, refusal, redactor, null, null, null, failure, conflict, phases, resolved,
                    handshake);
        }

        Session session = new Session(signedUri(target, refusal), target.headers());
        session.setSocket(socket);
        session.setConnectionLostTimeout(0);
        long upgradeStart = System.nanoTime();
        boolean opened;
        try {
            opened = session.connectBlocking(readTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opened = false;
        }
        long upgradeEnd = System.nanoTime();
        if (!opened) {
            session.close();
            closeQuietly(socket);
            RawAnswer answer = RawAnswer.parse(session.draft.raw);
            IOException cause = answer.status() != null ? null
                    : session.error != null ? new IOException(session.error.getMessage(), session.error)
                    : new SocketTimeoutException("no answer to the WebSocket upgrade within " + readTimeoutMs + " ms");
            Phases phases = new Phases(Phases.millis(start, dnsEnd), Phases.millis(dnsEnd, connectEnd),
                    Phases.millis(connectEnd, tlsEnd), answer.status() == null ? null
                    : Phases.millis(upgradeStart, upgradeEnd), Phases.millis(start, System.nanoTime()));
            return refusedOrFailed(target, refusal, redactor, answer.status(), answer.errorType(), answer.body(),
                    cause, conflict, phases, resolved, handshake);
        }

        Exchange x = refusal != null ? new Exchange() : exchange(target, session);
        if (!x.closedByServer) {
            session.close(1000);
            Event closed = session.awaitClose(readTimeoutMs);
            if (closed instanceof Closed c && x.observed == null) {
                x.closeCode = c.code;
                x.closeReason = c.reason;
                classifyClose(x, c);
            }
        }
        closeQuietly(socket);
        long end = System.nanoTime();
        Phases phases = new Phases(Phases.millis(start, dnsEnd), Phases.millis(dnsEnd, connectEnd),
                Phases.millis(connectEnd, tlsEnd), Phases.millis(upgradeStart, upgradeEnd), Phases.millis(start, end));
        ErrorClass observed = conflict != null ? ErrorClass.DNS_CONFLICT : x.observed;
        String detail = conflict != null ? conflict : x.detail;
        if (refusal != null) {
            observed = ErrorClass.AUTH_NOT_ENFORCED;
            detail = "101 Switching Protocols to a $connect with " + refusal.label() + ": API '" + target.api()
                    + "' does not enforce its " + target.auth() + " authorizer (security finding)";
        }
        Verdict v = Verdict.judgeUpgrade(target.expect(), 101, observed, detail, x.firstReply, phases.totalMs(),
                handshake.version);
        WebSocketExchange exchange = new WebSocketExchange(x.connectionId, x.roundTrips, x.pushMs, x.closeCode,
                x.closeReason);
        return new Outcome(target, 101, v.errorClass(), v.passed(), phases, handshake.notAfter, handshake.version,
                handshake.cipher, addresses(resolved), null, null, redactor.redact(v.message()),
                v.passed() || x.firstReply == null ? null : redactor.redact(snippet(x.firstReply)), null, exchange);
    }

    /** The outcome of a probe whose upgrade got no 101: refused with an HTTP answer, or failed below it. */
    private Outcome refusedOrFailed(Target target, Refusal refusal, Redactor redactor, Integer status, String errorType,
                                    String body, IOException failure, String conflict, Phases phases,
                                    List<InetAddress> resolved, Handshake handshake) {
        Classifier.Classification c = engine.classify(target, refusal, status, errorType, body, failure, conflict);
        Verdict v = Verdict.judgeUpgrade(target.expect(), status, c.errorClass(), c.detail(), body, phases.totalMs(),
                handshake == null ? null : handshake.version);
        return new Outcome(target, status, v.errorClass(), v.passed(), phases,
                handshake == null ? null : handshake.notAfter, handshake == null ? null : handshake.version,
                handshake == null ? null : handshake.cipher, addresses(resolved), null, null,
                redactor.redact(v.message()), v.passed() || body == null ? null : redactor.redact(snippet(body)));
    }

    /** What the probe saw after the upgrade. */
    private static final class Exchange {
        String connectionId;
        final List<Double> roundTrips = new ArrayList<>();
        Double pushMs;
        Integer closeCode;
        String closeReason;
        boolean closedByServer;
        ErrorClass observed;
        String detail;
        String firstReply;
    }

    private Exchange exchange(Target target, Session session) {
        Exchange x = new Exchange();
        Api api = estate.api(target.api()).orElse(null);
        WebSocketCheck spec = WebSocketCheck.of(estate, target.api(), target.check());
        if (spec.push()) {
            session.sendText(WebSocketCheck.routeMessage(api, spec.connectionIdRoute(), null, null));
            Event e = session.awaitMessage(readTimeoutMs);
            if (!(e instanceof Message m)) {
                ended(x, e, "the reply of route " + spec.connectionIdRoute() + " (the connection id)");
                return x;
            }
            x.connectionId = ProbeEngine.textField(m.text, "connectionId");
            if (x.connectionId == null) {
                x.observed = ErrorClass.ASSERTION;
                x.detail = "route " + spec.connectionIdRoute() + " answered without a connectionId: "
                        + snippet(m.text);
                return x;
            }
        }
        for (int i = 0; i < spec.messages(); i++) {
            String text = spec.messageText(api);
            long sent = System.nanoTime();
            session.sendFramed(text);
            Event e = session.awaitMessage(readTimeoutMs);
            if (!(e instanceof Message m)) {
                ended(x, e, "the reply to message " + (i + 1) + " of " + spec.messages());
                return x;
            }
            x.roundTrips.add(Phases.millis(sent, m.at));
            if (x.firstReply == null) {
                x.firstReply = m.text;
            }
            if (spec.expectReply() != null && !m.text.contains(spec.expectReply()) && x.observed == null) {
                x.observed = ErrorClass.ASSERTION;
                x.detail = "reply " + (i + 1) + " does not contain '" + spec.expectReply() + "': " + snippet(m.text);
            }
        }
        if (spec.push() && x.observed == null) {
            push(target, session, x);
        }
        return x;
    }

    /** Posts to {@code @connections/{id}} and waits for the pushed text on the connection. */
    private void push(Target target, Session session, Exchange x) {
        if (auth == null) {
            x.observed = ErrorClass.PROTOCOL;
            x.detail = "a push needs AWS credentials to sign the @connections call; none were given";
            return;
        }
        String text = "vpcanary-push-" + HexFormat.of().formatHex(randomBytes(6));
        URI url = target.url();
        String port = url.getPort() < 0 || url.getPort() == 443 ? "" : ":" + url.getPort();
        String stage = io.vpcanary.estate.Api.DEFAULT_STAGE.equals(target.stage()) ? "" : "/" + target.stage();
        String management = "https://" + target.apiId() + ".execute-api." + target.region() + ".amazonaws.com" + port
                + stage + "/@connections/" + URLEncoder.encode(x.connectionId, StandardCharsets.UTF_8);
        OkHttpClient client = http.newBuilder().dns(resolvers.forVantage(target.vantage()))
                .addNetworkInterceptor(new SigV4Interceptor(auth.signer(target.region()))).build();
        Request post = new Request.Builder().url(management)
                .post(RequestBody.create(text, MediaType.get("text/plain; charset=utf-8"))).build();
        long sent = System.nanoTime();
        try (Response r = client.newCall(post).execute()) {
            if (r.code() != 200) {
                x.observed = ErrorClass.ASSERTION;
                x.detail = "POST @connections/" + x.connectionId + " answered " + r.code()
                        + (r.header(Classifier.ERROR_TYPE_HEADER) == null ? "" : " "
                        + r.header(Classifier.ERROR_TYPE_HEADER));
                return;
            }
        } catch (IOException e) {
            x.observed = Classifier.ofFailure(e);
            x.detail = "POST @connections/" + x.connectionId + " failed: " + e.getMessage();
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(readTimeoutMs);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Event e = left <= 0 ? null : session.awaitMessage(left);
            if (!(e instanceof Message m)) {
                ended(x, e, "the push through @connections");
                return;
            }
            if (m.text.equals(text)) {
                x.pushMs = Phases.millis(sent, m.at);
                return;
            }
        }
    }

    /** Records why no message came: the server closed, or the wait timed out. */
    private void ended(Exchange x, Event e, String awaited) {
        if (e instanceof Closed c) {
            x.closedByServer = true;
            x.closeCode = c.code;
            x.closeReason = c.reason;
            if (!classifyClose(x, c)) {
                x.observed = ErrorClass.CLOSED_ABNORMALLY;
                x.detail = "closed with 1000 before " + awaited;
            }
        } else {
            x.observed = ErrorClass.MESSAGE_TIMEOUT;
            x.detail = "no " + awaited + " within " + readTimeoutMs + " ms";
        }
    }

    /** Classifies a close that is not 1000; false for a clean close. */
    private static boolean classifyClose(Exchange x, Closed c) {
        if (c.code == 1000) {
            return false;
        }
        x.observed = c.code == 1009 ? ErrorClass.MESSAGE_TOO_BIG : ErrorClass.CLOSED_ABNORMALLY;
        x.detail = "closed with " + c.code + (c.reason == null || c.reason.isEmpty() ? "" : " (" + c.reason + ")");
        return true;
    }

    /** The URI the upgrade opens: the target's, presigned for IAM (spoiled as {@code refusal} says). */
    private URI signedUri(Target target, Refusal refusal) {
        return auth == null ? target.url() : auth.presign(target, refusal, PRESIGN_FOR);
    }

    private static String snippet(String s) {
        return s.length() > ProbeEngine.SNIPPET_CHARS ? s.substring(0, ProbeEngine.SNIPPET_CHARS) : s;
    }

    private static List<String> addresses(List<InetAddress> resolved) {
        return resolved.stream().map(InetAddress::getHostAddress).toList();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    /** What a completed TLS handshake showed. */
    private record Handshake(String version, String cipher, Instant notAfter) {
        static Handshake of(SSLSession s) {
            Instant notAfter = null;
            try {
                if (s.getPeerCertificates().length > 0 && s.getPeerCertificates()[0] instanceof X509Certificate x) {
                    notAfter = x.getNotAfter().toInstant();
                }
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no certificate to report
            }
            return new Handshake(s.getProtocol(), s.getCipherSuite(), notAfter);
        }
    }

    /** The status, error type and body of a refused upgrade, from the raw bytes of its answer. */
    record RawAnswer(Integer status, String errorType, String body) {
        static RawAnswer parse(String raw) {
            if (raw == null || !raw.startsWith("HTTP/")) {
                return new RawAnswer(null, null, null);
            }
            int headEnd = raw.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? raw : raw.substring(0, headEnd);
            String body = headEnd < 0 ? null : raw.substring(headEnd + 4);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            Integer status;
            try {
                status = statusLine.length < 2 ? null : Integer.valueOf(statusLine[1]);
            } catch (NumberFormatException e) {
                status = null;
            }
            String errorType = null;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT)
                        .equals(Classifier.ERROR_TYPE_HEADER.toLowerCase(Locale.ROOT))) {
                    errorType = lines[i].substring(colon + 1).trim();
                }
            }
            return new RawAnswer(status, errorType, body);
        }
    }

    /** Events of one connection, as the probe waits for them. */
    private sealed interface Event permits Message, Closed {
    }

    private record Message(String text, long at) implements Event {
    }

    private record Closed(int code, String reason) implements Event {
    }

    /**
     * Java-WebSocket's draft with one addition: it keeps the raw bytes of the upgrade's answer, which the library
     * otherwise reduces to an exception naming only the status line (a refused upgrade is classified from its
     * {@code x-amzn-ErrorType} and body, as an HTTP answer is).
     */
    private static final class CapturingDraft extends Draft_6455 {
        volatile String raw;

        @Override
        public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
            ByteBuffer copy = buf.duplicate();
            byte[] bytes = new byte[Math.min(copy.remaining(), 64 * 1024)];
            copy.get(bytes);
            raw = new String(bytes, StandardCharsets.ISO_8859_1);
            return super.translateHandshake(buf);
        }

        @Override
        public Draft copyInstance() {
            return this; // one connection per draft: the client's copy is this one, so the probe sees what it kept
        }
    }

    /** One connection: the events queue in arrival order, each message stamped with its arrival time. */
    private static final class Session extends WebSocketClient {
        final CapturingDraft draft;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        volatile Exception error;

        Session(URI uri, Map<String, String> headers) {
            this(uri, headers, new CapturingDraft());
        }

        private Session(URI uri, Map<String, String> headers, CapturingDraft draft) {
            super(uri, draft, headers.isEmpty() ? null : headers, 0);
            this.draft = draft;
        }

        void sendText(String text) {
            send(text);
        }

        /** Sends {@code text} as one message in frames of at most {@value #FRAME_BYTES} bytes. */
        void sendFramed(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= FRAME_BYTES) {
                send(text);
                return;
            }
            for (int off = 0; off < bytes.length; off += FRAME_BYTES) {
                int n = Math.min(FRAME_BYTES, bytes.length - off);
                sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, off, n), off + n >= bytes.length);
            }
        }

        Event awaitMessage(long timeoutMs) {
            try {
                return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        Event awaitClose(long timeoutMs) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Event e = left <= 0 ? null : awaitMessage(left);
                if (e == null || e instanceof Closed) {
                    return e;
                }
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            events.add(new Message(message, System.nanoTime()));
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            events.add(new Message(StandardCharsets.UTF_8.decode(bytes).toString(), System.nanoTime()));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            events.add(new Closed(code, reason));
        }

        @Override
        public void onError(Exception ex) {
            error = ex;
        }
    }
}
