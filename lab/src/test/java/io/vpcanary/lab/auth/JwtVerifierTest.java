package io.vpcanary.lab.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.lab.auth.JwtVerifier.Authorized;
import io.vpcanary.lab.auth.JwtVerifier.Forbidden;
import io.vpcanary.lab.auth.JwtVerifier.Result;
import io.vpcanary.lab.auth.JwtVerifier.Unauthorized;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab's JWT authorizer against a real embedded OIDC server (mock-oauth2-server on an ephemeral loopback port):
 * discovery and JWKS over HTTP, tokens issued by the server, and tokens crafted to break one rule each.
 */
class JwtVerifierTest {

    private static final String AUDIENCE = "orders-api";

    private final RotatingKeys keys = new RotatingKeys();
    private MockOAuth2Server server;
    private String issuer;

    /** The server's signing key, switchable to simulate a key rotation; counts JWKS lookups. */
    static final class RotatingKeys extends KeyProvider {
        volatile RSAKey current = newKey("key-1");
        final AtomicInteger lookups = new AtomicInteger();

        RotatingKeys() {
            super(List.of(), "RS256");
        }

        @Override
        public JWK signingKey(String keyId) {
            lookups.incrementAndGet();
            return current;
        }

        static RSAKey newKey(String kid) {
            try {
                return new RSAKeyGenerator(2048).keyID(kid).generate();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(keys),
                Set.of(), new MockWebServerWrapper(null)));
        server.start(InetAddress.getLoopbackAddress(), 0);
        issuer = server.issuerUrl("lab").toString();
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private JwtVerifier verifier() {
        return JwtVerifier.builder(issuer).audiences(List.of(AUDIENCE)).build();
    }

    private String serverToken(String audience, Map<String, Object> claims) {
        return server.issueToken("lab", "client-a", audience, claims).serialize();
    }

    @Test
    void validTokenFromTheServerIsAuthorizedRawOrBearer() {
        JwtVerifier v = verifier();
        String token = serverToken(AUDIENCE, Map.of("scope", "orders/read orders/write"));
        Result bearer = v.verify("Bearer " + token, List.of("orders/read"), Instant.now());
        assertThat(bearer).isInstanceOf(Authorized.class);
        assertThat(((Authorized) bearer).scopes()).containsExactlyInAnyOrder("orders/read", "orders/write");
        assertThat(((Authorized) bearer).subject()).isEqualTo("client-a");
        assertThat(v.verify(token, List.of(), Instant.now())).isInstanceOf(Authorized.class);
        assertThat(v.keySetFetches()).isEqualTo(1);
    }

    @Test
    void clientCredentialsTokenFromTheTokenEndpointIsAuthorized() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.tokenEndpointUrl("lab").uri())
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "canary-client:canary-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + AUDIENCE))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(r.body());
        Result result = verifier().verify("Bearer " + body.get("access_token").asText(), List.of(), Instant.now());
        assertThat(result).as(String.valueOf(result)).isInstanceOf(Authorized.class);
        assertThat(((Authorized) result).subject()).isEqualTo("canary-client");
    }

    @Test
    void expiredTokenIsRefusedAfterTheLeeway() {
        JwtVerifier v = verifier();
        String token = serverToken(AUDIENCE, Map.of());
        Instant exp = Instant.now().plusSeconds(3600);
        assertThat(v.verify(token, List.of(), exp.plusSeconds(20))).isInstanceOf(Authorized.class);
        assertThat(v.verify(token, List.of(), exp.plusSeconds(120)))
                .isEqualTo(new Unauthorized("the token has expired"));
    }

    @Test
    void wrongAudienceAndWrongIssuerAreRefused() {
        JwtVerifier v = verifier();
        assertThat(v.verify(serverToken("someone-else", Map.of()), List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("the token does not have a valid audience"));
        String otherIssuer = server.issueToken("other", "client-a", AUDIENCE, Map.of()).serialize();
        assertThat(v.verify(otherIssuer, List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("the token does not have a valid issuer"));
    }

    @Test
    void algNoneHs256AndGarbageAreRefused() throws Exception {
        JwtVerifier v = verifier();
        JWTClaimsSet claims = claims().build();
        assertThat(v.verify(new PlainJWT(claims).serialize(), List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("signing method none is invalid"));
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims);
        hs.sign(new MACSigner(new byte[32]));
        assertThat(v.verify(hs.serialize(), List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("signing method HS256 is invalid"));
        for (String garbage : List.of("not-a-jwt", "a.b.c", "Bearer ", "\u0000\u0001", "x".repeat(10_000))) {
            assertThat(v.verify(garbage, List.of(), Instant.now())).isInstanceOf(Unauthorized.class);
        }
        assertThat(v.verify(null, List.of(), Instant.now())).isEqualTo(new Unauthorized("missing token"));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (String header : List.of("{\"alg\":\"HS\\\"256\\r\\n\"}", "{\"alg\":\"RS256\",\"kid\":\"a\\\"b\\n\"}")) {
            String hostile = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims().build().toString().getBytes(StandardCharsets.UTF_8)) + ".c2ln";
            Result r = v.verify(hostile, List.of(), Instant.now());
            assertThat(r).isInstanceOf(Unauthorized.class);
            assertThat(((Unauthorized) r).description()).as("safe inside a quoted www-authenticate parameter")
                    .matches("[ !#-~]+");
        }
        String token = serverToken(AUDIENCE, Map.of());
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().subject("admin").build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(v.verify(tampered, List.of(), Instant.now())).isEqualTo(new Unauthorized("signature is invalid"));
    }

    @Test
    void timeClaimsAreChecked() throws Exception {
        JwtVerifier v = verifier();
        Instant now = Instant.now();
        assertThat(v.verify(sign(claims().notBeforeTime(Date.from(now.plusSeconds(300)))), List.of(), now))
                .isEqualTo(new Unauthorized("the token is not valid yet"));
        assertThat(v.verify(sign(claims().issueTime(Date.from(now.plusSeconds(300)))), List.of(), now))
                .isEqualTo(new Unauthorized("the token was issued in the future"));
        assertThat(v.verify(sign(claims().expirationTime(null)), List.of(), now))
                .isEqualTo(new Unauthorized("the token has no expiry"));
    }

    @Test
    void routeScopesNeedOneMatchInScopeOrScp() throws Exception {
        JwtVerifier v = verifier();
        String readOnly = serverToken(AUDIENCE, Map.of("scope", "orders/read"));
        Result forbidden = v.verify(readOnly, List.of("orders/write", "orders/admin"), Instant.now());
        assertThat(forbidden).isInstanceOf(Forbidden.class);
        assertThat(((Forbidden) forbidden).granted()).containsExactly("orders/read");
        assertThat(v.verify(readOnly, List.of("orders/admin", "orders/read"), Instant.now()))
                .isInstanceOf(Authorized.class);
        String scp = sign(claims().claim("scp", List.of("orders/write")));
        assertThat(v.verify(scp, List.of("orders/write"), Instant.now())).isInstanceOf(Authorized.class);
        assertThat(v.verify(serverToken(AUDIENCE, Map.of()), List.of("orders/read"), Instant.now()))
                .isInstanceOf(Forbidden.class);
    }

    @Test
    void clientIdStandsInForAnAbsentAudience() throws Exception {
        JwtVerifier v = verifier();
        String cognitoStyle = sign(claims().audience((String) null).claim("client_id", AUDIENCE)
                .claim("token_use", "access"));
        Result ok = v.verify(cognitoStyle, List.of(), Instant.now());
        assertThat(ok).isInstanceOf(Authorized.class);
        assertThat(((Authorized) ok).clientId()).isEqualTo(AUDIENCE);
        String wrongClient = sign(claims().audience((String) null).claim("client_id", "another-client"));
        assertThat(v.verify(wrongClient, List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("the token does not have a valid audience"));
        String audWins = sign(claims().audience("someone-else").claim("client_id", AUDIENCE));
        assertThat(v.verify(audWins, List.of(), Instant.now()))
                .isEqualTo(new Unauthorized("the token does not have a valid audience"));
    }

    @Test
    void unknownKidRefetchesBoundedAndFollowsAKeyRotation() throws Exception {
        JwtVerifier v = JwtVerifier.builder(issuer).audiences(List.of(AUDIENCE))
                .minRefetchInterval(Duration.ofSeconds(30)).build();
        String before = serverToken(AUDIENCE, Map.of());
        Instant t0 = Instant.now();
        assertThat(v.verify(before, List.of(), t0)).isInstanceOf(Authorized.class);
        assertThat(v.keySetFetches()).isEqualTo(1);

        // The issuer rotates: it now signs with, and publishes, key-2 only.
        keys.current = RotatingKeys.newKey("key-2");
        String after = serverToken(AUDIENCE, Map.of());
        int lookups = keys.lookups.get();

        assertThat(v.verify(after, List.of(), t0.plusSeconds(1)))
                .isEqualTo(new Unauthorized("kid 'key-2' not found in the issuer's JWKS"));
        RSAKey stranger = RotatingKeys.newKey("stranger");
        for (int i = 0; i < 50; i++) {
            String flood = sign(claims(), new RSAKey.Builder(stranger).keyID(UUID.randomUUID().toString()).build());
            assertThat(v.verify(flood, List.of(), t0.plusSeconds(2))).isInstanceOf(Unauthorized.class);
        }
        assertThat(v.keySetFetches()).isEqualTo(1);
        assertThat(keys.lookups.get()).as("no JWKS request reached the server").isEqualTo(lookups);

        assertThat(v.verify(after, List.of(), t0.plusSeconds(31))).isInstanceOf(Authorized.class);
        assertThat(v.keySetFetches()).isEqualTo(2);
        assertThat(keys.lookups.get()).as("the JWKS was fetched again").isGreaterThan(lookups);
        assertThat(v.verify(before, List.of(), t0.plusSeconds(32)))
                .isEqualTo(new Unauthorized("kid 'key-1' not found in the issuer's JWKS"));
        assertThat(v.keySetFetches()).isEqualTo(2);
    }

    @Test
    void unreachableIssuerGivesUnauthorizedWithoutSecrets() {
        server.shutdown();
        JwtVerifier v = JwtVerifier.builder(issuer).audiences(List.of(AUDIENCE)).fetchTimeout(Duration.ofSeconds(2))
                .build();
        String token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJ4In0.c2ln";
        Result r = v.verify(token, List.of(), Instant.now());
        assertThat(r).isInstanceOf(Unauthorized.class);
        assertThat(((Unauthorized) r).description()).startsWith("signing keys unavailable").doesNotContain(token);
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("client-a").audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private String sign(JWTClaimsSet.Builder claims) throws Exception {
        return sign(claims, keys.current);
    }

    private static String sign(JWTClaimsSet.Builder claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
