package io.vpcanary.auth;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client-credentials tokens from a real embedded OIDC server (mock-oauth2-server on an ephemeral loopback port) that
 * checks the client's secret, counts the tokens it issues and can hold a token request until every caller is in.
 */
class ClientCredentialsTokenProviderTest {

    private static final String CLIENT = "canary-client";
    private static final String SECRET = "Sup3r/s3cret+value";

    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicReference<String> lastScope = new AtomicReference<>();
    private volatile CountDownLatch holdIssuing;
    private MockOAuth2Server server;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    /** Issues 1-hour tokens for issuer "lab"; counts them and can hold issuing until a latch opens. */
    final class CountingCallback extends DefaultOAuth2TokenCallback {
        CountingCallback() {
            super("lab", CLIENT, "JWT", List.of("orders-api"), Map.of(), 3600);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            issued.incrementAndGet();
            lastScope.set(request.getScope() == null ? null : request.getScope().toString());
            CountDownLatch hold = holdIssuing;
            if (hold != null) {
                try {
                    hold.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Map.of("client_id", CLIENT);
        }
    }

    /** Refuses token requests whose Basic credentials are not the client's (mock-oauth2-server accepts any). */
    static final class ClientSecretCheck implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            if (!request.getUrl().encodedPath().endsWith("/token")) {
                return false;
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":"
                    + java.net.URLEncoder.encode(SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            return !expected.equals(request.getHeaders().get("Authorization"));
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            String presented = request.getHeaders().get("Authorization");
            String decoded = presented == null ? "" : new String(Base64.getDecoder().decode(
                    presented.substring("Basic ".length())), StandardCharsets.UTF_8);
            // Like some real servers, echo what was presented: the provider must redact it.
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 401,
                    "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials " + decoded + "\"}", null);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new CountingCallback()), new MockWebServerWrapper(null)), new ClientSecretCheck());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    private ClientCredentialsTokenProvider.Builder provider(String secret) {
        return ClientCredentialsTokenProvider.builder(server.tokenEndpointUrl("lab").uri(), CLIENT, secret)
                .scopes(List.of("orders-api/read", "orders-api/write"))
                .clock(clock);
    }

    @Test
    void fetchesOnceAndCaches() throws Exception {
        ClientCredentialsTokenProvider p = provider(SECRET).build();
        String token = p.token();
        assertThat(p.token()).isSameAs(token);
        assertThat(issued.get()).isEqualTo(1);
        assertThat(lastScope.get()).isEqualTo("orders-api/read orders-api/write");
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("orders-api");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(CLIENT);
    }

    @Test
    void refreshesBeforeExpiry() {
        ClientCredentialsTokenProvider p = provider(SECRET).refreshSkew(Duration.ofSeconds(60)).build();
        Instant t0 = clock.instant();
        String first = p.token();
        // The server grants about an hour (expires_in 3599 or 3600): refresh about 60 s before the end.
        clock.set(t0.plusSeconds(3500));
        assertThat(p.token()).isEqualTo(first);
        assertThat(issued.get()).isEqualTo(1);
        clock.set(t0.plusSeconds(3545));
        String second = p.token();
        assertThat(second).isNotEqualTo(first);
        assertThat(issued.get()).isEqualTo(2);
        clock.set(t0.plusSeconds(3545 + 3500));
        assertThat(p.token()).isEqualTo(second);
        assertThat(issued.get()).isEqualTo(2);
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        ClientCredentialsTokenProvider p = provider(SECRET).build();
        int threads = 16;
        CountDownLatch allCalling = new CountDownLatch(threads);
        holdIssuing = allCalling;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    allCalling.countDown();
                    return p.token();
                }));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> f : results) {
                tokens.add(f.get(20, TimeUnit.SECONDS));
            }
            assertThat(allCalling.getCount()).isZero();
            assertThat(Set.copyOf(tokens)).hasSize(1);
            assertThat(issued.get()).as("token requests seen by the server").isEqualTo(1);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void refusedClientGivesAnErrorWithoutTheSecret() {
        ClientCredentialsTokenProvider p = provider("wrong-" + SECRET).failureBackoff(Duration.ofSeconds(2)).build();
        assertThatThrownBy(p::token)
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("answered 401 invalid_client")
                .hasMessageContaining(CLIENT)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("Sup3r"));
        assertThatThrownBy(p::token).isInstanceOf(SigningException.class);
        assertThat(issued.get()).isZero();
        assertThat(p.toString()).doesNotContain(SECRET).contains(CLIENT);
    }

    @Test
    void unreachableEndpointGivesAnErrorWithoutTheSecret() {
        URI endpoint = server.tokenEndpointUrl("lab").uri();
        server.shutdown();
        ClientCredentialsTokenProvider p = ClientCredentialsTokenProvider.builder(endpoint, CLIENT, SECRET)
                .timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(p::token)
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void staleTokenIsServedWhileARefreshFailsAndUntilItExpires() {
        ClientCredentialsTokenProvider p = provider(SECRET).failureBackoff(Duration.ofSeconds(5)).build();
        Instant t0 = clock.instant();
        String first = p.token();
        server.shutdown();
        clock.set(t0.plusSeconds(3550));
        assertThat(p.token()).isEqualTo(first);
        clock.set(t0.plusSeconds(3601));
        assertThatThrownBy(p::token).isInstanceOf(SigningException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(first));
    }

    @Test
    void tokenAuthPutsTheTokenOnEveryRequest() throws Exception {
        ClientCredentialsTokenProvider p = provider(SECRET).build();
        try (MockWebServer api = new MockWebServer()) {
            api.start(InetAddress.getLoopbackAddress(), 0);
            api.enqueue(new MockResponse.Builder().code(200).build());
            api.enqueue(new MockResponse.Builder().code(200).build());
            OkHttpClient bearer = new OkHttpClient.Builder().addInterceptor(TokenAuth.bearer(p))
                    .callTimeout(Duration.ofSeconds(10)).build();
            try (Response r = bearer.newCall(new Request.Builder().url(api.url("/prod/orders")).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
            OkHttpClient custom = new OkHttpClient.Builder()
                    .addInterceptor(TokenAuth.header("X-Api-Token", StaticTokenProvider.of("Bearer abc.def.ghi")))
                    .callTimeout(Duration.ofSeconds(10)).build();
            try (Response r = custom.newCall(new Request.Builder().url(api.url("/prod/orders")).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
            }
            RecordedRequest one = api.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest two = api.takeRequest(5, TimeUnit.SECONDS);
            assertThat(one.getHeaders().get("Authorization")).isEqualTo("Bearer " + p.token());
            assertThat(two.getHeaders().get("X-Api-Token")).isEqualTo("abc.def.ghi");
            assertThat(two.getHeaders().get("Authorization")).isNull();
        }
        assertThat(TokenAuth.bearer(p).toString()).doesNotContain(p.token()).doesNotContain(SECRET);
        assertThat(StaticTokenProvider.of("abc.def.ghi").toString()).doesNotContain("abc");
    }
}
