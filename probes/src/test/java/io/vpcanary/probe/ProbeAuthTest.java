package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Signing, tokens and the negative-auth matrix against a real TLS server that verifies SigV4 by re-signing, JWTs
 * against a real identity provider's JWKS (mock-oauth2-server) and a Lambda token ({@link AuthServer}).
 */
class ProbeAuthTest {

    private static final String AKID = "AKIAVPCANARYTEST0001";
    private static final String SECRET = "vpcanaryTestSecretKey/0123456789abcdefXYZ";
    private static final String CLIENT_SECRET = "catalog-client-secret-7f3a";
    private static final String LAMBDA_TOKEN = "ledger-token-5b1c9e";

    @TempDir
    Path dir;

    private final TestTls tls = new TestTls("auth test CA");
    private TestDnsServer dns;
    private MockWebServer web;
    private MockOAuth2Server idp;
    private AuthServer server;
    private Estate estate;
    private List<Target> targets;
    private final Map<String, String> env = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        idp = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new DefaultOAuth2TokenCallback("lab", "catalog-client", "JWT", List.of("catalog"),
                        Map.of("scope", "catalog/read"), 3600) {
                    @Override
                    public Map<String, Object> addClaims(com.nimbusds.oauth2.sdk.TokenRequest request) {
                        issued.incrementAndGet();
                        return super.addClaims(request);
                    }
                }),
                new MockWebServerWrapper(null)));
        idp.start(InetAddress.getLoopbackAddress(), 0);
        dns = TestDnsServer.start();
        for (String h : AuthServer.hosts()) {
            dns.a(h, "127.0.0.1");
        }
        String issuer = idp.issuerUrl("lab").toString();
        server = new AuthServer(AKID, SECRET, issuer, idp.jwksUrl("lab").url(), LAMBDA_TOKEN);
        web = new MockWebServer();
        tls.serve(web);
        web.setDispatcher(server);
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        estate = AuthTestEstate.parse(issuer, idp.tokenEndpointUrl("lab").toString());
        targets = new TargetPlanner(estate, web.getPort()).targets();
        env.put(AuthTestEstate.CLIENT_SECRET_ENV, CLIENT_SECRET);
        env.put(AuthTestEstate.TOKEN_ENV, LAMBDA_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        dns.close();
        idp.shutdown();
    }

    private ProbeEngine engine() throws Exception {
        return ProbeEngine.builder()
                .resolvers(Resolvers.builder().view("on-premises", dns.address()).build())
                .trustStore(tls.caPem(dir), null)
                .timeout(Duration.ofSeconds(5))
                .estate(estate)
                .auth(AuthMaterial.aws(StaticCredentialsProvider.create(AwsBasicCredentials.create(AKID, SECRET)),
                        env::get))
                .build();
    }

    private Target target(String api) {
        return targets.stream().filter(t -> t.api().equals(api)).findFirst().orElseThrow();
    }

    @Test
    void everyAuthTypeIsAcceptedWhenCredentialsAreRight() throws Exception {
        ProbeEngine engine = engine();
        for (String api : List.of("orders", "catalog", "ledger")) {
            Outcome o = engine.probe(target(api));
            assertThat(o.passed()).as(api + ": " + o.message() + " " + o.bodySnippet()).isTrue();
            assertThat(o.status()).isEqualTo(200);
        }
    }

    @Test
    void iamSignatureCoversHostPortAndBody() throws Exception {
        Outcome o = engine().probe(target("orders"));
        assertThat(o.passed()).as(String.valueOf(o.message())).isTrue();
        RecordedRequest r = server.seen.get(server.seen.size() - 1);
        String auth = r.getHeaders().get("Authorization");
        assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=" + AKID + "/")
                .contains("/us-east-1/execute-api/aws4_request")
                .contains("SignedHeaders=").contains("host;").contains("x-amz-content-sha256");
        assertThat(r.getUrl().host() + ":" + r.getUrl().port())
                .isEqualTo(AuthTestEstate.ORDERS_HOST + ":" + web.getPort());
        assertThat(r.getHeaders().get("x-amz-content-sha256")).isEqualTo(
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("{\"id\":7}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void oneTokenFetchServesEveryProbeOfAnApi() throws Exception {
        ProbeEngine engine = engine();
        Target t = target("catalog");
        for (int i = 0; i < 3; i++) {
            assertThat(engine.probe(t).passed()).isTrue();
        }
        assertThat(issued.get()).as("token requests").isEqualTo(1);
    }

    @Test
    void matrixProvesEveryAuthorizerEnforced() throws Exception {
        AuthMatrix matrix = AuthMatrix.of(targets);
        assertThat(matrix.probes()).extracting(p -> p.target().api() + ":" + p.refusal().label()).containsExactly(
                "orders:unsigned", "orders:wrong-secret", "orders:stale-date", "orders:wrong-region",
                "catalog:no-token", "catalog:expired", "catalog:wrong-audience", "catalog:wrong-issuer",
                "catalog:alg-none", "catalog:missing-scope",
                "ledger:no-token", "ledger:wrong-token");
        AuthMatrix.Result result = matrix.run(engine(), 4);
        List<String> failed = new ArrayList<>();
        result.run().outcomes().stream().filter(o -> !o.passed())
                .forEach(o -> failed.add(o.id() + " " + o.status() + " " + o.message()));
        assertThat(failed).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.securityFinding()).isFalse();
        assertThat(result.apis()).extracting(AuthMatrix.ApiVerdict::verdict).containsOnly("auth enforced");
        assertThat(result.run().outcomes()).allSatisfy(o -> {
            assertThat(o.status()).isIn(401, 403);
            assertThat(o.errorClass()).isEqualTo(ErrorClass.AUTH_DENIED);
        });
        String table = ProbeReport.table(result);
        assertThat(table).contains("AUTH orders (IAM): auth enforced", "AUTH catalog (JWT): auth enforced",
                "AUTH ledger (TOKEN): auth enforced");
    }

    @Test
    void anApiAnsweringARefusalIsASecurityFinding() throws Exception {
        server.enforcing.set(false);
        AuthMatrix.Result result = AuthMatrix.of(targets).run(engine(), 4);
        assertThat(result.passed()).isFalse();
        assertThat(result.securityFinding()).isTrue();
        assertThat(result.apis()).allSatisfy(v -> {
            assertThat(v.status()).isEqualTo(AuthMatrix.Status.NOT_ENFORCED);
            assertThat(v.verdict()).isEqualTo("AUTH NOT ENFORCED (security finding)");
        });
        assertThat(result.run().outcomes()).allSatisfy(o -> {
            assertThat(o.securityFinding()).isTrue();
            assertThat(o.errorClass()).isEqualTo(ErrorClass.AUTH_NOT_ENFORCED);
            assertThat(o.passed()).isFalse();
            assertThat(o.message()).contains("security finding");
        });
        assertThat(ProbeReport.table(result)).contains(
                "AUTH orders (IAM): AUTH NOT ENFORCED (security finding): answered 2xx to unsigned@us-east-1");
        String json = ProbeReport.json(new ProbeRun(java.time.Instant.now(), Duration.ZERO, List.of()), result);
        assertThat(json).contains("\"securityFinding\" : true", "\"AUTH_NOT_ENFORCED\"");
    }

    @Test
    void anIamApiWithSigningSigV4aIsSignedForEveryRegionOfTheApi() throws Exception {
        estate = EstateLoader.parse(Path.of("auth-test-estate.yaml"), AuthTestEstate.yaml(idp.issuerUrl("lab")
                .toString(), idp.tokenEndpointUrl("lab").toString()).replace("auth: {type: IAM}",
                "auth: {type: IAM, signing: SIGV4A}"));
        assertThat(estate.api("orders").orElseThrow().auth().signing()).isEqualTo(io.vpcanary.estate.Signing.SIGV4A);
        server.enforcing.set(false); // the test server checks SigV4 only; the lab verifies SigV4a (LabAuthDemoTest)
        engine().probe(target("orders"));
        RecordedRequest sent = server.seen.get(server.seen.size() - 1);
        assertThat(sent.getHeaders().get("Authorization")).startsWith("AWS4-ECDSA-P256-SHA256 Credential=" + AKID
                + "/").contains("/execute-api/aws4_request");
        assertThat(sent.getHeaders().get("X-Amz-Region-Set")).isEqualTo("us-east-1");
    }

    @Test
    void refusalsSendWhatTheyClaim() throws Exception {
        server.enforcing.set(false);
        ProbeEngine engine = engine();
        Map<Refusal, RecordedRequest> sent = new HashMap<>();
        for (AuthMatrix.Probe p : AuthMatrix.of(targets).probes()) {
            engine.probe(p.target(), p.refusal());
            sent.put(p.refusal(), server.seen.get(server.seen.size() - 1));
        }
        assertThat(sent.get(Refusal.UNSIGNED).getHeaders().get("Authorization")).isNull();
        assertThat(sent.get(Refusal.WRONG_REGION).getHeaders().get("Authorization"))
                .contains("/" + ProbeAuth.otherRegion("us-east-1") + "/execute-api/");
        String stale = sent.get(Refusal.STALE_DATE).getHeaders().get("X-Amz-Date");
        java.time.Instant staleAt = java.time.Instant.from(java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).parse(stale));
        assertThat(Duration.between(staleAt, java.time.Instant.now())).isGreaterThan(Duration.ofMinutes(14));
        assertThat(sent.get(Refusal.ALG_NONE).getHeaders().get("Authorization")).startsWith("Bearer ")
                .endsWith(".");
        assertThat(sent.get(Refusal.WRONG_TOKEN).getHeaders().get("X-Ledger-Token")).isNotEqualTo(LAMBDA_TOKEN);
        assertThat(sent.get(Refusal.NO_TOKEN)).isNotNull();
    }

    /**
     * The catalog's client secret from a Secrets Manager JSON secret and the ledger's token from an SSM SecureString
     * (moto_server), no environment variables: read when first needed, so a missing secret fails only its API's
     * probes (and is read again once it exists), and what was read joins the secrets reports redact.
     */
    @Test
    void secretReferencesAreReadWhenFirstNeeded() throws Exception {
        env.clear();
        estate = io.vpcanary.estate.EstateLoader.parse(Path.of("auth-test-estate.yaml"),
                AuthTestEstate.yaml(idp.issuerUrl("lab").toString(), idp.tokenEndpointUrl("lab").toString())
                        .replace("clientSecretEnv: " + AuthTestEstate.CLIENT_SECRET_ENV,
                                "clientSecretRef: secretsmanager:vpcanary/catalog#clientSecret")
                        .replace("tokenEnv: " + AuthTestEstate.TOKEN_ENV, "tokenRef: ssm:/vpcanary/ledger-token"));
        targets = new TargetPlanner(estate, web.getPort()).targets();
        try (io.vpcanary.metrics.MotoServer moto = io.vpcanary.metrics.MotoServer.start();
             var secrets = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(moto.uri())
                     .credentialsProvider(io.vpcanary.metrics.MotoServer.FAKE)
                     .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
             var ssm = software.amazon.awssdk.services.ssm.SsmClient.builder()
                     .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(moto.uri())
                     .credentialsProvider(io.vpcanary.metrics.MotoServer.FAKE)
                     .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            ssm.putParameter(b -> b.name("/vpcanary/ledger-token").value(LAMBDA_TOKEN)
                    .type(software.amazon.awssdk.services.ssm.model.ParameterType.SECURE_STRING));
            io.vpcanary.testing.MutableClock clock = new io.vpcanary.testing.MutableClock(java.time.Instant.now());
            ProbeEngine engine = ProbeEngine.builder()
                    .resolvers(Resolvers.builder().view("on-premises", dns.address()).build())
                    .trustStore(tls.caPem(dir), null)
                    .timeout(Duration.ofSeconds(5))
                    .estate(estate)
                    .auth(AuthMaterial.aws(StaticCredentialsProvider.create(AwsBasicCredentials.create(AKID, SECRET)),
                            env::get, io.vpcanary.auth.SecretReferences.builder()
                                    .credentials(io.vpcanary.metrics.MotoServer.FAKE).region("us-east-1")
                                    .secretsManagerEndpoint(moto.uri()).ssmEndpoint(moto.uri()).clock(clock)
                                    .build()))
                    .build();
            ProbeAuth auth = engine.auth().orElseThrow();
            auth.prepare(targets); // no secret is read yet: the catalog's does not exist and that is no reason to stop

            assertThat(engine.probe(target("orders")).passed()).isTrue();
            Outcome missing = engine.probe(target("catalog"));
            assertThat(missing.passed()).isFalse();
            assertThat(missing.message()).contains("auth.clientSecretRef of API 'catalog'")
                    .contains("secretsmanager:vpcanary/catalog#clientSecret").contains("not found");

            secrets.createSecret(b -> b.name("vpcanary/catalog")
                    .secretString("{\"clientSecret\":\"" + CLIENT_SECRET + "\"}"));
            // a failed read is answered from memory for a while, then tried again
            assertThat(engine.probe(target("catalog")).message()).contains("not found");
            clock.advance(io.vpcanary.auth.SecretReferences.RETRY_AFTER);
            for (String api : List.of("catalog", "ledger")) {
                Outcome o = engine.probe(target(api));
                assertThat(o.passed()).as(api + ": " + o.message()).isTrue();
            }
            okhttp3.mockwebserver.RecordedRequest tokenRequest = idp.takeRequest();
            assertThat(tokenRequest.getPath()).endsWith("/token");
            assertThat(tokenRequest.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("catalog-client:" + CLIENT_SECRET).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(server.seen.getLast().getHeaders().get("X-Ledger-Token")).isEqualTo(LAMBDA_TOKEN);
            assertThat(auth.secretsFor(target("catalog"))).contains(CLIENT_SECRET);
            assertThat(auth.secretsFor(target("ledger"))).contains(LAMBDA_TOKEN);
        }
    }

    @Test
    void missingClientSecretVariableIsNamed() throws Exception {
        env.remove(AuthTestEstate.CLIENT_SECRET_ENV);
        ProbeEngine engine = engine();
        assertThatThrownBy(() -> engine.auth().orElseThrow().prepare(targets))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AuthTestEstate.CLIENT_SECRET_ENV)
                .hasMessageContaining("catalog");
    }

    @Test
    void echoedCredentialsAreRedacted() throws Exception {
        web.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public mockwebserver3.MockResponse dispatch(RecordedRequest r) {
                String echo = r.getHeaders().get("Authorization") + " " + r.getHeaders().get("X-Ledger-Token");
                return new mockwebserver3.MockResponse.Builder().code(403).body("{\"message\":\"" + echo + "\"}")
                        .build();
            }
        });
        ProbeEngine engine = engine();
        for (String api : List.of("orders", "catalog", "ledger")) {
            Outcome o = engine.probe(target(api));
            String all = o.toString() + ProbeReport.json(new ProbeRun(java.time.Instant.now(), Duration.ZERO,
                    List.of(o)));
            assertThat(all).doesNotContain(SECRET).doesNotContain(LAMBDA_TOKEN).doesNotContain(CLIENT_SECRET)
                    .doesNotContainPattern("eyJ[A-Za-z0-9_-]+\\.eyJ").doesNotContainPattern("Signature=[0-9a-f]{64}");
        }
    }
}
