package io.vpcanary.lab.auth;

import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;

/**
 * The lab's identity provider: a real OIDC server (mock-oauth2-server) embedded in the lab, issuing RS256 access
 * tokens to registered client-credentials clients, Cognito style.
 *
 * <p>Endpoints, under the issuer {@code http://{address}:{port}/{issuerId}}: the discovery document
 * ({@code /.well-known/openid-configuration}), the JWKS and {@code /token}. A token request must authenticate a
 * registered client with its secret (HTTP Basic, or {@code client_id}/{@code client_secret} in the form) and may ask
 * only for scopes granted to that client; otherwise the answer is {@code 401 invalid_client} or
 * {@code 400 invalid_scope}. Without a {@code scope} parameter the client gets all its scopes. Access tokens carry
 * {@code sub} and {@code client_id} (the client id), {@code scope} (space separated), {@code token_use: access}, and
 * {@code aud} only when an audience is configured (Cognito access tokens have none: JWT authorizers then match
 * {@code client_id}).
 *
 * <p>Secrets never appear in {@code toString} or in error bodies.
 */
public final class LabIdentityProvider implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A registered client.
     *
     * @param clientId     the client id
     * @param clientSecret the secret; never printed
     * @param scopes       the scopes the client may ask for
     */
    public record Client(String clientId, String clientSecret, List<String> scopes) {
        public Client {
            if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new IllegalArgumentException("client id must be 1-128 characters of [A-Za-z0-9._-]");
            }
            if (clientSecret == null || clientSecret.length() < 8) {
                throw new IllegalArgumentException("client secret must have at least 8 characters");
            }
            scopes = List.copyOf(scopes);
            scopes.forEach(s -> {
                if (!s.matches("[!#-\\[\\]-~]+")) {
                    throw new IllegalArgumentException("not an OAuth scope: '" + s + "'");
                }
            });
        }

        /** A client with a random 32-character secret. */
        public static Client generate(String clientId, Collection<String> scopes) {
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            return new Client(clientId, Base64.getUrlEncoder().withoutPadding().encodeToString(b), List.copyOf(scopes));
        }

        @Override
        public String toString() {
            return "Client[clientId=" + clientId + ", clientSecret=***, scopes=" + scopes + "]";
        }
    }

    private final String issuerId;
    private final Map<String, Client> clients;
    private final String audience;
    private final Duration tokenLifetime;
    private final MockOAuth2Server server;
    private boolean started;
    private volatile String base;

    private LabIdentityProvider(Builder b) {
        if (b.issuerId == null || !b.issuerId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("issuer id must be 1-64 characters of [A-Za-z0-9_-]");
        }
        this.issuerId = b.issuerId;
        if (b.clients.isEmpty()) {
            throw new IllegalArgumentException("register at least one client");
        }
        this.clients = Map.copyOf(b.clients);
        this.audience = b.audience;
        if (b.tokenLifetime.isNegative() || b.tokenLifetime.compareTo(Duration.ofMinutes(5)) < 0) {
            throw new IllegalArgumentException("token lifetime must be at least 5 minutes");
        }
        this.tokenLifetime = b.tokenLifetime;
        this.server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new Tokens()), new MockWebServerWrapper(null)), new ClientCheck());
    }

    /** A provider with issuer id {@code lab}, 1-hour tokens and no audience claim. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening on {@code address}:{@code port} ({@code 0} for an ephemeral port). */
    public synchronized LabIdentityProvider start(InetAddress address, int port) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        try {
            server.start(Objects.requireNonNull(address, "address"), port);
        } catch (Exception e) {
            // Kotlin declares no checked exceptions: a bind failure arrives as an undeclared IOException.
            IOException io = e instanceof IOException x ? x
                    : e.getCause() instanceof IOException x ? x : null;
            if (io != null) {
                throw new UncheckedIOException("cannot start the lab identity provider on " + address + ":" + port,
                        io);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        started = true;
        String host = address.getHostAddress();
        base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.baseUrl().port() + "/"
                + issuerId;
        return this;
    }

    /**
     * The issuer URL, {@code http://{address}:{port}/{issuerId}} with the address it listens on: the {@code iss} of
     * tokens fetched through {@link #tokenEndpoint()}, and what a JWT authorizer is configured with. (The server
     * derives {@code iss} and the discovery document's URLs from the {@code Host} a client uses: a client reaching it
     * under another name gets tokens with that name in {@code iss}.)
     */
    public String issuer() {
        String b = base;
        if (b == null) {
            throw new IllegalStateException("not started");
        }
        return b;
    }

    /** The token endpoint (client credentials). */
    public URI tokenEndpoint() {
        return URI.create(issuer() + "/token");
    }

    /** The JWKS URL. */
    public URI jwksUri() {
        return URI.create(issuer() + "/jwks");
    }

    /** The port it listens on. */
    public int port() {
        return URI.create(issuer()).getPort();
    }

    /** The registered clients. */
    public Collection<Client> clients() {
        return clients.values();
    }

    /** Stops the server. */
    @Override
    public synchronized void close() {
        if (started) {
            server.shutdown();
            started = false;
        }
    }

    @Override
    public String toString() {
        return "LabIdentityProvider[issuerId=" + issuerId + ", clients=" + clients.keySet() + ", audience=" + audience
                + ", started=" + started + "]";
    }

    /** The credentials and scopes a token request presents. */
    private record Presented(String clientId, String secret, Set<String> scopes) {
    }

    private static Presented presented(OAuth2HttpRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        String body = request.getBody();
        if (body != null) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        String authz = request.getHeaders().get("Authorization");
        if (authz != null && authz.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authz.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    id = decode(decoded.substring(0, colon));
                    secret = decode(decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        Set<String> scopes = new LinkedHashSet<>();
        String scope = form.get("scope");
        if (scope != null) {
            for (String s : scope.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return new Presented(id, secret, scopes);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Answers token requests that name an unknown client, a wrong secret or a scope not granted. */
    private final class ClientCheck implements Route {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return request.getUrl().encodedPath().endsWith("/token") && problem(request) != null;
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            String problem = problem(request);
            int status = "invalid_scope".equals(problem) ? 400 : 401;
            String description = status == 400 ? "a requested scope is not granted to the client"
                    : "client authentication failed";
            return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                    status, "{\"error\":\"" + problem + "\",\"error_description\":\"" + description + "\"}", null);
        }

        private String problem(OAuth2HttpRequest request) {
            if (!"POST".equalsIgnoreCase(request.getMethod())) {
                return "invalid_request";
            }
            Presented p = presented(request);
            Client c = p.clientId == null ? null : clients.get(p.clientId);
            if (c == null || p.secret == null || !MessageDigest.isEqual(c.clientSecret.getBytes(StandardCharsets.UTF_8),
                    p.secret.getBytes(StandardCharsets.UTF_8))) {
                return "invalid_client";
            }
            if (!c.scopes.containsAll(p.scopes)) {
                return "invalid_scope";
            }
            return null;
        }
    }

    /** Claims of the access tokens the provider issues. */
    private final class Tokens implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return issuerId;
        }

        @Override
        public String subject(TokenRequest request) {
            return clientId(request);
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return audience == null ? List.of() : List.of(audience);
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            String id = clientId(request);
            Client c = clients.get(id);
            List<String> scopes = new ArrayList<>();
            if (request.getScope() != null && !request.getScope().isEmpty()) {
                request.getScope().forEach(v -> scopes.add(v.getValue()));
            } else if (c != null) {
                scopes.addAll(c.scopes);
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("client_id", id);
            claims.put("token_use", "access");
            if (!scopes.isEmpty()) {
                claims.put("scope", String.join(" ", scopes));
            }
            return claims;
        }

        @Override
        public long tokenExpiry() {
            return tokenLifetime.toSeconds();
        }

        private String clientId(TokenRequest request) {
            ClientAuthentication auth = request.getClientAuthentication();
            if (auth != null) {
                return auth.getClientID().getValue();
            }
            return request.getClientID() == null ? "unknown" : request.getClientID().getValue();
        }
    }

    /** Builds a {@link LabIdentityProvider}. */
    public static final class Builder {
        private String issuerId = "lab";
        private final Map<String, Client> clients = new LinkedHashMap<>();
        private String audience;
        private Duration tokenLifetime = Duration.ofHours(1);

        private Builder() {
        }

        /** The issuer id: the last segment of the issuer URL; {@code lab} by default. */
        public Builder issuerId(String issuerId) {
            this.issuerId = issuerId;
            return this;
        }

        /** Registers a client (ids are unique). */
        public Builder client(Client client) {
            if (clients.putIfAbsent(client.clientId(), client) != null) {
                throw new IllegalArgumentException("duplicate client id " + client.clientId());
            }
            return this;
        }

        /** The {@code aud} of access tokens; none by default (Cognito style). */
        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** Access-token lifetime ({@code expires_in}); one hour by default (as Cognito), at least 5 minutes. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        public LabIdentityProvider build() {
            return new LabIdentityProvider(this);
        }
    }
}
