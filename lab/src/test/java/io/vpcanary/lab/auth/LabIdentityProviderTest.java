package io.vpcanary.lab.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.auth.SigningException;
import io.vpcanary.lab.auth.JwtVerifier.Authorized;
import io.vpcanary.lab.auth.JwtVerifier.Forbidden;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole JWT path with real parts only: the toolkit's client-credentials provider gets a token from the lab's
 * identity provider over HTTP, and the lab's JWT authorizer verifies it with keys from the provider's discovery
 * document and JWKS.
 */
class LabIdentityProviderTest {

    private final LabIdentityProvider.Client canary =
            LabIdentityProvider.Client.generate("canary", List.of("orders/read", "orders/write"));
    private LabIdentityProvider idp;

    @BeforeEach
    void start() {
        idp = LabIdentityProvider.builder().client(canary)
                .client(LabIdentityProvider.Client.generate("reader", List.of("orders/read")))
                .build().start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private ClientCredentialsTokenProvider.Builder tokens(String id, String secret) {
        return ClientCredentialsTokenProvider.builder(idp.tokenEndpoint(), id, secret);
    }

    @Test
    void cognitoStyleTokenVerifiesByClientIdAndScope() throws Exception {
        String token = tokens(canary.clientId(), canary.clientSecret()).scopes(List.of("orders/read")).build().token();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getJWTClaimsSet().getAudience()).isEmpty();
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("canary");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("orders/read");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(idp.issuer())
                .isEqualTo("http://127.0.0.1:" + idp.port() + "/lab");

        JwtVerifier verifier = JwtVerifier.builder(idp.issuer()).audiences(List.of("canary")).build();
        assertThat(verifier.verify("Bearer " + token, List.of("orders/read"), Instant.now()))
                .isInstanceOf(Authorized.class);
        assertThat(verifier.verify("Bearer " + token, List.of("orders/write"), Instant.now()))
                .isInstanceOf(Forbidden.class);
    }

    @Test
    void withoutAScopeParameterTheClientGetsAllItsScopesAndAnAudienceWhenConfigured() throws Exception {
        idp.close();
        idp = LabIdentityProvider.builder().client(canary).audience("orders-api").build()
                .start(InetAddress.getLoopbackAddress(), 0);
        String token = tokens(canary.clientId(), canary.clientSecret()).build().token();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("orders-api");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("orders/read orders/write");
        assertThat(JwtVerifier.builder(idp.issuer()).audiences(List.of("orders-api")).build()
                .verify(token, List.of("orders/write"), Instant.now())).isInstanceOf(Authorized.class);
    }

    @Test
    void discoveryDocumentPointsAtTheProvidersOwnEndpoints() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create(idp.issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = new ObjectMapper()
                .readTree(r.body());
        assertThat(doc.path("issuer").asText()).isEqualTo(idp.issuer());
        assertThat(doc.path("jwks_uri").asText()).isEqualTo(idp.jwksUri().toString());
        assertThat(doc.path("token_endpoint").asText()).isEqualTo(idp.tokenEndpoint().toString());
    }

    @Test
    void wrongSecretUnknownClientAndUngrantedScopeAreRefused() {
        assertThatThrownBy(() -> tokens("canary", "not-the-secret").build().token())
                .isInstanceOf(SigningException.class).hasMessageContaining("401 invalid_client")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret"));
        assertThatThrownBy(() -> tokens("nobody", canary.clientSecret()).build().token())
                .isInstanceOf(SigningException.class).hasMessageContaining("401 invalid_client")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(canary.clientSecret()));
        assertThatThrownBy(() -> tokens("reader", idp.clients().stream().filter(c -> c.clientId().equals("reader"))
                .findFirst().orElseThrow().clientSecret()).scopes(List.of("orders/write")).build().token())
                .isInstanceOf(SigningException.class).hasMessageContaining("400 invalid_scope");
    }

    @Test
    void secretsStayOutOfToStringAndABusyPortIsAClearError() throws Exception {
        assertThat(canary.toString()).doesNotContain(canary.clientSecret()).contains("canary");
        assertThat(idp.toString()).doesNotContain(canary.clientSecret());
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LabIdentityProvider second = LabIdentityProvider.builder().client(canary).build();
            assertThatThrownBy(() -> second.start(InetAddress.getLoopbackAddress(), busy.getLocalPort()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot start the lab identity provider");
        }
    }
}
