package io.vpcanary.lab.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.Auth;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.lab.auth.JwtVerifier;
import io.vpcanary.lab.auth.LabPrincipals;
import io.vpcanary.lab.auth.SigV4Verifier;
import io.vpcanary.lab.auth.SignedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorizers of an estate's APIs at the lab's front doors, checked the way API Gateway checks them after the
 * route is found and before the resource policy:
 *
 * <ul>
 *   <li>{@code IAM}: a SigV4 signature for {@code execute-api} in the API's region, by a principal of
 *       {@link LabPrincipals} ({@link SigV4Verifier}); failures are API Gateway's 403 bodies with
 *       {@code x-amzn-ErrorType}. The signer's principal ARN goes on to the resource policy.</li>
 *   <li>{@code JWT} (HTTP APIs): a JWT of the lab's identity provider ({@link JwtVerifier}; the lab's issuer stands in
 *       for every issuer of the estate), audiences {@code auth.audiences} (else {@code auth.clientId}), route scopes
 *       {@code auth.scopes}: 401 with {@code www-authenticate}, or 403 for a missing scope.</li>
 *   <li>{@code COGNITO} (REST APIs): the same token checks; 401 {@code {"message":"Unauthorized"}} or 403
 *       {@code {"message":"Forbidden"}} for a missing scope.</li>
 *   <li>{@code TOKEN} (Lambda authorizer): the {@code auth.identitySource} header must equal the lab's token for the
 *       API: 401 when absent, 403 with an explicit deny when different.</li>
 * </ul>
 * APIs named in {@code lab.unprotectedApis}, and APIs without an authorizer, pass anonymously. Without a lab principal
 * set or an issuer, nothing can pass the IAM or token authorizers (every signature names an unknown key; every token
 * is refused). Thread-safe.
 */
public final class LabAuthorizers {

    /** What an authorizer decided. */
    sealed interface Outcome permits Pass, Reject {
    }

    /**
     * The request may go on; {@code principalArn} is the signer's ARN for IAM, else null (anonymous).
     */
    record Pass(String principalArn) implements Outcome {
    }

    /** The request is refused with {@code reply}. */
    record Reject(Reply reply) implements Outcome {
    }

    private static final Pass ANONYMOUS = new Pass(null);

    private final LabPrincipals principals;
    private final String issuer;
    private final Map<String, String> tokens;
    private final Set<String> unprotected;
    private final Clock clock;
    private final Map<String, SigV4Verifier> sigV4ByRegion = new ConcurrentHashMap<>();
    private final Map<String, JwtVerifier> jwtByApi = new HashMap<>();

    /**
     * @param estate     the estate whose APIs are checked
     * @param principals the principals IAM signatures may come from, or null for none
     * @param issuer     the issuer URL of the lab's identity provider, or null when it runs none
     * @param tokens     API name to the token its TOKEN authorizer accepts
     * @param clock      the time signatures and tokens are checked against
     * @throws IllegalArgumentException when a JWT or COGNITO API has neither audiences nor a client id
     */
    public LabAuthorizers(Estate estate, LabPrincipals principals, String issuer, Map<String, String> tokens,
                          Clock clock) {
        this.principals = principals;
        this.issuer = issuer;
        this.tokens = Map.copyOf(tokens);
        this.unprotected = Set.copyOf(estate.lab().unprotectedApis());
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Api api : estate.apis()) {
            Auth auth = api.auth();
            if (!auth.usesJwt() || issuer == null) {
                continue;
            }
            Set<String> audiences = new LinkedHashSet<>(auth.audiences());
            if (audiences.isEmpty() && auth.clientId() != null) {
                audiences.add(auth.clientId());
            }
            if (audiences.isEmpty()) {
                throw new IllegalArgumentException("API " + api.name() + ": a " + auth.type()
                        + " authorizer needs auth.audiences or auth.clientId");
            }
            JwtVerifier verifier = JwtVerifier.builder(issuer).audiences(audiences).build();
            verifier.prefetchKeys(clock.instant()); // not on an event loop later; a failure retries on first use
            jwtByApi.put(api.name(), verifier);
        }
    }

    /** Authorizers that let nothing through an IAM, JWT, COGNITO or TOKEN authorizer. */
    public static LabAuthorizers closed(Estate estate) {
        return new LabAuthorizers(estate, null, null, Map.of(), Clock.systemUTC());
    }

    /** The issuer tokens must come from, or null. */
    public String issuer() {
        return issuer;
    }

    /**
     * Checks {@code request} (null: no headers, no signature) against the authorizer of {@code api} deployed in
     * {@code region}.
     */
    Outcome check(Api api, String region, FullHttpRequest request) {
        AuthType type = api.auth().type();
        if (type == AuthType.NONE || unprotected.contains(api.name())) {
            return ANONYMOUS;
        }
        boolean rest = api.type() == ApiType.REST;
        return switch (type) {
            case IAM -> iam(region, request, rest);
            case JWT, COGNITO -> jwt(api, request, rest);
            case TOKEN -> token(api, request, rest);
            case NONE -> ANONYMOUS;
        };
    }

    /**
     * Checks a SigV4 signature for {@code execute-api} in {@code region} whatever the API's authorizer: the
     * {@code @connections} management API of WebSocket APIs is always IAM.
     */
    Outcome signature(String region, FullHttpRequest request) {
        return iam(region, request, false);
    }

    private Outcome iam(String region, FullHttpRequest request, boolean rest) {
        if (request == null) {
            return new Reject(typed(Reply.aws("missingAuthenticationToken"), rest));
        }
        if (principals == null) {
            boolean signed = request.headers().contains("Authorization")
                    || new QueryStringDecoder(request.uri()).parameters()
                    .containsKey("X-Amz-Signature");
            return new Reject(typed(Reply.aws(signed ? "iam.unknownKey" : "missingAuthenticationToken"), rest));
        }
        SigV4Verifier verifier = sigV4ByRegion.computeIfAbsent(region,
                r -> SigV4Verifier.builder(principals, r).build());
        SigV4Verifier.Result result;
        try {
            result = verifier.verify(SignedRequest.of(request), clock.instant());
        } catch (IllegalArgumentException e) {
            return new Reject(typed(Reply.aws("iam.incompleteSignature", Map.of("description", "***")), rest));
        }
        return switch (result) {
            case SigV4Verifier.Ok ok -> new Pass(ok.principal().arn());
            case SigV4Verifier.Failure f -> new Reject(typed(Reply.aws(f.messageKey(), f.placeholders()), rest));
        };
    }

    private Outcome jwt(Api api, FullHttpRequest request, boolean rest) {
        String value = header(request, api.auth().identitySource());
        JwtVerifier verifier = jwtByApi.get(api.name());
        JwtVerifier.Result result = verifier == null ? new JwtVerifier.Unauthorized("no issuer")
                : verifier.verify(value, api.auth().scopes(), clock.instant());
        String prefix = api.auth().type() == AuthType.JWT ? "jwt" : "cognito";
        return switch (result) {
            case JwtVerifier.Authorized a -> ANONYMOUS;
            case JwtVerifier.Forbidden f -> new Reject(typed(Reply.aws(prefix + ".forbidden"), rest));
            case JwtVerifier.Unauthorized u ->
                    new Reject(typed(Reply.aws(prefix + ".unauthorized", Map.of("description", u.description())), rest));
        };
    }

    private Outcome token(Api api, FullHttpRequest request, boolean rest) {
        String value = header(request, api.auth().identitySource());
        if (value == null || value.isBlank()) {
            return new Reject(typed(Reply.aws("token.unauthorized"), rest));
        }
        String expected = tokens.get(api.name());
        boolean ok = expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                value.strip().getBytes(StandardCharsets.UTF_8));
        return ok ? ANONYMOUS : new Reject(typed(Reply.aws("token.denied"), rest));
    }

    private static String header(FullHttpRequest request, String name) {
        if (request == null) {
            return null;
        }
        List<String> values = request.headers().getAll(name);
        return values.isEmpty() ? null : values.getFirst();
    }

    private static Reply typed(Reply r, boolean rest) {
        return rest ? r : new Reply(r.status(), r.body(), r.headers(), r.delayNanos(), false);
    }

    /** Names the issuer, the principals' key ids and ARNs, and the APIs with a token; never a secret or token. */
    @Override
    public String toString() {
        return "LabAuthorizers[issuer=" + issuer + ", principals=" + principals + ", tokens=" + tokens.keySet()
                + ", unprotected=" + unprotected + "]";
    }
}
