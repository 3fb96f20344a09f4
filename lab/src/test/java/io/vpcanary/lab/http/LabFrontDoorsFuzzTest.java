package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.tls.LabCa;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front doors under hostile input over real TLS: thousands of seeded random and malformed requests, oversized
 * headers, bodies and request lines, slow senders, plaintext on the TLS port. After all of it a valid request is
 * served, and threads and heap are back where they were.
 */
class LabFrontDoorsFuzzTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    /** A read that waits this long means the server neither answered nor closed in time. */
    private static final int READ_TIMEOUT_MS = (int) HEADER_TIMEOUT.toMillis() + 4_000;
    private static final int MAX_HEADER = 4_096;
    private static final int MAX_BODY = 8_192;
    private static final String HOST = "ordrseast1.execute-api.us-east-1.amazonaws.com";
    private static final Set<Integer> STATUSES = Set.of(200, 400, 403, 413, 414, 431);

    @TempDir
    static Path state;

    static Estate estate;
    static LabAddressPlan plan;
    static LabCa ca;
    static LabFrontDoors doors;
    static SSLContext tls;
    static InetAddress endpoint;

    @BeforeAll
    static void start() throws Exception {
        estate = EstateLoader.demo();
        plan = LabAddressPlan.of(estate);
        ca = LabCa.loadOrCreate(state);
        doors = LabFrontDoors.start(estate, plan, ca, 0,
                new LabFrontDoors.Options(HEADER_TIMEOUT, Duration.ofSeconds(5), MAX_HEADER, MAX_BODY, 1L));
        tls = LabClients.sslContext(ca);
        endpoint = plan.endpointAddresses("vpce-0e1a00000000000a1").get(0);
    }

    @AfterAll
    static void stop() {
        if (doors != null) {
            doors.close();
        }
    }

    private static RawTls connect() throws IOException {
        return RawTls.connect(tls, endpoint, doors.port(), HOST, READ_TIMEOUT_MS);
    }

    private static String valid(String method, String path, String extra) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + doors.port() + "\r\n" + extra + "\r\n";
    }

    @Test
    void thousandsOfRandomRequestsLeaveTheServerServingWithThreadsAndHeapBack() throws Exception {
        OkHttpClient client = LabClients.client(ca, LabClients.view(estate, plan, "canary-east")).build();
        String url = "https://" + HOST + ":" + doors.port() + "/prod/orders";
        assertThat(get(client, url)).isEqualTo(200);
        int threadsBefore = liveThreads();
        long heapBefore = usedHeapAfterGc();

        Random random = new Random(20261123L);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        int sent = 0;
        int answered = 0;
        int closedByServer = 0;
        int connections = 0;
        RawTls conn = null;
        java.util.Map<String, Long> slow = new java.util.TreeMap<>();
        for (int i = 0; i < 2_000 && System.nanoTime() < deadline; i++) {
            if (conn == null) {
                conn = RawTls.connect(tls, endpoint, doors.port(), HOST, READ_TIMEOUT_MS, true);
                connections++;
            }
            Fuzz f = fuzz(random);
            long t0 = System.nanoTime();
            try {
                conn.write(f.bytes());
                sent++;
                RawTls.RawResponse r = conn.read(f.head());
                if (r == null) {
                    closedByServer++;
                    conn.close();
                    conn = null;
                    continue;
                }
                answered++;
                assertThat(r.status()).as("request %d: %s", i, f.describe()).isIn(STATUSES);
                assertThat(r.headers().get("content-type")).startsWith("application/json");
                assertThat(r.headers().get("x-amzn-requestid")).isNotBlank();
                if (r.closes() || r.status() != 200 && r.status() != 403) {
                    conn.close();
                    conn = null;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("request " + i + " neither answered nor closed within "
                        + READ_TIMEOUT_MS + " ms: " + f.describe(), e);
            } catch (java.net.ProtocolException e) {
                throw new AssertionError("request " + i + " got a malformed response: " + f.describe(), e);
            } catch (IOException e) {
                // the server closed mid-exchange (reset, TLS close): allowed for garbage
                closedByServer++;
                conn.close();
                conn = null;
            } finally {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (ms > 200) {
                    slow.merge(f.kind(), 1L, Long::sum);
                }
            }
        }
        if (conn != null) {
            conn.close();
        }
        System.out.printf("fuzz: sent %d, answered %d, closed by server %d, connections %d, slow %s%n",
                sent, answered, closedByServer, connections, slow);
        assertThat(sent).isGreaterThanOrEqualTo(1_000);
        assertThat(answered).isGreaterThan(sent / 3);
        assertThat(connections).isGreaterThan(10);

        client.connectionPool().evictAll(); // its idle connection has been closed by the idle timeout
        assertThat(get(client, url)).isEqualTo(200);
        client.connectionPool().evictAll();
        assertThat(awaitCondition(Duration.ofSeconds(20), () -> liveThreads() <= threadsBefore + 2))
                .as("live threads back to %d (+2), now %d", threadsBefore, liveThreads()).isTrue();
        long heapAfter = usedHeapAfterGc();
        assertThat(heapAfter).as("heap after GC: before %d, after %d", heapBefore, heapAfter)
                .isLessThan(heapBefore + 32L * 1024 * 1024);
    }

    @Test
    void oversizedHeadersGet431AndTheConnectionCloses() throws Exception {
        try (RawTls c = connect()) {
            c.write(valid("GET", "/prod/orders", "X-Big: " + "a".repeat(MAX_HEADER * 2) + "\r\n"));
            RawTls.RawResponse r = c.read(false);
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).contains("Request Header Fields Too Large");
            assertThat(r.closes()).isTrue();
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
    }

    @Test
    void anOverlongRequestLineGets414AndAnOversizedBody413() throws Exception {
        try (RawTls c = connect()) {
            c.write(valid("GET", "/prod/" + "x".repeat(MAX_HEADER * 2), ""));
            assertThat(c.read(false).status()).isEqualTo(414);
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
        try (RawTls c = connect()) {
            c.write(valid("POST", "/prod/orders", "Content-Length: " + (MAX_BODY + 1) + "\r\n"));
            RawTls.RawResponse r = c.read(false);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
    }

    @Test
    void malformedRequestsGet400AndTheConnectionCloses() throws Exception {
        List<String> malformed = List.of(
                valid("GET", "/prod/%zz", ""),
                valid("GET", "http://" + HOST + "/prod/orders", ""),
                valid("GET", "/prod/orders", "NoColonHere\r\n"),
                valid("POST", "/prod/orders", "Content-Length: 3\r\nContent-Length: 4\r\n") + "abcd",
                valid("POST", "/prod/orders", "Transfer-Encoding: chunked\r\n") + "zz\r\nhello\r\n0\r\n\r\n",
                "GET /prod/orders HTTP/2.0\r\nHost: " + HOST + "\r\n\r\n");
        for (String m : malformed) {
            try (RawTls c = connect()) {
                c.write(m);
                RawTls.RawResponse r = c.read(false);
                assertThat(r).as(m).isNotNull();
                assertThat(r.status()).as(m).isEqualTo(400);
                assertThat(r.body()).isEqualTo("{\"message\":\"Bad Request\"}");
                assertThat(c.awaitClose()).as(m).isEqualTo(RawTls.End.CLOSED);
            }
        }
    }

    @Test
    void slowSendersAreClosedAfterTheHeaderTimeout() throws Exception {
        try (RawTls c = connect()) {
            c.write("GET /prod/orders HTTP/1.1\r\nHo");
            long start = System.nanoTime();
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(HEADER_TIMEOUT.toNanos() / 2);
        }
        // a client that never starts the TLS handshake
        try (RawTls c = RawTls.plain(endpoint, doors.port(), READ_TIMEOUT_MS)) {
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
        // the deadline is re-armed for each request of a kept-alive connection
        try (RawTls c = connect()) {
            c.write(valid("GET", "/ping", ""));
            assertThat(c.read(false).status()).isEqualTo(200);
            c.write("GET /ping HTTP/1.1\r\n");
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
    }

    @Test
    void plaintextOnTheTlsPortIsClosedAndTheServerGoesOn() throws Exception {
        try (RawTls c = RawTls.plain(endpoint, doors.port(), READ_TIMEOUT_MS)) {
            c.write(valid("GET", "/ping", ""));
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
        try (RawTls c = connect()) {
            c.write(valid("GET", "/ping", ""));
            assertThat(c.read(false).status()).isEqualTo(200);
        }
    }

    @Test
    void http10ConnectionCloseAndPipeliningAreHonoured() throws Exception {
        try (RawTls c = connect()) {
            c.write("GET /prod/orders HTTP/1.0\r\nHost: " + HOST + "\r\n\r\n");
            RawTls.RawResponse r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"region\":\"us-east-1\"");
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
        try (RawTls c = connect()) {
            c.write("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawTls.RawResponse r = c.read(false);
            assertThat(r.headers().get("connection")).isEqualToIgnoringCase("keep-alive");
            c.write("GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(200);
        }
        try (RawTls c = connect()) {
            c.write(valid("GET", "/prod/orders", "Connection: close\r\n"));
            RawTls.RawResponse r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.closes()).isTrue();
            assertThat(c.awaitClose()).isEqualTo(RawTls.End.CLOSED);
        }
        try (RawTls c = connect()) {
            // three requests in one write: answers come back in order although the first waits for its integration
            c.write(valid("GET", "/prod/orders", "") + valid("GET", "/ping", "") + valid("HEAD", "/prod/nothing", ""));
            assertThat(c.read(false).body()).contains("\"api\":\"orders\"");
            assertThat(c.read(false).body()).contains("healthy");
            RawTls.RawResponse head = c.read(true);
            assertThat(head.status()).isEqualTo(403);
            assertThat(head.headers().get("x-amzn-errortype")).isEqualTo("MissingAuthenticationTokenException");
        }
    }

    /** One fuzzed request. */
    private record Fuzz(String kind, byte[] bytes, boolean head) {
        String describe() {
            String s = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            return kind + " " + s.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    private static final List<String> PATHS = List.of("/prod/orders", "/prod/orders?x=1", "/ping", "/sping", "/prod",
            "/", "/prod/nothing", "/test/orders", "/prod/orders/%41", "/prod/%zz", "//prod//orders");
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'*+^|";

    private static Fuzz fuzz(Random r) {
        int kind = r.nextInt(100);
        String path = PATHS.get(r.nextInt(PATHS.size()));
        String method = METHODS.get(r.nextInt(METHODS.size()));
        if (kind < 30) {
            StringBuilder extra = new StringBuilder();
            for (int i = r.nextInt(6); i > 0; i--) {
                extra.append("X-").append(token(r, 1 + r.nextInt(12))).append(": ").append(token(r, r.nextInt(40)))
                        .append("\r\n");
            }
            if (r.nextBoolean()) {
                extra.append("x-apigw-api-id: ").append(r.nextBoolean() ? "ordrseast1" : token(r, 10)).append("\r\n");
            }
            String body = "";
            if (!method.equals("GET") && !method.equals("HEAD") && r.nextBoolean()) {
                body = token(r, r.nextInt(200));
                extra.append("Content-Length: ").append(body.length()).append("\r\n");
            }
            return new Fuzz("valid", (valid(method, path, extra.toString()) + body).getBytes(StandardCharsets.ISO_8859_1),
                    method.equals("HEAD"));
        }
        if (kind < 50) {
            String m = r.nextBoolean() ? token(r, 1 + r.nextInt(10)) : method.toLowerCase();
            return new Fuzz("request-line", (m + " " + randomText(r, 1 + r.nextInt(60)) + " HTTP/1.1\r\nHost: " + HOST
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
        }
        if (kind < 70) {
            String header = switch (r.nextInt(5)) {
                case 0 -> "NoColonHere\r\n";
                case 1 -> randomText(r, 1 + r.nextInt(80)) + ": x\r\n";
                case 2 -> " folded: continuation\r\n";
                case 3 -> "Host: " + HOST + "\r\nHost: other.example.com\r\n";
                default -> "X-Long-" + "n".repeat(r.nextInt(MAX_HEADER + 500)) + ": y\r\n";
            };
            return new Fuzz("header", ("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n" + header + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), false);
        }
        if (kind < 85) {
            String framing = switch (r.nextInt(6)) {
                case 0 -> "Content-Length: abc\r\n\r\n";
                case 1 -> "Content-Length: -5\r\n\r\n";
                case 2 -> "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd";
                case 3 -> "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
                case 4 -> "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n";
                default -> "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
            };
            return new Fuzz("framing", ("POST /prod/orders HTTP/1.1\r\nHost: " + HOST + "\r\n" + framing)
                    .getBytes(StandardCharsets.ISO_8859_1), false);
        }
        if (kind < 95) {
            String version = List.of("HTTP/2.0", "HTTP/1.1x", "HTTP/9.9", "http/1.1", "", "HTTP/1.1 extra", "HTTP/")
                    .get(r.nextInt(7));
            return new Fuzz("version", ("GET " + path + " " + version + "\r\nHost: " + HOST + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), false);
        }
        byte[] garbage = new byte[1 + r.nextInt(300)];
        r.nextBytes(garbage);
        byte[] out = new byte[garbage.length + 4];
        System.arraycopy(garbage, 0, out, 0, garbage.length);
        System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, out, garbage.length, 4);
        return new Fuzz("bytes", out, false);
    }

    private static String token(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(TOKEN_CHARS.charAt(r.nextInt(TOKEN_CHARS.length())));
        }
        return b.toString();
    }

    /** Text with control characters, spaces, percent signs and non-ASCII bytes, but no line breaks. */
    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) r.nextInt(256);
            b.append(c == '\r' || c == '\n' ? '%' : c);
        }
        return b.toString();
    }

    private static int get(OkHttpClient client, String url) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            r.body().string();
            return r.code();
        }
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return m.getHeapMemoryUsage().getUsed();
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; whether it held. */
    static boolean awaitCondition(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return condition.getAsBoolean();
    }
}
