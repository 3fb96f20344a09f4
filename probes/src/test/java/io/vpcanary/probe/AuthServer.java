package io.vpcanary.probe;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vpcanary.auth.SigV4RequestSigner;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A MockWebServer dispatcher playing API Gateway for {@link AuthTestEstate}: when enforcing, it verifies IAM requests'
 * SigV4 signatures by re-signing what it received (access key, secret, region, service, 5-minute skew), verifies JWTs
 * against the issuer's JWKS (RS256, iss, aud, exp, scope) and TOKEN requests against the one accepted token, answering
 * 401/403 as API Gateway does; when open, it answers 200 to everything (an API without its authorizer).
 */
final class AuthServer extends Dispatcher {

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), "
                    + "Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    final AtomicBoolean enforcing = new AtomicBoolean(true);
    final List<RecordedRequest> seen = new CopyOnWriteArrayList<>();
    private final String accessKeyId;
    private final String secretKey;
    private final String issuer;
    private final URL jwks;
    private final String lambdaToken;

    AuthServer(String accessKeyId, String secretKey, String issuer, URL jwks, String lambdaToken) {
        this.accessKeyId = accessKeyId;
        this.secretKey = secretKey;
        this.issuer = issuer;
        this.jwks = jwks;
        this.lambdaToken = lambdaToken;
    }

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        seen.add(r);
        if (!enforcing.get()) {
            return json(200, "{\"ok\":true}", null);
        }
        String host = host(r);
        try {
            if (host.startsWith(AuthTestEstate.ORDERS_HOST)) {
                return iam(r);
            }
            if (host.startsWith(AuthTestEstate.CATALOG_HOST)) {
                return jwt(r.getHeaders().get("Authorization"));
            }
            if (host.startsWith(AuthTestEstate.LEDGER_HOST)) {
                String t = r.getHeaders().get("X-Ledger-Token");
                return t == null ? json(401, "{\"message\":\"Unauthorized\"}", null)
                        : t.equals(lambdaToken) ? json(200, "{\"ok\":true}", null)
                        : json(403, "{\"Message\":\"User is not authorized to access this resource\"}", null);
            }
        } catch (Exception e) {
            return json(500, "{\"message\":\"test server: " + e + "\"}", null);
        }
        return json(404, "{\"message\":\"Not Found\"}", null);
    }

    /** The Host header, or the authority of an HTTP/2 request. */
    private static String host(RecordedRequest r) {
        String h = r.getHeaders().get("Host");
        return h != null ? h : r.getUrl().host() + ":" + r.getUrl().port();
    }

    private MockResponse iam(RecordedRequest r) {
        String authorization = r.getHeaders().get("Authorization");
        if (authorization == null) {
            return json(403, "{\"message\":\"Missing Authentication Token\"}", "MissingAuthenticationTokenException");
        }
        Matcher m = AUTH.matcher(authorization);
        if (!m.matches()) {
            return json(403, "{\"message\":\"Authorization header requires 'Credential' parameter.\"}",
                    "IncompleteSignatureException");
        }
        Instant date = Instant.from(AMZ_DATE.parse(r.getHeaders().get("X-Amz-Date")));
        if (Duration.between(date, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) > 0) {
            return json(403, "{\"message\":\"Signature expired\"}", "InvalidSignatureException");
        }
        if (!m.group(1).equals(accessKeyId)) {
            return json(403, "{\"message\":\"The security token included in the request is invalid.\"}",
                    "UnrecognizedClientException");
        }
        if (!m.group(3).equals("us-east-1") || !m.group(4).equals("execute-api")) {
            return json(403, "{\"message\":\"Credential should be scoped to a valid region.\"}",
                    "InvalidSignatureException");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : m.group(5).split(";")) {
            headers.put(name, name.equals("host") ? List.of(host(r)) : r.getHeaders().values(name));
        }
        byte[] body = r.getBody() == null ? null : r.getBody().toByteArray();
        Map<String, String> expected = SigV4RequestSigner.builder("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretKey)))
                .clock(Clock.fixed(date, ZoneOffset.UTC))
                .build()
                .sign(r.getMethod(), "https", "ignored.example.test", -1, r.getUrl().encodedPath(),
                        r.getUrl().encodedQuery(), headers, body != null && body.length == 0 ? null : body);
        if (!authorization.equals(expected.get("Authorization"))) {
            return json(403, "{\"message\":\"The request signature we calculated does not match the signature you "
                    + "provided.\"}", "InvalidSignatureException");
        }
        return json(200, "{\"ok\":true,\"signedHeaders\":\"" + m.group(5) + "\"}", null);
    }

    private MockResponse jwt(String authorization) throws Exception {
        MockResponse unauthorized = json(401, "{\"message\":\"Unauthorized\"}", null);
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return unauthorized;
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(authorization.substring(7));
        } catch (java.text.ParseException e) {
            return unauthorized;
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return unauthorized;
        }
        RSAKey key = (RSAKey) JWKSet.load(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        if (key == null || !jwt.verify(new RSASSAVerifier(key))) {
            return unauthorized;
        }
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        if (!issuer.equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains("catalog")
                || c.getExpirationTime() == null || c.getExpirationTime().toInstant().isBefore(Instant.now())) {
            return unauthorized;
        }
        Object scope = c.getClaim("scope");
        List<String> scopes = scope == null ? List.of() : new ArrayList<>(List.of(scope.toString().split(" ")));
        if (!scopes.contains("catalog/read")) {
            return json(403, "{\"message\":\"Forbidden\"}", null);
        }
        return json(200, "{\"ok\":true}", null);
    }

    private static MockResponse json(int status, String body, String errorType) {
        MockResponse.Builder b = new MockResponse.Builder().code(status)
                .setHeader("Content-Type", "application/json").body(body);
        if (errorType != null) {
            b.setHeader("x-amzn-ErrorType", errorType);
        }
        return b.build();
    }

    /** Names the requests tests may look for. */
    static Set<String> hosts() {
        return Set.of(AuthTestEstate.ORDERS_HOST, AuthTestEstate.CATALOG_HOST, AuthTestEstate.LEDGER_HOST);
    }
}
