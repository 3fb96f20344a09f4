package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.lab.http.LabFrontDoors;
import io.vpcanary.labenv.LabEnvironment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Every authorizer of the lab against real requests over TLS to a lab started with {@link Lab#start}: IAM (SigV4
 * failures and the principal reaching the resource policy), JWT (HTTP API) and Cognito (REST) with tokens of the
 * embedded identity provider, the token (Lambda) authorizer, and an API in {@code lab.unprotectedApis}.
 */
class LabAuthorizersTest {

    private static final String ESTATE = """
            account: "111122223333"
            apis:
              - name: iamapi
                type: REST
                endpointType: REGIONAL
                stage: prod
                auth: {type: IAM}
                regions: [{region: us-east-1, id: iamapieast}]
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*}
                    - Effect: Deny
                      Principal: {AWS: arn:aws:iam::111122223333:role/vpcanary-lab-canary}
                      Action: execute-api:Invoke
                      Resource: execute-api:/*/GET/denied
                resources: [/items, /denied]
              - name: openiam
                type: REST
                endpointType: REGIONAL
                stage: prod
                auth: {type: IAM}
                regions: [{region: us-east-1, id: openiamea1}]
                resources: [/items]
              - name: pay
                type: HTTP
                endpointType: REGIONAL
                stage: prod
                auth: {type: JWT, audiences: [vpcanary-canary, reporting], scopes: [payments/read], clientId: vpcanary-canary}
                regions: [{region: us-east-1, id: payeast001}]
                resources: [/payments]
              - name: reports
                type: HTTP
                endpointType: REGIONAL
                stage: prod
                auth: {type: JWT, audiences: [reporting], scopes: [reports/read], clientId: reporting}
                regions: [{region: us-east-1, id: reportsea1}]
                resources: [/reports]
              - name: cog
                type: REST
                endpointType: REGIONAL
                stage: prod
                auth: {type: COGNITO, audiences: [vpcanary-canary, reporting], scopes: [payments/read], clientId: vpcanary-canary}
                regions: [{region: us-east-1, id: cogeast001}]
                resources: [/things]
              - name: tok
                type: REST
                endpointType: REGIONAL
                stage: prod
                auth: {type: TOKEN, identitySource: X-Api-Token, tokenEnv: VPCANARY_TOK_TOKEN}
                regions: [{region: us-east-1, id: tokeast001}]
                resources: [/things]
            lab:
              regions: [{region: us-east-1, addressBlock: 127.0.1.0/24}]
              unprotectedApis: [openiam]
            """;

    @TempDir
    static Path state;

    static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);
    static Lab lab;
    static LabEnvironment env;

    /** The system clock moved by {@link #OFFSET}. */
    static final class OffsetClock extends Clock {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(OFFSET.get());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Estate estate = EstateLoader.parse(state.resolve("auth-estate.yaml"), ESTATE);
        lab = Lab.start(estate, state.resolve("auth-estate.yaml"),
                new Lab.Options(state, 0, 0, null, new OffsetClock()));
        env = lab.environment();
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void resetClock() {
        OFFSET.set(Duration.ZERO);
    }

    private static LabEnvironment.Endpoint endpoint(String api) {
        return env.endpoints().stream().filter(e -> e.api().equals(api)).findFirst().orElseThrow();
    }

    private static Response call(String api, String path, Map<String, String> headers, okhttp3.Interceptor network)
            throws Exception {
        LabEnvironment.Endpoint e = endpoint(api);
        OkHttpClient.Builder b = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view()));
        if (network != null) {
            b.addNetworkInterceptor(network);
        }
        Request.Builder r = new Request.Builder().url(e.url() + path);
        e.headers().forEach(r::header);
        headers.forEach(r::header);
        return b.build().newCall(r.build()).execute();
    }

    private static SigV4Interceptor signer(String region, String secret, Clock clock) {
        SigV4RequestSigner.Builder b = SigV4RequestSigner.builder(region)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.credentials().accessKeyId(), secret)));
        if (clock != null) {
            b.clock(clock);
        }
        return new SigV4Interceptor(b.build());
    }

    private static SigV4Interceptor labSigner() {
        return signer("us-east-1", env.credentials().secretAccessKey(), null);
    }

    private static String token(String clientId, URI endpoint) {
        LabEnvironment.Client c = env.identityProvider().clients().stream().filter(x -> x.clientId().equals(clientId))
                .findFirst().orElseThrow();
        return ClientCredentialsTokenProvider.builder(endpoint, c.clientId(), c.clientSecret()).scopes(c.scopes())
                .build().token();
    }

    private static String token(String clientId) {
        return token(clientId, URI.create(env.identityProvider().tokenEndpoint()));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    // ---- IAM

    @Test
    void iamAcceptsTheLabPrincipalAndRefusesUnsignedRequests() throws Exception {
        try (Response r = call("iamapi", "/items", Map.of(), labSigner())) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).contains("\"api\":\"iamapi\"");
        }
        try (Response r = call("iamapi", "/items", Map.of(), null)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        }
    }

    @Test
    void iamRefusesAWrongSecretAStaleDateAndAnotherRegion() throws Exception {
        try (Response r = call("iamapi", "/items", Map.of(), signer("us-east-1", "wrong" + env.credentials()
                .secretAccessKey().substring(5), null))) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
            assertThat(r.body().string()).contains("The request signature we calculated does not match");
        }
        Clock stale = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        try (Response r = call("iamapi", "/items", Map.of(), signer("us-east-1", env.credentials().secretAccessKey(),
                stale))) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
            assertThat(r.body().string()).startsWith("{\"message\":\"Signature expired: ")
                    .contains("is now earlier than").endsWith(" - 5 min.)\"}");
        }
        try (Response r = call("iamapi", "/items", Map.of(), signer("us-west-2", env.credentials().secretAccessKey(),
                null))) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
        }
        try (Response r = call("iamapi", "/items", Map.of("Authorization", "Bearer abc.def.ghi"), null)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("IncompleteSignatureException");
            assertThat(r.body().string()).doesNotContain("abc.def.ghi");
        }
    }

    @Test
    void aPresignedUrlOfTheLabPrincipalIsAccepted() throws Exception {
        LabEnvironment.Endpoint e = endpoint("iamapi");
        SigV4RequestSigner signer = SigV4RequestSigner.builder("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.credentials().accessKeyId(), env.credentials().secretAccessKey())))
                .build();
        URI url = signer.presign("GET", URI.create(e.url() + "/items"), Map.of(), Duration.ofMinutes(5));
        OkHttpClient client = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view())).build();
        try (Response r = client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        String tampered = url.toString().replace("/items", "/denied");
        try (Response r = client.newCall(new Request.Builder().url(tampered).build()).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("InvalidSignatureException");
        }
    }

    @Test
    void garbageAuthorizationHeadersGet403AndTheFrontDoorStaysUp() throws Exception {
        List<String> garbage = List.of("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 "
                + "Credential=////, SignedHeaders=, Signature=", "AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/"
                + "execute-api/aws4_request, SignedHeaders=host, Signature=zz", "Basic Zm9vOmJhcg==",
                "AWS4-HMAC-SHA256 Credential=" + "A".repeat(4000) + ", SignedHeaders=host;x-amz-date, Signature=00",
                "x\ty \t z", ",,,,==,=,");
        for (String value : garbage) {
            try (Response r = call("iamapi", "/items", Map.of("Authorization", value, "X-Amz-Date", "garbage"),
                    null)) {
                assertThat(r.code()).as(value).isEqualTo(403);
                assertThat(r.header("x-amzn-ErrorType")).as(value).isNotBlank();
                assertThat(r.body().string()).as(value).doesNotContain("A".repeat(100));
            }
        }
        try (Response r = call("iamapi", "/items", Map.of(), labSigner())) {
            assertThat(r.code()).isEqualTo(200);
        }
    }

    @Test
    void theSignersPrincipalReachesTheResourcePolicy() throws Exception {
        try (Response r = call("iamapi", "/denied", Map.of(), labSigner())) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"Message\":\"User: arn:aws:iam::111122223333:role/"
                    + "vpcanary-lab-canary is not authorized to perform: execute-api:Invoke on resource: "
                    + "arn:aws:execute-api:us-east-1:111122223333:iamapieast/prod/GET/denied with an explicit deny\"}");
        }
    }

    @Test
    void anUnprotectedApiServesUnsignedRequests() throws Exception {
        try (Response r = call("openiam", "/items", Map.of(), null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).contains("\"api\":\"openiam\"");
        }
    }

    // ---- JWT (HTTP API)

    @Test
    void jwtAcceptsATokenOfTheLabIdentityProvider() throws Exception {
        try (Response r = call("pay", "/payments", bearer(token("vpcanary-canary")), null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("apigw-requestid")).isNotBlank();
        }
        try (Response r = call("pay", "/payments", Map.of("Authorization", token("vpcanary-canary")), null)) {
            assertThat(r.code()).as("a raw token (no Bearer) is accepted too").isEqualTo(200);
        }
    }

    @Test
    void jwtRefusesMissingExpiredForeignAndUnsignedTokens() throws Exception {
        assertUnauthorized(call("pay", "/payments", Map.of(), null), "missing token");
        String good = token("vpcanary-canary");
        OFFSET.set(Duration.ofHours(2));
        assertUnauthorized(call("pay", "/payments", bearer(good), null), "the token has expired");
        OFFSET.set(Duration.ZERO);
        assertUnauthorized(call("reports", "/reports", bearer(good), null), "the token does not have a valid audience");
        URI otherName = URI.create(env.identityProvider().tokenEndpoint().replace("127.0.0.1", "localhost"));
        assertUnauthorized(call("pay", "/payments", bearer(token("vpcanary-canary", otherName)), null),
                "the token does not have a valid issuer");
        String[] parts = good.split("\\.");
        String none = b64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        assertUnauthorized(call("pay", "/payments", bearer(none), null), "signing method none is invalid");
    }

    @Test
    void jwtRefusesATokenWithoutTheRouteScope() throws Exception {
        try (Response r = call("pay", "/payments", bearer(token("reporting")), null)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
    }

    private static void assertUnauthorized(Response response, String description) throws Exception {
        try (Response r = response) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
            assertThat(r.header("www-authenticate")).isEqualTo("Bearer scope=\"\" error=\"invalid_token\" "
                    + "error_description=\"" + description + "\"");
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---- Cognito (REST) and token authorizers

    @Test
    void cognitoAuthorizerAnswersRestStyle() throws Exception {
        try (Response r = call("cog", "/things", bearer(token("vpcanary-canary")), null)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("x-amz-apigw-id")).isNotBlank();
        }
        try (Response r = call("cog", "/things", Map.of(), null)) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
            assertThat(r.header("www-authenticate")).isNull();
        }
        try (Response r = call("cog", "/things", bearer(token("reporting")), null)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
    }

    @Test
    void tokenAuthorizerAcceptsOnlyTheLabToken() throws Exception {
        LabEnvironment.Token t = env.tokens().stream().filter(x -> x.api().equals("tok")).findFirst().orElseThrow();
        assertThat(t.identitySource()).isEqualTo("X-Api-Token");
        assertThat(t.tokenEnv()).isEqualTo("VPCANARY_TOK_TOKEN");
        assertThat(t.toString()).doesNotContain(t.token());
        try (Response r = call("tok", "/things", Map.of("X-Api-Token", t.token()), null)) {
            assertThat(r.code()).isEqualTo(200);
        }
        try (Response r = call("tok", "/things", Map.of(), null)) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        try (Response r = call("tok", "/things", Map.of("X-Api-Token", t.token() + "x"), null)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).contains("explicit deny");
        }
    }

    @Test
    void frontDoorsStartedWithoutAuthorizersLetNothingThrough() throws Exception {
        String token = token("vpcanary-canary");
        try (LabFrontDoors closed = LabFrontDoors.start(lab.estate(), lab.plan(), lab.ca(), 0,
                LabFrontDoors.Options.defaults())) {
            OkHttpClient client = LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), "on-premises"))
                    .build();
            String iam = "https://iamapieast.execute-api.us-east-1.amazonaws.com:" + closed.port() + "/prod/items";
            try (Response r = client.newCall(new Request.Builder().url(iam).build()).execute()) {
                assertThat(r.code()).isEqualTo(403);
                assertThat(r.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
            }
            OkHttpClient signed = client.newBuilder().addNetworkInterceptor(labSigner()).build();
            try (Response r = signed.newCall(new Request.Builder().url(iam).build()).execute()) {
                assertThat(r.code()).isEqualTo(403);
                // the unknown-key answer: "The security token included in the request is invalid."
                assertThat(r.header("x-amzn-ErrorType")).isEqualTo("AccessDeniedException");
            }
            String pay = "https://payeast001.execute-api.us-east-1.amazonaws.com:" + closed.port() + "/prod/payments";
            try (Response r = client.newCall(new Request.Builder().url(pay).header("Authorization", "Bearer " + token)
                    .build()).execute()) {
                assertThat(r.code()).isEqualTo(401);
            }
        }
    }

    @Test
    void clientsAreRegisteredPerApi() {
        assertThat(env.identityProvider().clients()).extracting(LabEnvironment.Client::api)
                .containsExactly("pay", "reports", "cog");
        assertThat(env.tokens()).extracting(LabEnvironment.Token::api).containsExactly("tok");
        assertThat(List.of(env.toString(), lab.identityProvider().orElseThrow().toString()))
                .allSatisfy(s -> env.identityProvider().clients()
                        .forEach(c -> assertThat(s).doesNotContain(c.clientSecret())));
    }
}
