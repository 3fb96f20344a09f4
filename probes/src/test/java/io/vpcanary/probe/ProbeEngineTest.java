package io.vpcanary.probe;

import static io.vpcanary.probe.Targets.API_HOST;
import static io.vpcanary.probe.Targets.REGIONAL_HOST;
import static io.vpcanary.probe.Targets.VPCE_HOST;
import static io.vpcanary.probe.Targets.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.aws.ErrorCorpus;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Expectation;
import io.vpcanary.estate.Network;
import io.vpcanary.estate.Vpc;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The probe engine against real HTTPS servers (MockWebServer with a test CA) on 127.0.0.1 and a real DNS responder.
 */
class ProbeEngineTest {

    private static final String VANTAGE = "canary-east";
    private static final String POLICY_BODY = ErrorCorpus.entry("policy-explicit-deny").body();

    @TempDir
    Path dir;

    private final TestTls tls = new TestTls("vpcanary test CA");
    private TestDnsServer dns;
    private MockWebServer web;
    private ProbeEngine engine;
    private final List<AutoCloseable> closeMe = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.a(API_HOST, "127.0.0.1").a(VPCE_HOST, "127.0.0.1");
        web = new MockWebServer();
        tls.serve(web);
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        engine = engine(Duration.ofSeconds(5), null);
    }

    private ProbeEngine engine(Duration timeout, Estate estate) throws Exception {
        return builder(timeout, estate).build();
    }

    private ProbeEngine.Builder builder(Duration timeout, Estate estate) throws Exception {
        return ProbeEngine.builder()
                .resolvers(Resolvers.builder().view(VANTAGE, dns.address()).view("on-premises", dns.address()).build())
                .trustStore(tls.caPem(dir), null)
                .timeout(timeout)
                .estate(estate);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
        web.close();
        dns.close();
    }

    private Target get(String path, Expectation expect) {
        return Targets.get(API_HOST, web.getPort(), path, AccessPath.PRIVATE_DNS, Map.of(), VANTAGE, expect);
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest r = web.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("the server received the request").isNotNull();
        return r;
    }

    @Test
    void healthyCheckPassesWithEveryPhaseInOrder() throws Exception {
        web.enqueue(new MockResponse.Builder().code(200)
                .addHeader("x-amzn-RequestId", "req-123")
                .addHeader("Content-Type", "application/json")
                .body("{\"api\":\"orders\",\"region\":\"us-east-1\"}").build());

        Outcome o = engine.probe(get("/prod/orders", expect(200, "\"api\":\"orders\"", 5_000L, null)));

        assertThat(o.passed()).as(o.message()).isTrue();
        assertThat(o.errorClass()).isNull();
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.message()).isNull();
        assertThat(o.bodySnippet()).isNull();
        assertThat(o.servedRegion()).isEqualTo("us-east-1");
        assertThat(o.requestId()).isEqualTo("req-123");
        assertThat(o.resolvedAddresses()).containsExactly("127.0.0.1");
        assertThat(o.url().toString()).isEqualTo("https://" + API_HOST + ":" + web.getPort() + "/prod/orders");
        Phases p = o.phases();
        assertThat(List.of(p.dnsMs(), p.connectMs(), p.tlsMs(), p.ttfbMs(), p.totalMs())).doesNotContainNull();
        assertThat(p.dnsMs()).isPositive();
        assertThat(p.tlsMs()).isPositive();
        assertThat(p.ttfbMs()).isPositive();
        // Phases run one after another inside the call, so their sum cannot exceed the total.
        assertThat(p.dnsMs() + p.connectMs() + p.tlsMs() + p.ttfbMs()).isLessThanOrEqualTo(p.totalMs());
        RecordedRequest seen = taken();
        assertThat(seen.getHandshakeServerNames()).containsExactly(API_HOST);
        assertThat(o.certificateNotAfter()).as("the leaf certificate's notAfter, from the handshake")
                .isEqualTo(tls.server.certificate().getNotAfter().toInstant());
        // what the client negotiated is what the server saw of the same handshake
        okhttp3.Handshake server = seen.getHandshake();
        assertThat(o.tlsVersion()).isEqualTo(server.tlsVersion().javaName()).startsWith("TLSv1.");
        assertThat(o.cipherSuite()).isEqualTo(server.cipherSuite().javaName()).startsWith("TLS_");
    }

    @ParameterizedTest(name = "over {0}")
    @CsvSource({"HTTP_1_1", "HTTP_2"})
    void explicitHostHeaderIsSentWhileSniNamesTheUrlHost(Protocol protocol) throws Exception {
        MockWebServer server = new MockWebServer();
        closeMe.add(server);
        tls.serve(server);
        server.setProtocols(protocol == Protocol.HTTP_2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
                : List.of(Protocol.HTTP_1_1));
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        String hostHeader = API_HOST + ":" + server.getPort();
        Target t = Targets.get(VPCE_HOST, server.getPort(), "/prod/orders", AccessPath.VPCE_HOST_HEADER,
                Map.of("Host", hostHeader, "x-check", "1"), VANTAGE, Expectation.SUCCESS);

        Outcome o = engine.probe(t);

        assertThat(o.passed()).as(o.message()).isTrue();
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        // HTTP/2 carries the Host header as the :authority pseudo-header.
        String hostField = protocol == Protocol.HTTP_2 ? ":authority" : "Host";
        assertThat(r.getVersion()).isEqualTo(protocol == Protocol.HTTP_2 ? "HTTP/2" : "HTTP/1.1");
        assertThat(r.getHeaders().values(hostField)).containsExactly(hostHeader);
        assertThat(r.getHeaders().get("x-check")).isEqualTo("1");
        assertThat(r.getHandshakeServerNames()).containsExactly(VPCE_HOST);
    }

    @Test
    void everyProbeUsesAFreshConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            web.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
        Target t = get("/prod/orders", Expectation.SUCCESS);
        List<Outcome> outcomes = List.of(engine.probe(t), engine.probe(t), engine.probe(t));

        List<Integer> connections = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = taken();
            assertThat(r.getExchangeIndex()).as("first exchange on its connection").isZero();
            connections.add(r.getConnectionIndex());
        }
        assertThat(connections).doesNotHaveDuplicates();
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.phases().dnsMs()).isNotNull();
            assertThat(o.phases().connectMs()).isNotNull();
            assertThat(o.phases().tlsMs()).isNotNull();
        });
        assertThat(dns.udpQueries()).as("one lookup per probe, no cache").isEqualTo(3);
    }

    /**
     * Nagle's algorithm on the probe's socket held the request (written right after TLS 1.3's client Finished) until
     * the server's delayed ACK, about 40 ms, and the probe reported it as time to first byte. The socket the probe
     * connects with must have TCP_NODELAY set; the JDK's sockets start without it.
     */
    @Test
    void probeSocketHasNagleOffWhenItConnects() throws Exception {
        web.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        List<Boolean> atCreation = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> atConnect = Collections.synchronizedList(new ArrayList<>());
        SocketFactory recording = new SocketFactory() {
            @Override
            public Socket createSocket() throws SocketException {
                Socket s = new Socket() {
                    @Override
                    public void connect(SocketAddress endpoint, int timeout) throws IOException {
                        atConnect.add(getTcpNoDelay());
                        super.connect(endpoint, timeout);
                    }
                };
                atCreation.add(s.getTcpNoDelay());
                return s;
            }

            // OkHttp only asks for unconnected sockets.
            @Override public Socket createSocket(String h, int p) { throw new UnsupportedOperationException(); }
            @Override public Socket createSocket(String h, int p, InetAddress l, int lp) { throw new UnsupportedOperationException(); }
            @Override public Socket createSocket(InetAddress h, int p) { throw new UnsupportedOperationException(); }
            @Override public Socket createSocket(InetAddress h, int p, InetAddress l, int lp) { throw new UnsupportedOperationException(); }
        };
        ProbeEngine e = builder(Duration.ofSeconds(5), null).socketFactory(recording).build();

        Outcome o = e.probe(get("/prod/orders", Expectation.SUCCESS));

        assertThat(o.status()).isEqualTo(200);
        assertThat(atCreation).as("TCP_NODELAY of the JDK's new socket").containsExactly(false);
        assertThat(atConnect).as("TCP_NODELAY of the probe's socket as it connects").containsExactly(true);
    }

    @Test
    void postSendsTheBody() throws Exception {
        web.enqueue(new MockResponse.Builder().code(201).addHeader("apigw-requestid", "http-api-req-1").body("{}")
                .build());
        Target t = Targets.of("POST", API_HOST, web.getPort(), "/prod/orders", AccessPath.PRIVATE_DNS,
                Map.of("Content-Type", "application/json"), VANTAGE, "{\"id\":7}", AuthType.NONE,
                expect(201, null, null, null));

        Outcome o = engine.probe(t);

        assertThat(o.passed()).as(o.message()).isTrue();
        assertThat(o.requestId()).as("HTTP APIs name their request id apigw-requestid").isEqualTo("http-api-req-1");
        RecordedRequest r = taken();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"id\":7}");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void nxdomainIsDnsFailureAndANegativeCheckPassesOnIt() {
        Target t = Targets.get("nowhere.example.test", web.getPort(), "/", AccessPath.PRIVATE_DNS, Map.of(),
                "on-premises", expect(null, null, null, ErrorClass.DNS_FAILURE));

        Outcome o = engine.probe(t);

        assertThat(o.errorClass()).isEqualTo(ErrorClass.DNS_FAILURE);
        assertThat(o.expectedErrorClass()).isEqualTo(ErrorClass.DNS_FAILURE);
        assertThat(o.passed()).isTrue();
        assertThat(o.status()).isNull();
        assertThat(o.phases().dnsMs()).isNotNull();
        assertThat(o.phases().connectMs()).isNull();
        assertThat(o.phases().tlsMs()).isNull();
        assertThat(o.phases().ttfbMs()).isNull();
        assertThat(o.phases().totalMs()).isGreaterThanOrEqualTo(o.phases().dnsMs());
        assertThat(o.resolvedAddresses()).isEmpty();
        assertThat(o.certificateNotAfter()).isNull();

        Outcome positive = engine.probe(Targets.get("nowhere.example.test", web.getPort(), "/",
                AccessPath.PRIVATE_DNS, Map.of(), "on-premises", Expectation.SUCCESS));
        assertThat(positive.passed()).isFalse();
        assertThat(positive.message()).contains("DNS_FAILURE").contains("NXDOMAIN").contains("on-premises");
    }

    @Test
    void closedPortIsConnect() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Outcome o = engine.probe(Targets.get(API_HOST, closedPort, "/", AccessPath.PRIVATE_DNS, Map.of(), VANTAGE,
                Expectation.SUCCESS));

        assertThat(o.errorClass()).isEqualTo(ErrorClass.CONNECT);
        assertThat(o.passed()).isFalse();
        assertThat(o.status()).isNull();
        assertThat(o.phases().dnsMs()).isNotNull();
        assertThat(o.phases().connectMs()).isNotNull();
        assertThat(o.phases().tlsMs()).isNull();
        assertThat(o.message()).contains("ConnectException");
    }

    @Test
    void nextAddressIsTriedWhenTheFirstRefusesAndConnectSpansBoth() throws Exception {
        // Nothing listens on 127.0.0.5 at the server's port: the first route is refused, the second one answers.
        dns.a("two.example.test", "127.0.0.5", "127.0.0.1");
        web.enqueue(new MockResponse.Builder().code(200).body("ok").build());

        Outcome o = engine.probe(Targets.get("two.example.test", web.getPort(), "/", AccessPath.PRIVATE_DNS, Map.of(),
                VANTAGE, Expectation.SUCCESS));

        assertThat(o.passed()).as(o.message()).isTrue();
        assertThat(o.resolvedAddresses()).containsExactly("127.0.0.5", "127.0.0.1");
        assertThat(o.phases().connectMs()).isNotNull();
        assertThat(o.phases().connectMs() + o.phases().tlsMs()).isLessThanOrEqualTo(o.phases().totalMs());
    }

    @Test
    void untrustedCertificateIsTls() throws Exception {
        TestTls other = new TestTls("someone else's CA");
        MockWebServer foreign = new MockWebServer();
        closeMe.add(foreign);
        other.serve(foreign);
        foreign.start(InetAddress.getByName("127.0.0.1"), 0);

        Outcome o = engine.probe(Targets.get(API_HOST, foreign.getPort(), "/", AccessPath.PRIVATE_DNS, Map.of(),
                VANTAGE, Expectation.SUCCESS));

        assertThat(o.errorClass()).isEqualTo(ErrorClass.TLS);
        assertThat(o.status()).isNull();
        assertThat(o.phases().connectMs()).isNotNull();
        assertThat(o.phases().tlsMs()).as("a failed handshake still has a duration").isNotNull();
        assertThat(o.certificateNotAfter()).as("an untrusted certificate is not reported").isNull();
        assertThat(o.tlsVersion()).as("no completed handshake, no protocol").isNull();
        assertThat(o.cipherSuite()).isNull();
        assertThat(o.phases().ttfbMs()).isNull();
        assertThat(o.message()).contains("SSL");
    }

    @Test
    void serverThatNeverAnswersIsTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        closeMe.add(silent);
        ProbeEngine quick = engine(Duration.ofMillis(400), null);

        Outcome o = quick.probe(Targets.get(API_HOST, silent.getLocalPort(), "/", AccessPath.PRIVATE_DNS, Map.of(),
                VANTAGE, Expectation.SUCCESS));

        assertThat(o.errorClass()).as(o.message()).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(o.status()).isNull();
        assertThat(o.phases().totalMs()).isLessThan(5_000.0);
    }

    @Test
    void answerThatNeverComesAfterTlsIsTimeoutWithoutTtfb() throws Exception {
        web.enqueue(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).body("late").build());
        ProbeEngine quick = engine(Duration.ofMillis(400), null);

        Outcome o = quick.probe(get("/", Expectation.SUCCESS));

        assertThat(o.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
        assertThat(o.phases().tlsMs()).isNotNull();
        assertThat(o.phases().ttfbMs()).isNull();
    }

    @Test
    void garbageStatusLineIsProtocol() throws Exception {
        web.close();
        web = new MockWebServer();
        tls.serve(web);
        web.setProtocols(List.of(Protocol.HTTP_1_1));
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        web.enqueue(new MockResponse.Builder().status("HTTP/1.1 TWO-HUNDRED fine").build());

        Outcome o = engine.probe(get("/", Expectation.SUCCESS));

        assertThat(o.errorClass()).isEqualTo(ErrorClass.PROTOCOL);
        assertThat(o.status()).isNull();
        assertThat(o.message()).contains("ProtocolException");
    }

    @ParameterizedTest(name = "{0} {1} auth={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "403|POLICY||NONE|POLICY_DENIED",
            "403|{\"message\":\"Forbidden\"}||NONE|FORBIDDEN",
            "403|{\"message\":\"Missing Authentication Token\"}|MissingAuthenticationTokenException|NONE|FORBIDDEN",
            "403|{\"message\":\"Missing Authentication Token\"}|MissingAuthenticationTokenException|IAM|AUTH_DENIED",
            "403|{\"message\":\"bad signature\"}|InvalidSignatureException|IAM|AUTH_DENIED",
            "403|{\"message\":\"denied\"}|AccessDeniedException:http://internal.amazon.com/coral/|JWT|AUTH_DENIED",
            "401|{\"message\":\"Unauthorized\"}||JWT|AUTH_DENIED",
            "429|{\"message\":\"Too Many Requests\"}||NONE|THROTTLED",
            "404|{\"message\":\"Not Found\"}||NONE|HTTP_4XX",
            "502|{\"message\":\"Internal server error\"}||NONE|HTTP_5XX",
    })
    void errorStatusesAreClassified(int status, String body, String errorType, AuthType auth, ErrorClass expected) {
        MockResponse.Builder r = new MockResponse.Builder().code(status)
                .body(body.equals("POLICY") ? POLICY_BODY : body);
        if (errorType != null) {
            r.addHeader("x-amzn-ErrorType", errorType);
        }
        web.enqueue(r.build());
        web.enqueue(r.build());
        Target positive = Targets.of("GET", API_HOST, web.getPort(), "/", AccessPath.PRIVATE_DNS, Map.of(), VANTAGE,
                null, auth, Expectation.SUCCESS);
        Target negative = Targets.of("GET", API_HOST, web.getPort(), "/", AccessPath.PRIVATE_DNS, Map.of(), VANTAGE,
                null, auth, expect(status, null, null, expected));

        Outcome failed = engine.probe(positive);
        Outcome passed = engine.probe(negative);

        assertThat(failed.errorClass()).isEqualTo(expected);
        assertThat(failed.status()).isEqualTo(status);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.message()).contains(expected.name()).contains(String.valueOf(status));
        assertThat(failed.bodySnippet()).isNotEmpty();
        assertThat(passed.errorClass()).isEqualTo(expected);
        assertThat(passed.passed()).as(passed.message()).isTrue();
    }

    @Test
    void negativeCheckFailsOnTheWrongClassOrOnSuccess() {
        web.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"Forbidden\"}").build());
        web.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        web.enqueue(new MockResponse.Builder().code(403).body(POLICY_BODY).build());
        Expectation wantPolicy = expect(403, "because no resource-based policy allows", null, ErrorClass.POLICY_DENIED);

        Outcome wrongClass = engine.probe(get("/", wantPolicy));
        Outcome succeeded = engine.probe(get("/", wantPolicy));
        Outcome wrongBody = engine.probe(get("/", wantPolicy));

        assertThat(wrongClass.passed()).isFalse();
        assertThat(wrongClass.errorClass()).isEqualTo(ErrorClass.FORBIDDEN);
        assertThat(wrongClass.message()).startsWith("expected POLICY_DENIED, got FORBIDDEN");
        assertThat(succeeded.passed()).isFalse();
        assertThat(succeeded.errorClass()).isNull();
        assertThat(succeeded.message()).contains("expected POLICY_DENIED").contains("HTTP 200");
        assertThat(wrongBody.errorClass()).isEqualTo(ErrorClass.POLICY_DENIED);
        assertThat(wrongBody.passed()).isFalse();
        assertThat(wrongBody.message()).contains("body does not contain");
    }

    @Test
    void answerThatMissesTheExpectationIsAssertion() {
        web.enqueue(new MockResponse.Builder().code(200).body("{\"api\":\"inventory\"}").build());
        web.enqueue(new MockResponse.Builder().code(204).build());
        web.enqueue(new MockResponse.Builder().code(200).headersDelay(150, TimeUnit.MILLISECONDS).body("x").build());
        web.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "https://elsewhere.example.test/")
                .build());

        Outcome wrongBody = engine.probe(get("/", expect(200, "\"api\":\"orders\"", null, null)));
        Outcome wrongStatus = engine.probe(get("/", expect(200, null, null, null)));
        Outcome overBudget = engine.probe(get("/", expect(null, null, 50L, null)));
        Outcome redirect = engine.probe(get("/", Expectation.SUCCESS));

        assertThat(wrongBody.errorClass()).isEqualTo(ErrorClass.ASSERTION);
        assertThat(wrongBody.message()).contains("body does not contain '\"api\":\"orders\"'");
        assertThat(wrongBody.bodySnippet()).isEqualTo("{\"api\":\"inventory\"}");
        assertThat(wrongStatus.errorClass()).isEqualTo(ErrorClass.ASSERTION);
        assertThat(wrongStatus.message()).contains("expected status 200, got 204");
        assertThat(overBudget.errorClass()).isEqualTo(ErrorClass.ASSERTION);
        assertThat(overBudget.phases().totalMs()).isGreaterThan(50.0);
        assertThat(overBudget.message()).contains("over the budget of 50 ms");
        assertThat(redirect.errorClass()).as("redirects are not followed").isEqualTo(ErrorClass.ASSERTION);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(List.of(wrongBody, wrongStatus, overBudget, redirect)).noneMatch(Outcome::passed);
    }

    /** The demo estate's shape: one VPC with a private-DNS endpoint in us-east-1. */
    private static Estate estateWithEndpoint() {
        return new Estate("111122223333",
                new Network(List.of(new Vpc("vpc-0e1a0000000000001", VANTAGE, "us-east-1")),
                        List.of(new VpcEndpoint("vpce-0e1a00000000000a1", "vpc-0e1a0000000000001", "k3x9q2ab",
                                true, List.of("us-east-1a")))),
                List.of(), List.of(), null);
    }

    @Test
    void regionalNameResolvingToAnEndpointIsDnsConflictWhateverHttpSays() throws Exception {
        // From canary-east, private DNS sends the regional API's name to the endpoint (127.0.0.1 here).
        dns.a(REGIONAL_HOST, "127.0.0.1");
        web.enqueue(new MockResponse.Builder().code(403).body("{\"message\":\"Forbidden\"}").build());
        web.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        ProbeEngine withEstate = engine(Duration.ofSeconds(5), estateWithEndpoint());
        Target negative = Targets.get(REGIONAL_HOST, web.getPort(), "/prod/items", AccessPath.REGIONAL, Map.of(),
                VANTAGE, expect(null, null, null, ErrorClass.DNS_CONFLICT));
        Target positive = Targets.get(REGIONAL_HOST, web.getPort(), "/prod/items", AccessPath.REGIONAL, Map.of(),
                VANTAGE, Expectation.SUCCESS);

        Outcome expected = withEstate.probe(negative);
        Outcome unexpected = withEstate.probe(positive);

        assertThat(expected.errorClass()).isEqualTo(ErrorClass.DNS_CONFLICT);
        assertThat(expected.status()).as("the request was still sent").isEqualTo(403);
        assertThat(expected.passed()).isTrue();
        assertThat(unexpected.errorClass()).as("precedence over a 200").isEqualTo(ErrorClass.DNS_CONFLICT);
        assertThat(unexpected.status()).isEqualTo(200);
        assertThat(unexpected.passed()).isFalse();
        assertThat(unexpected.message()).contains("vpce-0e1a00000000000a1").contains("127.0.0.1")
                .contains(VPCE_HOST);
        assertThat(web.getRequestCount()).isEqualTo(2);
    }

    @Test
    void regionalNameResolvingElsewhereIsNoConflict() throws Exception {
        dns.a(REGIONAL_HOST, "127.0.0.1").a(VPCE_HOST, "127.0.0.3");
        web.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        ProbeEngine withEstate = engine(Duration.ofSeconds(5), estateWithEndpoint());

        Outcome o = withEstate.probe(Targets.get(REGIONAL_HOST, web.getPort(), "/prod/items", AccessPath.REGIONAL,
                Map.of(), VANTAGE, Expectation.SUCCESS));

        assertThat(o.errorClass()).isNull();
        assertThat(o.passed()).isTrue();
    }

    @Test
    void credentialsNeverAppearInMessagesOrSnippets() throws Exception {
        String bearer = "Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl";
        String sessionToken = "FwoGZXIvYXdzEXAMPLEsessionTOKENvalue";
        // API Gateway echoes the Authorization header in IncompleteSignatureException bodies.
        web.enqueue(new MockResponse.Builder().code(403)
                .addHeader("x-amzn-ErrorType", "IncompleteSignatureException")
                .body("{\"message\":\"Authorization header requires 'Credential' parameter. Authorization="
                        + bearer + " token=" + sessionToken + "\"}").build());
        Target t = Targets.of("GET", API_HOST, web.getPort(), "/", AccessPath.PRIVATE_DNS,
                Map.of("Authorization", bearer, "X-Amz-Security-Token", sessionToken), VANTAGE, null,
                AuthType.IAM, Expectation.SUCCESS);

        Outcome o = engine.probe(t);
        ProbeRun run = new ProbeRun(java.time.Instant.now(), Duration.ZERO, List.of(o));

        assertThat(o.errorClass()).isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(taken().getHeaders().get("Authorization")).as("sent as given").isEqualTo(bearer);
        String everything = o + "\n" + ProbeReport.json(run) + "\n" + ProbeReport.table(run);
        assertThat(everything).contains("Authorization=****")
                .doesNotContain("eyJhbGciOiJSUzI1NiJ9")
                .doesNotContain("c2VjcmV0LXBheWxvYWQ")
                .doesNotContain(sessionToken);
    }

    @Test
    void forLabUsesTheEnvironmentsViewsAndTrustStore() throws Exception {
        char[] password = "changeit".toCharArray();
        LabEnvironment env = new LabEnvironment(null, tls.caPkcs12(dir, password.clone()).toString(), "changeit",
                web.getPort(), Map.of(VANTAGE, "127.0.0.1:" + dns.address().getPort()), List.of(), null, null, null);
        web.enqueue(new MockResponse.Builder().code(200).body("{\"region\":\"us-east-1\"}").build());

        ProbeEngine lab = ProbeEngine.forLab(env, estateWithEndpoint());
        Outcome o = lab.probe(get("/prod/orders", Expectation.SUCCESS));

        assertThat(o.passed()).as(o.message()).isTrue();
        assertThat(o.servedRegion()).isEqualTo("us-east-1");
    }
}
