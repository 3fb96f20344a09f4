package io.vpcanary.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OAuth 2.0 client-credentials tokens from a token endpoint: Cognito's {@code https://{domain}.auth.{region}
 * .amazoncognito.com/oauth2/token} or any OIDC provider's.
 *
 * <p>Request: {@code POST} with {@code Authorization: Basic base64(id:secret)} and the form body
 * {@code grant_type=client_credentials&scope=…} (scope left out when none is configured). Answer: JSON with
 * {@code access_token} and {@code expires_in} (seconds; {@link Builder#defaultLifetime(Duration)} when absent).
 *
 * <p>Caching contract:
 * <ul>
 *   <li>A token is reused until its refresh point: expiry minus a margin of {@code min(refreshSkew, 10% of its
 *   lifetime)} (60 seconds by default), so a token is never handed out in its last moments.</li>
 *   <li>Single flight: however many threads call {@link #token()} at once, one request goes to the endpoint. In the
 *   refresh window callers other than the refreshing one keep getting the current, still valid token; without a valid
 *   token they wait for the fetch (up to the request timeout).</li>
 *   <li>After a failed fetch, no new attempt is made for {@link Builder#failureBackoff(Duration)}; meanwhile a still
 *   valid token is served, and without one the failure is rethrown.</li>
 * </ul>
 *
 * <p>Failures are {@link SigningException}s naming the endpoint, the HTTP status and the OAuth {@code error} code;
 * they never contain the client secret or a token. Thread-safe.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Cached(String token, Instant refreshAt, Instant expiresAt) {
    }

    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final List<String> scopes;
    private final Duration refreshSkew;
    private final Duration defaultLifetime;
    private final Duration timeout;
    private final Duration failureBackoff;
    private final Clock clock;
    private final HttpClient http;

    private volatile Cached cached;
    private final AtomicReference<CompletableFuture<Cached>> inFlight = new AtomicReference<>();
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile SigningException lastFailure;

    private ClientCredentialsTokenProvider(Builder b) {
        this.endpoint = Objects.requireNonNull(b.endpoint, "tokenEndpoint");
        if (!"https".equalsIgnoreCase(endpoint.getScheme()) && !"http".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException("token endpoint must be an http(s) URL: " + endpoint);
        }
        this.clientId = requireText(b.clientId, "clientId");
        this.clientSecret = requireText(b.clientSecret, "clientSecret");
        this.scopes = List.copyOf(b.scopes);
        this.refreshSkew = requirePositive(b.refreshSkew, "refreshSkew");
        this.defaultLifetime = requirePositive(b.defaultLifetime, "defaultLifetime");
        this.timeout = requirePositive(b.timeout, "timeout");
        this.failureBackoff = Objects.requireNonNull(b.failureBackoff, "failureBackoff");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.http = b.http != null ? b.http
                : HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A provider for client {@code clientId} at {@code tokenEndpoint}. */
    public static Builder builder(URI tokenEndpoint, String clientId, String clientSecret) {
        return new Builder(tokenEndpoint, clientId, clientSecret);
    }

    @Override
    public String token() {
        Instant now = clock.instant();
        Cached c = cached;
        if (c != null && now.isBefore(c.refreshAt)) {
            return c.token;
        }
        boolean stillValid = c != null && now.isBefore(c.expiresAt);
        if (now.isBefore(nextAttempt)) {
            if (stillValid) {
                return c.token;
            }
            SigningException last = lastFailure;
            throw new SigningException(last != null ? last.getMessage() : "token endpoint unavailable", last);
        }
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = inFlight.compareAndExchange(null, mine);
        if (running == null) {
            return fetchInto(mine).token;
        }
        if (stillValid) {
            return c.token;
        }
        return await(running).token;
    }

    /** Runs one fetch for the caller that won the single-flight race. */
    private Cached fetchInto(CompletableFuture<Cached> mine) {
        try {
            Instant now = clock.instant();
            Cached c = cached;
            if (c != null && now.isBefore(c.refreshAt)) {
                mine.complete(c);
                return c;
            }
            Cached fresh = fetch();
            cached = fresh;
            lastFailure = null;
            mine.complete(fresh);
            return fresh;
        } catch (SigningException e) {
            lastFailure = e;
            nextAttempt = clock.instant().plus(failureBackoff);
            mine.completeExceptionally(e);
            Cached c = cached;
            if (c != null && clock.instant().isBefore(c.expiresAt)) {
                return c;
            }
            throw e;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.set(null);
        }
    }

    private Cached await(CompletableFuture<Cached> running) {
        try {
            return running.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SigningException s) {
                throw new SigningException(s.getMessage(), s);
            }
            throw new SigningException("token fetch from " + endpoint + " failed: "
                    + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new SigningException("timed out waiting for a token from " + endpoint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted waiting for a token from " + endpoint);
        }
    }

    private Cached fetch() {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (!scopes.isEmpty()) {
            form.append("&scope=").append(URLEncoder.encode(String.join(" ", scopes), StandardCharsets.UTF_8));
        }
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        Instant sent = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SigningException("token endpoint " + endpoint + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + redact(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted calling token endpoint " + endpoint);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() != 200) {
            String error = body == null ? "" : " " + redact(body.path("error").asText(""))
                    + (body.hasNonNull("error_description")
                    ? " (" + redact(body.get("error_description").asText()) + ")" : "");
            throw new SigningException("token endpoint " + endpoint + " answered " + response.statusCode() + error
                    + " for client " + clientId);
        }
        if (body == null || !body.path("access_token").isTextual() || body.path("access_token").asText().isBlank()) {
            throw new SigningException("token endpoint " + endpoint + " answered 200 without an access_token");
        }
        String type = body.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("Bearer")) {
            throw new SigningException("token endpoint " + endpoint + " answered token_type " + redact(type)
                    + ", not Bearer");
        }
        Duration lifetime = body.path("expires_in").canConvertToLong() && body.path("expires_in").asLong() > 0
                ? Duration.ofSeconds(body.path("expires_in").asLong()) : defaultLifetime;
        Duration margin = refreshSkew.compareTo(lifetime.dividedBy(10)) < 0 ? refreshSkew : lifetime.dividedBy(10);
        Instant expiresAt = sent.plus(lifetime);
        return new Cached(body.get("access_token").asText(), expiresAt.minus(margin), expiresAt);
    }

    /**
     * Removes the client secret (raw, form-encoded, and inside Basic credentials) and any cached token from text that
     * may reach a message; truncates it.
     */
    private String redact(String text) {
        String encoded = URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        String t = text.replace(clientSecret, "***").replace(encoded, "***")
                .replace(Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                        + encoded).getBytes(StandardCharsets.UTF_8)), "***");
        Cached c = cached;
        if (c != null) {
            t = t.replace(c.token, "***");
        }
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    /** Endpoint, client id and scopes; never the secret or a token. */
    @Override
    public String toString() {
        return "ClientCredentialsTokenProvider[endpoint=" + endpoint + ", clientId=" + clientId + ", scopes=" + scopes
                + ", clientSecret=***]";
    }

    /** Builds a {@link ClientCredentialsTokenProvider}. */
    public static final class Builder {
        private final URI endpoint;
        private final String clientId;
        private final String clientSecret;
        private final List<String> scopes = new ArrayList<>();
        private Duration refreshSkew = Duration.ofSeconds(60);
        private Duration defaultLifetime = Duration.ofMinutes(5);
        private Duration timeout = Duration.ofSeconds(10);
        private Duration failureBackoff = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private HttpClient http;

        private Builder(URI endpoint, String clientId, String clientSecret) {
            this.endpoint = endpoint;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }

        /** Scopes to ask for (Cognito: {@code {resource-server}/{scope}}); none by default. */
        public Builder scopes(Collection<String> scopes) {
            scopes.forEach(s -> this.scopes.add(requireText(s, "scope")));
            return this;
        }

        /** How long before expiry a token is replaced, capped at 10% of its lifetime; 60 seconds by default. */
        public Builder refreshSkew(Duration skew) {
            this.refreshSkew = skew;
            return this;
        }

        /** The lifetime assumed when the endpoint gives no {@code expires_in}; 5 minutes by default. */
        public Builder defaultLifetime(Duration lifetime) {
            this.defaultLifetime = lifetime;
            return this;
        }

        /** Connect and request timeout for the token endpoint; 10 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The pause after a failed fetch before the next attempt; 2 seconds by default. */
        public Builder failureBackoff(Duration backoff) {
            this.failureBackoff = backoff;
            return this;
        }

        /** The clock for expiry decisions; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The HTTP client (for example one trusting a private CA); a new JDK client by default. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public ClientCredentialsTokenProvider build() {
            return new ClientCredentialsTokenProvider(this);
        }
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}
