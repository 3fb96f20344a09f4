package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.auth.TokenAuth;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.labenv.LabEnvironment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo estate's authorizers through {@link Lab}: the IAM-protected private API {@code ledger} through every
 * access path with the lab credentials (real TLS, real SigV4 by the toolkit's signer), and the JWT-protected HTTP
 * API {@code payments} with a token of the embedded identity provider, served by the ALB route the path selects, on
 * its named stage and on {@code $default}.
 */
class LabAuthDemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;

    static Lab lab;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(state));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static OkHttpClient client(LabEnvironment.Endpoint e, okhttp3.Interceptor network) throws Exception {
        OkHttpClient.Builder b = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view()));
        if (network != null) {
            b.addNetworkInterceptor(network);
        }
        return b.build();
    }

    private static Request request(LabEnvironment.Endpoint e, String path) {
        Request.Builder r = new Request.Builder().url(e.url() + path);
        e.headers().forEach(r::header);
        return r.build();
    }

    private static SigV4Interceptor signer(String region) {
        LabEnvironment.Credentials c = lab.environment().credentials();
        return new SigV4Interceptor(SigV4RequestSigner.builder(region)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        c.secretAccessKey())))
                .build());
    }

    /** Tokens of the lab's embedded identity provider for its first client, with that client's scopes. */
    private static ClientCredentialsTokenProvider tokens(Lab l) {
        LabEnvironment.Client c = l.environment().identityProvider().clients().getFirst();
        return ClientCredentialsTokenProvider.builder(
                URI.create(l.environment().identityProvider().tokenEndpoint()), c.clientId(), c.clientSecret())
                .scopes(c.scopes()).build();
    }

    private static List<LabEnvironment.Endpoint> endpoints(String api) {
        return lab.environment().endpoints().stream().filter(e -> e.api().equals(api)).toList();
    }

    @Test
    void signedRequestsReachTheIamApiThroughEveryAccessPath() throws Exception {
        List<LabEnvironment.Endpoint> ledger = endpoints("ledger");
        assertThat(ledger).extracting(LabEnvironment.Endpoint::accessPath)
                .contains("PRIVATE_DNS", "VPCE_HOST_HEADER", "VPCE_API_ID_HEADER", "ROUTE53_ALIAS");
        for (LabEnvironment.Endpoint e : ledger) {
            try (Response r = client(e, signer(e.region())).newCall(request(e, "/entries")).execute()) {
                assertThat(r.code()).as(e.accessPath()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body().string());
                assertThat(body.get("api").asText()).isEqualTo("ledger");
                assertThat(body.get("region").asText()).isEqualTo("us-east-1");
            }
            try (Response r = client(e, null).newCall(request(e, "/entries")).execute()) {
                assertThat(r.code()).as(e.accessPath()).isEqualTo(403);
                assertThat(r.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
            }
        }
    }

    @Test
    void sigV4aIsAcceptedAcrossItsRegionSetAndASignatureForAnotherRegionIsASigningRegionMismatch() throws Exception {
        LabEnvironment.Endpoint e = endpoints("ledger").stream().filter(x -> x.accessPath().equals("PRIVATE_DNS"))
                .findFirst().orElseThrow();
        LabEnvironment.Credentials c = lab.environment().credentials();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                c.secretAccessKey()));
        SigV4Interceptor v4a = new SigV4Interceptor(SigV4RequestSigner.builder(e.region()).credentials(credentials)
                .sigV4a(List.of("us-east-1", "us-west-2")).build());
        try (Response r = client(e, v4a).newCall(request(e, "/entries")).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        try (Response r = client(e, signer("us-west-2")).newCall(request(e, "/entries")).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
            String body = r.body().string();
            assertThat(body).isEqualTo("{\"message\":\"Credential should be scoped to a valid region, not 'us-west-2'. \"}");
            assertThat(io.vpcanary.probe.Classifier.signingRegionMismatch(body)).isTrue();
        }
        SigV4Interceptor elsewhere = new SigV4Interceptor(SigV4RequestSigner.builder(e.region())
                .credentials(credentials).sigV4a(List.of("eu-*")).build());
        try (Response r = client(e, elsewhere).newCall(request(e, "/entries")).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(io.vpcanary.probe.Classifier.signingRegionMismatch(r.body().string())).isTrue();
        }
    }

    @Test
    void theEnvironmentNamesThePrincipalAndTheIdentityProvider() throws Exception {
        LabEnvironment env = lab.environment();
        assertThat(env.credentials().principalArn()).isEqualTo("arn:aws:iam::111122223333:role/vpcanary-lab-canary");
        LabEnvironment.IdentityProvider idp = env.identityProvider();
        assertThat(idp).isNotNull();
        assertThat(idp.issuer()).startsWith("http://127.0.0.1:").endsWith("/lab");
        assertThat(idp.tokenEndpoint()).isEqualTo(idp.issuer() + "/token");
        assertThat(idp.clients()).singleElement().satisfies(c -> {
            assertThat(c.api()).isEqualTo("payments");
            assertThat(c.clientId()).isEqualTo("vpcanary-canary");
            assertThat(c.scopes()).containsExactly("payments/read");
            assertThat(c.clientSecret()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(c.toString()).doesNotContain(c.clientSecret());
        });
        Path file = state.resolve("env.json");
        lab.writeEnvironment(file);
        LabEnvironment read = LabEnvironment.read(file);
        assertThat(read.identityProvider()).isEqualTo(idp);
        assertThat(read.credentials()).isEqualTo(env.credentials());
        assertThat(Files.getPosixFilePermissions(state.resolve(LabAuthSecrets.FILE)))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void aTokenOfTheEmbeddedIdentityProviderReachesTheHttpApiAndTheAlbRoutesByPath() throws Exception {
        ClientCredentialsTokenProvider tokens = tokens(lab);
        List<LabEnvironment.Endpoint> payments = endpoints("payments");
        assertThat(payments).isNotEmpty();
        for (LabEnvironment.Endpoint e : payments) {
            assertThat(e.type()).isEqualTo("HTTP");
            assertThat(URI.create(e.url()).getHost()).isEqualTo("paymnteast.execute-api.us-east-1.amazonaws.com");
            OkHttpClient authorized = client(e, null).newBuilder().addInterceptor(TokenAuth.bearer(tokens)).build();
            for (String[] route : new String[][] {{"/payments", "payments-svc"}, {"/orders", "orders-svc"}}) {
                try (Response r = authorized.newCall(request(e, route[0])).execute()) {
                    assertThat(r.code()).isEqualTo(200);
                    assertThat(r.header("apigw-requestid")).isNotBlank();
                    assertThat(r.header("x-amz-apigw-id")).isNull();
                    JsonNode body = JSON.readTree(r.body().string());
                    assertThat(body.get("target").asText()).isEqualTo(route[1]);
                    assertThat(body.get("api").asText()).isEqualTo("payments");
                    assertThat(body.get("region").asText()).isEqualTo("us-east-1");
                    assertThat(body.get("integration").asText()).isEqualTo("ALB");
                }
            }
            try (Response r = client(e, null).newCall(request(e, "/payments")).execute()) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
                assertThat(r.header("www-authenticate")).startsWith("Bearer scope=\"\" error=\"invalid_token\"");
                assertThat(r.header("apigw-requestid")).isNotBlank();
            }
        }
    }

    @Test
    void aRestartReusesTheClientSecretAndTheLabCredentials() throws Exception {
        Path other = Files.createTempDirectory(state, "restart");
        String secret;
        String key;
        try (Lab first = Lab.startDemo(Lab.Options.ephemeral(other))) {
            secret = first.environment().identityProvider().clients().getFirst().clientSecret();
            key = first.environment().credentials().accessKeyId();
            assertThat(first.identityProvider()).isPresent();
        }
        try (Lab second = Lab.startDemo(Lab.Options.ephemeral(other))) {
            assertThat(second.environment().identityProvider().clients().getFirst().clientSecret()).isEqualTo(secret);
            assertThat(second.environment().credentials().accessKeyId()).isEqualTo(key);
        }
    }

    /**
     * The demo estate with {@code payments} on the {@code $default} stage, through the real front doors: served at
     * the root with the JWT authorizer still in force; a stage segment in front of the path is no route (404 Not
     * Found, as an HTTP API answers, before the authorizer).
     */
    @Test
    void anHttpApiOnTheDefaultStageAnswersAtTheRootBehindItsJwtAuthorizer() throws Exception {
        String stage = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";
        assertThat(EstateLoader.demoText()).contains(stage);
        Path file = state.resolve("default-stage-estate.yaml");
        Files.writeString(file, EstateLoader.demoText().replace(stage, stage.replace("prod", "$default")),
                StandardCharsets.UTF_8);
        try (Lab other = Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(state.resolve("default")))) {
            List<LabEnvironment.Endpoint> payments = other.environment().endpoints().stream()
                    .filter(e -> e.api().equals("payments")).toList();
            assertThat(payments).extracting(LabEnvironment.Endpoint::url).containsExactly(
                    "https://paymnteast.execute-api.us-east-1.amazonaws.com:" + other.environment().httpsPort() + "/");
            LabEnvironment.Endpoint e = payments.getFirst();
            OkHttpClient anonymous = LabClients.client(other.ca(), LabClients.view(other.estate(), other.plan(),
                    e.view())).build();
            OkHttpClient authorized = anonymous.newBuilder().addInterceptor(TokenAuth.bearer(tokens(other))).build();
            String root = e.url().substring(0, e.url().length() - 1);
            try (Response r = authorized.newCall(new Request.Builder().url(root + "/payments").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                JsonNode body = JSON.readTree(r.body().string());
                assertThat(body.get("stage").asText()).isEqualTo("$default");
                assertThat(body.get("path").asText()).isEqualTo("/payments");
                assertThat(body.get("target").asText()).isEqualTo("payments-svc");
            }
            try (Response r = anonymous.newCall(new Request.Builder().url(root + "/payments").build()).execute()) {
                assertThat(r.code()).isEqualTo(401);
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
            }
            for (String path : List.of("/prod/payments", "/$default/payments", "/nothing")) {
                try (Response r = authorized.newCall(new Request.Builder().url(root + path).build()).execute()) {
                    assertThat(r.code()).as(path).isEqualTo(404);
                    assertThat(r.body().string()).isEqualTo("{\"message\":\"Not Found\"}");
                    assertThat(r.header("x-amzn-ErrorType")).isNull();
                    assertThat(r.header("apigw-requestid")).isNotBlank();
                }
            }
        }
    }
}
