package io.vpcanary.lab.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lab's JWT authorizer for HTTP APIs, as API Gateway's: the token comes from the identity source (raw or
 * {@code Bearer }), is an RS256 JWS whose {@code kid} names a key in the issuer's JWKS, and carries claims that match.
 *
 * <p>Keys: the discovery document {@code {issuer}/.well-known/openid-configuration} is fetched on first use and its
 * {@code jwks_uri} read; the key set is cached. A token with an unknown {@code kid} (a key rotation) triggers a refetch
 * of the key set, at most once per {@link Builder#minRefetchInterval(Duration)}, so garbage tokens cannot make the lab
 * hammer the issuer.
 *
 * <p>Checks, in order: the token is present and parses as a signed JWT; the algorithm is RS256 ({@code none}, HS256
 * and every other algorithm are refused); the {@code kid} is known; the signature verifies; {@code iss} equals the
 * issuer exactly; {@code exp} is present and not past, {@code nbf} not future, {@code iat} not future (each with the
 * leeway); {@code aud} names one of the audiences, or, when {@code aud} is absent, {@code client_id} does (Cognito
 * access tokens); finally, for a route with scopes, at least one of them appears in {@code scope} (space-separated) or
 * {@code scp} (a list). Every failure but the last is {@link Unauthorized} (401 with a {@code www-authenticate}
 * header, {@code jwt.unauthorized}); a missing scope is {@link Forbidden} (403, {@code jwt.forbidden}).
 *
 * <p>Descriptions name the failed check, never the token. Instances are thread-safe.
 */
public final class JwtVerifier {

    /** The result of {@link #verify}. */
    public sealed interface Result permits Authorized, Unauthorized, Forbidden {
        /** Whether the request may proceed. */
        default boolean ok() {
            return this instanceof Authorized;
        }
    }

    /**
     * The token is valid for the route.
     *
     * @param subject  the {@code sub} claim, or null
     * @param clientId the {@code client_id} claim (or {@code azp}), or null
     * @param scopes   the token's scopes from {@code scope} and {@code scp}
     * @param claims   every claim, for the request context ({@code $context.authorizer.claims})
     */
    public record Authorized(String subject, String clientId, Set<String> scopes, Map<String, Object> claims)
            implements Result {
        public Authorized {
            scopes = Set.copyOf(scopes);
            claims = Map.copyOf(claims);
        }

        /** Subject, client and scopes; claims are not printed. */
        @Override
        public String toString() {
            return "Authorized[subject=" + subject + ", clientId=" + clientId + ", scopes=" + scopes + "]";
        }
    }

    /**
     * 401: no token, or a token that is not valid.
     *
     * @param description the {@code error_description} for the {@code www-authenticate} header: printable ASCII
     *                    without double quotes, no token content
     */
    public record Unauthorized(String description) implements Result {
        /** The message case in {@code aws-messages.properties}. */
        public static final String MESSAGE_KEY = "jwt.unauthorized";
    }

    /**
     * 403: a valid token without any of the route's scopes.
     *
     * @param required the route's scopes
     * @param granted  the token's scopes
     */
    public record Forbidden(Set<String> required, Set<String> granted) implements Result {
        /** The message case in {@code aws-messages.properties}. */
        public static final String MESSAGE_KEY = "jwt.forbidden";
    }

    private final String issuer;
    private final Set<String> audiences;
    private final Duration leeway;
    private final Duration minRefetchInterval;
    private final Duration fetchTimeout;
    private final HttpClient http;

    private final Object lock = new Object();
    private volatile JWKSet keys;
    private URI jwksUri;
    private Instant lastFetch;
    private int fetches;

    private JwtVerifier(Builder b) {
        this.issuer = requireText(b.issuer, "issuer");
        if (b.audiences.isEmpty()) {
            throw new IllegalArgumentException("a JWT authorizer needs at least one audience");
        }
        this.audiences = Set.copyOf(b.audiences);
        this.leeway = Objects.requireNonNull(b.leeway, "leeway");
        this.minRefetchInterval = Objects.requireNonNull(b.minRefetchInterval, "minRefetchInterval");
        this.fetchTimeout = Objects.requireNonNull(b.fetchTimeout, "fetchTimeout");
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(fetchTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A verifier for tokens of {@code issuer} (the exact {@code iss} value, an https or http URL). */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /**
     * Verifies the identity source's value for a route.
     *
     * @param identitySource the header value (for example of {@code Authorization}): the token, raw or after
     *                       {@code Bearer }; null when the header is absent
     * @param routeScopes    the route's authorization scopes; empty when the route requires none
     * @param now            the time of the request
     */
    public Result verify(String identitySource, Collection<String> routeScopes, Instant now) {
        Objects.requireNonNull(routeScopes, "routeScopes");
        Objects.requireNonNull(now, "now");
        if (identitySource == null || identitySource.isBlank()) {
            return new Unauthorized("missing token");
        }
        String token = identitySource.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return new Unauthorized("token is malformed");
        }
        if (jwt instanceof PlainJWT) {
            return new Unauthorized("signing method none is invalid");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return new Unauthorized("token is not a signed JWT");
        }
        JWSHeader header = signed.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            return new Unauthorized("signing method " + printable(header.getAlgorithm().getName()).replace("'", "")
                    + " is invalid");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            return new Unauthorized("token has no kid");
        }
        RSAKey key;
        try {
            key = key(kid, now);
        } catch (KeysUnavailable e) {
            return new Unauthorized("signing keys unavailable: " + e.getMessage());
        }
        if (key == null) {
            return new Unauthorized("kid " + printable(kid) + " not found in the issuer's JWKS");
        }
        try {
            if (!signed.verify(new RSASSAVerifier(key))) {
                return new Unauthorized("signature is invalid");
            }
        } catch (JOSEException e) {
            return new Unauthorized("signature is invalid");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Unauthorized("token claims are malformed");
        }
        return checkClaims(claims, routeScopes, now);
    }

    private Result checkClaims(JWTClaimsSet claims, Collection<String> routeScopes, Instant now) {
        if (!issuer.equals(claims.getIssuer())) {
            return new Unauthorized("the token does not have a valid issuer");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return new Unauthorized("the token has no expiry");
        }
        if (now.isAfter(exp.toInstant().plus(leeway))) {
            return new Unauthorized("the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(leeway))) {
            return new Unauthorized("the token is not valid yet");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.isBefore(iat.toInstant().minus(leeway))) {
            return new Unauthorized("the token was issued in the future");
        }
        String clientId = stringClaim(claims, "client_id");
        if (clientId == null) {
            clientId = stringClaim(claims, "azp");
        }
        List<String> aud = claims.getAudience();
        boolean audienceOk = aud != null && !aud.isEmpty()
                ? aud.stream().anyMatch(audiences::contains)
                : clientId != null && audiences.contains(clientId);
        if (!audienceOk) {
            return new Unauthorized("the token does not have a valid audience");
        }
        Set<String> granted = scopes(claims);
        if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(granted::contains)) {
            return new Forbidden(Set.copyOf(routeScopes), granted);
        }
        return new Authorized(claims.getSubject(), clientId, granted, claims.toJSONObject());
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> out = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String s) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        } else if (scp instanceof String s) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    /**
     * Fetches the discovery document and key set now, so that the first token does not wait for them. The lab calls
     * it at start: verification runs on the front doors' event loops, where a fetch would stall every connection of
     * that loop. A failure is not fatal: the keys are fetched again on first use.
     *
     * @return whether the keys were fetched
     */
    public boolean prefetchKeys(Instant now) {
        synchronized (lock) {
            try {
                lastFetch = now;
                fetch();
                return true;
            } catch (KeysUnavailable e) {
                lastFetch = null;
                return false;
            }
        }
    }

    /** The RSA key {@code kid}, fetching the key set when it is not cached yet or (bounded) when the kid is unknown. */
    private RSAKey key(String kid, Instant now) throws KeysUnavailable {
        JWKSet current = keys;
        RSAKey found = find(current, kid);
        if (found != null) {
            return found;
        }
        synchronized (lock) {
            found = find(keys, kid);
            if (found != null) {
                return found;
            }
            if (lastFetch != null && now.isBefore(lastFetch.plus(minRefetchInterval))) {
                if (keys == null) {
                    throw new KeysUnavailable("the last fetch failed; next attempt after "
                            + lastFetch.plus(minRefetchInterval));
                }
                return null;
            }
            lastFetch = now;
            fetch();
            return find(keys, kid);
        }
    }

    private static RSAKey find(JWKSet set, String kid) {
        if (set == null) {
            return null;
        }
        JWK jwk = set.getKeyByKeyId(kid);
        return jwk instanceof RSAKey rsa ? rsa : null;
    }

    private void fetch() throws KeysUnavailable {
        fetches++;
        if (jwksUri == null) {
            URI discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
            Map<String, Object> doc;
            try {
                doc = JSONObjectUtils.parse(get(discovery));
            } catch (ParseException e) {
                throw new KeysUnavailable("discovery document is not JSON");
            }
            Object uri = doc.get("jwks_uri");
            if (!(uri instanceof String s)) {
                throw new KeysUnavailable("discovery document has no jwks_uri");
            }
            try {
                jwksUri = URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new KeysUnavailable("jwks_uri is not a URI");
            }
        }
        try {
            keys = JWKSet.parse(get(jwksUri));
        } catch (ParseException e) {
            throw new KeysUnavailable("JWKS is not a JWK set");
        }
    }

    private String get(URI uri) throws KeysUnavailable {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(fetchTimeout)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new KeysUnavailable("GET " + uri + " answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new KeysUnavailable("GET " + uri + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeysUnavailable("interrupted while fetching " + uri);
        } catch (IllegalArgumentException e) {
            throw new KeysUnavailable("cannot fetch " + uri);
        }
    }

    /** How many times the key set was fetched (discovery included), for operators and tests. */
    public int keySetFetches() {
        synchronized (lock) {
            return fetches;
        }
    }

    @Override
    public String toString() {
        return "JwtVerifier[issuer=" + issuer + ", audiences=" + audiences + ", leeway=" + leeway + "]";
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "'" + t.replaceAll("[^\\x20-\\x7e]", "?").replace("\"", "'") + "'";
    }

    private static final class KeysUnavailable extends Exception {
        KeysUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds a {@link JwtVerifier}. */
    public static final class Builder {
        private final String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Duration leeway = Duration.ofSeconds(30);
        private Duration minRefetchInterval = Duration.ofSeconds(30);
        private Duration fetchTimeout = Duration.ofSeconds(5);
        private HttpClient http;

        private Builder(String issuer) {
            this.issuer = issuer;
        }

        /** Accepted audiences ({@code aud}, or {@code client_id} when {@code aud} is absent); at least one. */
        public Builder audiences(Collection<String> audiences) {
            audiences.forEach(a -> this.audiences.add(requireText(a, "audience")));
            return this;
        }

        /** Tolerance on {@code exp}, {@code nbf} and {@code iat}; 30 seconds by default. */
        public Builder leeway(Duration leeway) {
            this.leeway = leeway;
            return this;
        }

        /** The shortest time between two key-set fetches caused by unknown kids; 30 seconds by default. */
        public Builder minRefetchInterval(Duration interval) {
            this.minRefetchInterval = interval;
            return this;
        }

        /** Connect and request timeout for the discovery document and the key set; 5 seconds by default. */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = timeout;
            return this;
        }

        /** The HTTP client for fetching keys (for example one that trusts the lab's CA). */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public JwtVerifier build() {
            return new JwtVerifier(this);
        }
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }
}
