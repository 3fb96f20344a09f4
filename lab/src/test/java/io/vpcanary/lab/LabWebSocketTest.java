package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.probe.AuthMatrix;
import io.vpcanary.probe.ErrorClass;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.lab.http.LabWebSocketClient;
import io.vpcanary.labenv.LabEnvironment;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.java_websocket.enums.Opcode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo estate's WebSocket API {@code live} through {@link Lab}, with a Java-WebSocket client over real TLS: IAM on
 * {@code $connect} (presigned in the query string or signed in headers by the toolkit's signer; unsigned, wrong secret
 * and stale signatures refused with 403), routes chosen by {@code action} (echo, whoami, broadcast, delayed, push, no
 * route), the {@code @connections} management API (POST, GET, DELETE, 410 once closed), 1009 for a frame or a message
 * above API Gateway's limits, the regional custom domain, and the private-DNS capture (from a VPC whose execute-api
 * endpoint has private DNS the regional name leads to the endpoint, which refuses the upgrade with 403).
 */
class LabWebSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One lab for the class: the demo estate on ephemeral ports, its state (and the limit tests' labs) in a folder. */
    static Lab lab;
    static Path state;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        state = dir;
        lab = Lab.startDemo(Lab.Options.ephemeral(dir));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    static LabEnvironment.Endpoint endpoint(String accessPath) {
        return lab.environment().endpoints().stream()
                .filter(e -> e.api().equals("live") && e.accessPath().equals(accessPath)).findFirst().orElseThrow();
    }

    static URI wss(LabEnvironment.Endpoint e) {
        return URI.create(e.url().replaceFirst("^https", "wss"));
    }

    static SigV4RequestSigner signer(String secret, Clock clock) {
        LabEnvironment.Credentials c = lab.environment().credentials();
        return SigV4RequestSigner.builder("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        secret == null ? c.secretAccessKey() : secret)))
                .clock(clock)
                .build();
    }

    static URI presigned(URI uri) {
        return signer(null, Clock.systemUTC()).presign("GET", uri, Map.of(), Duration.ofMinutes(5));
    }

    static LabWebSocketClient client(URI uri, Map<String, String> headers, String view) throws Exception {
        return new LabWebSocketClient(uri, headers, lab.ca(), LabClients.view(lab.estate(), lab.plan(), view));
    }

    static LabWebSocketClient connected(LabEnvironment.Endpoint e) throws Exception {
        LabWebSocketClient c = client(presigned(wss(e)), Map.of(), e.view());
        if (!c.open()) {
            throw new AssertionError("presigned $connect to " + e.url() + " refused: " + c.closed() + ", " + c.error());
        }
        return c;
    }

    static String connectionId(LabWebSocketClient c) throws Exception {
        c.send("{\"action\":\"whoami\"}");
        return JSON.readTree(c.next()).get("connectionId").asText();
    }

    @Test
    void aPresignedConnectGetsItsEchoThroughTheRegionalNameAndTheCustomDomain() throws Exception {
        for (String path : List.of("REGIONAL", "CUSTOM_DOMAIN")) {
            LabWebSocketClient c = connected(endpoint(path));
            c.send("{\"action\":\"echo\",\"data\":\"hello " + path + "\"}");
            assertThat(c.next()).as(path).isEqualTo("hello " + path);
            c.closeBlocking();
            assertThat(c.closed().code()).isEqualTo(1000);
        }
    }

    @Test
    void aConnectSignedInHeadersIsAcceptedToo() throws Exception {
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        URI uri = wss(e);
        Map<String, String> signed = signer(null, Clock.systemUTC()).sign("GET", uri,
                Map.of("Host", List.of(uri.getHost() + ":" + uri.getPort())), null);
        LabWebSocketClient c = client(uri, signed, e.view());
        assertThat(c.open()).isTrue();
        c.send("{\"action\":\"echo\",\"data\":{\"n\":1}}");
        assertThat(c.next()).isEqualTo("{\"n\":1}");
        c.closeBlocking();
    }

    @Test
    void unsignedWrongSecretAndStaleConnectsAreRefusedWith403() throws Exception {
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        Clock stale = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);
        Map<String, URI> tries = Map.of(
                "unsigned", wss(e),
                "wrong secret", signer("not-the-secret-0000000000000000000000000", Clock.systemUTC())
                        .presign("GET", wss(e), Map.of(), Duration.ofMinutes(5)),
                "stale date", signer(null, stale).presign("GET", wss(e), Map.of(), Duration.ofMinutes(5)));
        for (var t : tries.entrySet()) {
            LabWebSocketClient c = client(t.getValue(), Map.of(), e.view());
            assertThat(c.open()).as(t.getKey()).isFalse();
            assertThat(c.closed().reason()).as(t.getKey()).contains("403");
        }
    }

    @Test
    void fromAVpcWithPrivateDnsTheRegionalNameReachesTheEndpointAndTheUpgradeIsRefused() throws Exception {
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        Dns canaryEast = LabClients.view(lab.estate(), lab.plan(), "canary-east");
        assertThat(canaryEast.lookup(wss(e).getHost())).containsExactlyElementsOf(
                lab.plan().endpointAddresses("vpce-0e1a00000000000a1"));
        LabWebSocketClient c = client(presigned(wss(e)), Map.of(), "canary-east");
        assertThat(c.open()).isFalse();
        assertThat(c.closed().reason()).contains("403");
    }

    @Test
    void routesAnswerAsTheirSimulatedTargetDoes() throws Exception {
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        LabWebSocketClient a = connected(e);
        LabWebSocketClient b = connected(e);
        String idA = connectionId(a);
        assertThat(idA).matches("[A-Za-z0-9+]{15}=");
        assertThat(connectionId(b)).isNotEqualTo(idA);

        a.send("{\"action\":\"broadcast\",\"data\":\"to all\"}");
        assertThat(a.next()).isEqualTo("to all");
        assertThat(b.next()).isEqualTo("to all");

        a.send("{\"action\":\"delayed\",\"data\":\"later\"}");
        assertThat(a.next()).isEqualTo("later");
        a.send("{\"action\":\"push\",\"data\":\"pushed\"}");
        assertThat(a.next()).isEqualTo("pushed");

        a.send("{\"action\":\"nosuchroute\"}");
        JsonNode forbidden = JSON.readTree(a.next());
        assertThat(forbidden.get("message").asText()).isEqualTo("Forbidden");
        assertThat(forbidden.get("connectionId").asText()).isEqualTo(idA);
        a.send("not json at all");
        assertThat(JSON.readTree(a.next()).get("message").asText()).isEqualTo("Forbidden");
        a.closeBlocking();
        b.closeBlocking();
    }

    @Test
    void theConnectionsApiPostsDescribesAndDeletesAndAnswers410ForAClosedConnection() throws Exception {
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        LabWebSocketClient c = connected(e);
        String id = connectionId(c);
        String url = e.url() + "/@connections/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        LabEnvironment.Credentials cr = lab.environment().credentials();
        OkHttpClient http = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view()))
                .addNetworkInterceptor(new SigV4Interceptor(signer(null, Clock.systemUTC()))).build();
        OkHttpClient unsigned = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view())).build();
        RequestBody body = RequestBody.create("from the backend", MediaType.get("text/plain"));

        try (Response r = unsigned.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            assertThat(r.code()).isEqualTo(403);
        }
        try (Response r = http.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(c.next()).isEqualTo("from the backend");
        try (Response r = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            JsonNode info = JSON.readTree(r.body().string());
            assertThat(info.get("ConnectedAt").asText()).isNotEmpty();
            assertThat(info.get("Identity").get("SourceIp").asText()).startsWith("127.");
            assertThat(info.get("LastActiveAt").asText()).isNotEmpty();
        }
        try (Response r = http.newCall(new Request.Builder().url(url).delete().build()).execute()) {
            assertThat(r.code()).isEqualTo(204);
        }
        assertThat(c.closed().remote()).isTrue();
        try (Response r = http.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            assertThat(r.code()).isEqualTo(410);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("GoneException");
        }
        assertThat(cr.accessKeyId()).isNotEmpty();
    }

    @Test
    void aFrameOver32KbIsClosedWith1009() throws Exception {
        LabWebSocketClient c = connected(endpoint("REGIONAL"));
        c.send("{\"action\":\"echo\",\"data\":\"" + "x".repeat(33 * 1024) + "\"}");
        assertThat(c.closed().code()).isEqualTo(1009);
    }

    @Test
    void aMessageOver128KbInFramesUnder32KbIsClosedWith1009AndOneUnderItIsAnswered() throws Exception {
        LabWebSocketClient c = connected(endpoint("REGIONAL"));
        sendInFrames(c, "{\"action\":\"echo\",\"data\":\"" + "y".repeat(100 * 1024) + "\"}");
        assertThat(c.next()).hasSize(100 * 1024);
        sendInFrames(c, "{\"action\":\"echo\",\"data\":\"" + "z".repeat(129 * 1024) + "\"}");
        assertThat(c.closed().code()).isEqualTo(1009);
    }

    /**
     * The "done when": a client that is neither Java nor the project's code (npm {@code ws}, SigV4 by npm
     * {@code aws4}; {@code src/test/node}, installed with {@code npm ci} into {@code target/node-ws}) gets its echo
     * with a presigned {@code $connect}, and the same connect unsigned is refused with 403.
     */
    @Test
    void anIndependentClientNpmWsWithAws4PresigningGetsItsEchoAndUnsignedIsRefused() throws Exception {
        Path dir = NodeClient.install("node-ws", Path.of("src/test/node"));
        LabEnvironment.Endpoint e = endpoint("REGIONAL");
        URI uri = wss(e);
        String address = LabClients.view(lab.estate(), lab.plan(), e.view()).lookup(uri.getHost()).getFirst()
                .getHostAddress();
        LabEnvironment.Credentials c = lab.environment().credentials();
        Map<String, String> env = Map.of("VPCANARY_WS_URL", uri.toString(), "VPCANARY_WS_ADDRESS", address,
                "VPCANARY_WS_CA", lab.ca().caPem().toString(),
                "AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY", c.secretAccessKey());

        JsonNode signed = JSON.readTree(NodeClient.run(dir, "echo-client.js", with(env, "VPCANARY_WS_SIGN", "presigned")));
        assertThat(signed.get("opened").asBoolean()).as("%s", signed).isTrue();
        assertThat(signed.get("echo").asText()).isEqualTo("hello from npm ws");

        JsonNode unsigned = JSON.readTree(NodeClient.run(dir, "echo-client.js", with(env, "VPCANARY_WS_SIGN", "none")));
        assertThat(unsigned.get("opened").asBoolean()).isFalse();
        assertThat(unsigned.get("status").asInt()).isEqualTo(403);
    }

    /**
     * The probe engine (the core every runner uses) on the demo's {@code live} API: every check through every access
     * path and vantage it applies to (echo round trips and a push through {@code @connections} on the regional name
     * and the custom domain, an oversize message closed with 1009, the private-DNS capture as DNS_CONFLICT), and the
     * {@code $connect} negative-auth matrix (unsigned, wrong secret, stale date, wrong region: each refused).
     */
    @Test
    void theProbeChecksTheWebSocketApiThroughEveryPathWithItsAuthMatrix() throws Exception {
        ClientEnvironment client = ClientEnvironment.lab(lab.environment(), lab.estate(), List.of(), name -> null);
        CanaryPlan plan = CanaryPlan.of(lab.estate(), client, t -> t.api().equals("live"));
        assertThat(plan.targets()).extracting(t -> t.check() + " " + t.accessPath() + " " + t.vantage())
                .containsExactlyInAnyOrder("echo-and-push REGIONAL on-premises", "echo-and-push CUSTOM_DOMAIN on-premises",
                        "oversize-closed-1009 REGIONAL on-premises", "oversize-closed-1009 CUSTOM_DOMAIN on-premises",
                        "connect-from-private-dns-vpc REGIONAL canary-east");
        assertThat(plan.targets()).allSatisfy(t -> assertThat(t.url().getScheme()).isEqualTo("wss"));
        ProbeEngine engine = client.engineBuilder(lab.estate()).build();
        for (Target t : plan.targets()) {
            Outcome o = engine.probe(t);
            assertThat(o.passed()).as("%s: %s", t.id(), o).isTrue();
            switch (t.check()) {
                case "echo-and-push" -> {
                    assertThat(o.status()).isEqualTo(101);
                    assertThat(o.errorClass()).isNull();
                    assertThat(o.phases().dnsMs()).isNotNull();
                    assertThat(o.phases().connectMs()).isNotNull();
                    assertThat(o.phases().tlsMs()).isNotNull();
                    assertThat(o.phases().ttfbMs()).isNotNull();
                    assertThat(o.tlsVersion()).startsWith("TLSv1.");
                    assertThat(o.webSocket().roundTripsMs()).hasSize(3);
                    assertThat(o.webSocket().pushMs()).isNotNull().isPositive();
                    assertThat(o.webSocket().connectionId()).endsWith("=");
                    assertThat(o.webSocket().closeCode()).isEqualTo(1000);
                }
                case "oversize-closed-1009" -> {
                    assertThat(o.errorClass()).isEqualTo(ErrorClass.MESSAGE_TOO_BIG);
                    assertThat(o.webSocket().closeCode()).isEqualTo(1009);
                }
                default -> {
                    assertThat(o.errorClass()).isEqualTo(ErrorClass.DNS_CONFLICT);
                    assertThat(o.status()).isEqualTo(403);
                }
            }
        }
        AuthMatrix matrix = AuthMatrix.of(plan.targets());
        assertThat(matrix.probes()).extracting(p -> p.refusal().label())
                .containsExactly("unsigned", "wrong-secret", "stale-date", "wrong-region");
        AuthMatrix.Result result = matrix.run(engine, 1);
        assertThat(result.run().outcomes()).allSatisfy(o -> {
            assertThat(o.errorClass()).as(o.check()).isEqualTo(ErrorClass.AUTH_DENIED);
            assertThat(o.status()).isEqualTo(403);
        });
        assertThat(result.passed()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosedWith1001AndAnUnprotectedApiIsASecurityFinding() throws Exception {
        try (Lab small = withLab("  unprotectedApis: [live]\n  webSocket:\n    idleTimeoutSeconds: 1\n")) {
            ClientEnvironment client = ClientEnvironment.lab(small.environment(), small.estate(), List.of(),
                    name -> null);
            CanaryPlan plan = CanaryPlan.of(small.estate(), client, t -> t.api().equals("live"));
            AuthMatrix.Result matrix = AuthMatrix.of(plan.targets()).run(client.engineBuilder(small.estate()).build(), 1);
            assertThat(matrix.securityFinding()).isTrue();
            assertThat(matrix.run().outcomes()).allSatisfy(o ->
                    assertThat(o.errorClass()).isEqualTo(ErrorClass.AUTH_NOT_ENFORCED));

            LabWebSocketClient c = connectedTo(small);
            c.send("{\"action\":\"echo\",\"data\":\"once\"}");
            assertThat(c.next()).isEqualTo("once");
            LabWebSocketClient.Closed closed = c.closed();
            assertThat(closed.code()).isEqualTo(1001);
            assertThat(closed.reason()).contains("idle");
        }
    }

    @Test
    void aConnectionIsClosedWith1001AtItsAgeLimitAndNewConnectionsAboveTheRateGet429() throws Exception {
        try (Lab small = withLab("  webSocket:\n    maxConnectionSeconds: 1\n    connectionsPerSecond: 2\n")) {
            LabWebSocketClient first = connectedTo(small);
            int refused = 0;
            for (int i = 0; i < 8 && refused == 0; i++) {
                LabWebSocketClient more = clientOf(small);
                if (!more.open()) {
                    assertThat(more.closed().reason()).contains("429");
                    refused++;
                }
            }
            assertThat(refused).as("a connection beyond 2 per second").isEqualTo(1);
            LabWebSocketClient.Closed closed = first.closed();
            assertThat(closed.code()).isEqualTo(1001);
            assertThat(closed.reason()).contains("duration");
        }
    }

    /** A lab of the demo estate with {@code lines} (YAML at two spaces) added to its {@code lab:} section. */
    private static Lab withLab(String lines) throws Exception {
        String text = EstateLoader.demoText();
        assertThat(text).doesNotContain("\n  webSocket:").contains("\nlab:\n");
        Path dir = Files.createTempDirectory(state, "limits");
        Path file = dir.resolve("estate.yaml");
        Files.writeString(file, text.stripTrailing() + "\n" + lines, StandardCharsets.UTF_8);
        return Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(dir.resolve("state")));
    }

    private static LabWebSocketClient clientOf(Lab l) throws Exception {
        LabEnvironment.Endpoint e = l.environment().endpoints().stream()
                .filter(x -> x.api().equals("live") && x.accessPath().equals("REGIONAL")).findFirst().orElseThrow();
        LabEnvironment.Credentials c = l.environment().credentials();
        URI uri = SigV4RequestSigner.builder("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        c.secretAccessKey())))
                .build().presign("GET", wss(e), Map.of(), Duration.ofMinutes(5));
        return new LabWebSocketClient(uri, Map.of(), l.ca(), LabClients.view(l.estate(), l.plan(), e.view()));
    }

    private static LabWebSocketClient connectedTo(Lab l) throws Exception {
        LabWebSocketClient c = clientOf(l);
        assertThat(c.open()).isTrue();
        return c;
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put(name, value);
        return m;
    }

    private static void sendInFrames(LabWebSocketClient c, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int frame = 30 * 1024;
        for (int off = 0; off < bytes.length; off += frame) {
            int n = Math.min(frame, bytes.length - off);
            c.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, off, n), off + n >= bytes.length);
        }
    }
}
