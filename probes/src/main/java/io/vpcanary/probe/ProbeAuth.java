package io.vpcanary.probe;

import io.vpcanary.access.Target;
import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.auth.SigningException;
import io.vpcanary.auth.TokenProvider;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Auth;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Signing;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The OkHttp network interceptor that authenticates each probe as its API's authorizer requires, from
 * {@link AuthMaterial}. Installed by {@link ProbeEngine.Builder#auth(AuthMaterial)}.
 *
 * <ul>
 *   <li>IAM: SigV4 for {@code execute-api} in the target's region through {@link SigV4Interceptor} (SigV4a for every
 *       region of the API when its auth says {@code signing: SIGV4A}). As a network
 *       interceptor it signs the request exactly as it goes on the wire: the explicit {@code Host} of a
 *       VPC-endpoint-with-Host-header path (the URL's authority otherwise) and the SHA-256 of the body.</li>
 *   <li>JWT/COGNITO: {@code Bearer {token}} in the API's identity source, the token from one client-credentials
 *       provider per API, shared by all of the API's targets (it caches and refreshes the token).</li>
 *   <li>TOKEN: the API's token in its identity source ({@code Bearer } in {@code Authorization}, raw in any other
 *       header).</li>
 *   <li>A request tagged with a {@link Refusal} is spoiled in exactly that way instead (see {@link TokenForge} for
 *       the forged tokens).</li>
 * </ul>
 * Requests without a {@link Target} tag, or for APIs without auth, pass untouched. A failure to obtain credentials
 * fails the call with an {@link IOException} whose message names what is missing and never a secret. Thread-safe.
 */
public final class ProbeAuth implements Interceptor {

    /** How far behind the clock of a {@link Refusal#STALE_DATE} signature is. */
    static final Duration STALE_BY = Duration.ofMinutes(15);

    private final Estate estate;
    private final AuthMaterial material;
    private final TokenForge forge = new TokenForge();
    private final Map<String, SigV4RequestSigner> signers = new ConcurrentHashMap<>();
    private final Map<String, TokenProvider> providers = new ConcurrentHashMap<>();
    private volatile AwsCredentialsProvider credentials;

    public ProbeAuth(Estate estate, AuthMaterial material) {
        this.estate = Objects.requireNonNull(estate, "estate");
        this.material = Objects.requireNonNull(material, "material");
    }

    /**
     * Creates the credentials sources every API among {@code targets} needs (no network traffic), so that a missing
     * environment variable or lab client is reported before probing.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    public void prepare(Collection<Target> targets) {
        for (Target t : targets) {
            Api api = estate.api(t.api()).orElse(null);
            if (api == null) {
                continue;
            }
            switch (api.auth().type()) {
                case IAM -> credentials();
                case JWT, COGNITO -> provider(api);
                case TOKEN -> tokenProvider(api);
                default -> {
                }
            }
        }
    }

    /**
     * Obtains the token of every JWT or Cognito API among {@code targets} now, so that the first timed request of each
     * API does not include the token fetch (tokens are cached and shared until refresh). A failure is left for the
     * probe itself to report.
     */
    public void fetchTokens(Collection<Target> targets) {
        targets.stream().map(Target::api).distinct().map(estate::api).flatMap(java.util.Optional::stream)
                .filter(api -> api.auth().usesJwt())
                .forEach(api -> {
                    try {
                        provider(api).token();
                    } catch (RuntimeException e) {
                        // reported by the probe that needs the token
                    }
                });
    }

    /**
     * Secrets a report about {@code target} must never show: the token of a TOKEN API, and the client secrets and
     * tokens the material has read for the API ({@link AuthMaterial#secrets}: from the environment or a secret
     * reference). JWTs are caught by their shape, SigV4 signatures by theirs. Without the token when it cannot be
     * obtained (the probe then fails anyway).
     */
    List<String> secretsFor(Target target) {
        Api api = estate.api(target.api()).orElse(null);
        if (api == null || api.auth().type() == AuthType.NONE) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>(material.secrets(api));
        if (api.auth().type() == AuthType.TOKEN) {
            try {
                out.add(tokenProvider(api).token());
            } catch (RuntimeException e) {
                // the probe fails anyway
            }
        }
        return out;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Target target = request.tag(Target.class);
        Api api = target == null ? null : estate.api(target.api()).orElse(null);
        if (api == null || api.auth().type() == AuthType.NONE) {
            return chain.proceed(request);
        }
        Refusal refusal = request.tag(Refusal.class);
        Auth auth = api.auth();
        try {
            return switch (auth.type()) {
                case IAM -> refusal == Refusal.UNSIGNED ? chain.proceed(request)
                        : new SigV4Interceptor(signer(api, target.region(), refusal)).intercept(chain);
                case JWT, COGNITO -> chain.proceed(withToken(request, auth, jwt(api, refusal), true));
                case TOKEN -> chain.proceed(withToken(request, auth, lambdaToken(api, refusal),
                        headerName(auth).equalsIgnoreCase("Authorization")));
                default -> chain.proceed(request);
            };
        } catch (IllegalArgumentException | SigningException e) {
            throw new IOException("cannot authenticate to API '" + api.name() + "': " + e.getMessage(), e);
        }
    }

    private String jwt(Api api, Refusal refusal) {
        if (refusal == null) {
            return provider(api).token();
        }
        return switch (refusal) {
            case NO_TOKEN -> null;
            case MISSING_SCOPE -> {
                List<String> other = material.otherScopes(api);
                yield other.isEmpty() ? forge.forge(provider(api).token(), refusal)
                        : providers.computeIfAbsent("other-scope:" + api.name(),
                                k -> material.clientCredentials(api, other)).token();
            }
            default -> forge.forge(provider(api).token(), refusal);
        };
    }

    private String lambdaToken(Api api, Refusal refusal) {
        if (refusal == Refusal.NO_TOKEN) {
            return null;
        }
        if (refusal == Refusal.WRONG_TOKEN) {
            return "vpcanary-wrong-token-" + randomHex(8);
        }
        return tokenProvider(api).token();
    }

    private static Request withToken(Request request, Auth auth, String token, boolean bearer) {
        String header = headerName(auth);
        Request.Builder b = request.newBuilder();
        if (token == null) {
            b.removeHeader(header);
        } else {
            b.header(header, bearer ? "Bearer " + token : token);
        }
        return b.build();
    }

    /** The header of {@code auth.identitySource}, accepting API Gateway's {@code $request.header.X} forms. */
    static String headerName(Auth auth) {
        String s = auth.identitySource();
        for (String prefix : new String[] {"$request.header.", "method.request.header."}) {
            if (s.startsWith(prefix)) {
                return s.substring(prefix.length());
            }
        }
        return s;
    }

    private TokenProvider provider(Api api) {
        return providers.computeIfAbsent("client:" + api.name(),
                k -> material.clientCredentials(api, api.auth().scopes()));
    }

    private TokenProvider tokenProvider(Api api) {
        return providers.computeIfAbsent("token:" + api.name(), k -> material.token(api));
    }

    private AwsCredentialsProvider credentials() {
        AwsCredentialsProvider c = credentials;
        if (c == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = material.awsCredentials();
                }
                c = credentials;
            }
        }
        return c;
    }

    /**
     * The SigV4 signer of {@code region} that valid requests are signed with, for runners that send requests through
     * another HTTP client (a Gatling load run signs each request with it when it is sent).
     */
    public SigV4RequestSigner signer(String region) {
        return signer(null, region, null);
    }

    /**
     * The signer valid requests to {@code api} in {@code region} are signed with: SigV4 for {@code region}, or SigV4a
     * for every region of the API when its auth says {@code signing: SIGV4A}.
     */
    public SigV4RequestSigner signer(Api api, String region) {
        return signer(api, region, null);
    }

    /**
     * The URI a WebSocket {@code $connect} to {@code target} opens: for an IAM API presigned with SigV4 in the query
     * string (valid for {@code expires}), spoiled as {@code refusal} says ({@link Refusal#UNSIGNED}: not signed);
     * the target's URL for any other API.
     *
     * @throws IllegalArgumentException naming what is missing when credentials cannot be resolved
     */
    public java.net.URI presign(Target target, Refusal refusal, Duration expires) {
        Api api = estate.api(target.api()).orElse(null);
        if (api == null || api.auth().type() != AuthType.IAM || refusal == Refusal.UNSIGNED) {
            return target.url();
        }
        try {
            return signer(api, target.region(), refusal).presign("GET", target.url(), Map.of(), expires);
        } catch (SigningException e) {
            throw new IllegalArgumentException("cannot sign the $connect of API '" + api.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * How a valid request to JWT, Cognito or TOKEN API {@code api} carries its token, as the probe sends it: in the
     * identity source header, with {@code Bearer } in {@code Authorization}; the token comes from the same cached
     * provider.
     */
    public io.vpcanary.auth.TokenAuth tokenAuth(Api api) {
        String header = headerName(api.auth());
        TokenProvider provider = api.auth().type() == AuthType.TOKEN ? tokenProvider(api) : provider(api);
        return "Authorization".equalsIgnoreCase(header) ? io.vpcanary.auth.TokenAuth.bearer(provider)
                : io.vpcanary.auth.TokenAuth.header(header, provider);
    }

    private SigV4RequestSigner signer(Api api, String region, Refusal refusal) {
        List<String> regionSet = api != null && api.auth().signing() == Signing.SIGV4A
                ? api.regions().stream().map(r -> r.region()).distinct().sorted().toList() : null;
        String key = region + "/" + (refusal == null ? "" : refusal.name())
                + (regionSet == null ? "" : "/v4a:" + String.join(",", regionSet));
        return signers.computeIfAbsent(key, k -> {
            SigV4RequestSigner.Builder b = SigV4RequestSigner.builder(region).credentials(credentials())
                    .sigV4a(regionSet);
            if (refusal == Refusal.WRONG_SECRET) {
                b.credentials(wrongSecret(credentials()));
            } else if (refusal == Refusal.STALE_DATE) {
                b.clock(Clock.offset(Clock.systemUTC(), STALE_BY.negated()));
            } else if (refusal == Refusal.WRONG_REGION) {
                // SigV4a: a region set without the API's region; SigV4: another region's scope
                b = SigV4RequestSigner.builder(otherRegion(region)).credentials(credentials())
                        .sigV4a(regionSet == null ? null : List.of(otherRegion(region)));
            }
            return b.build();
        });
    }

    /** A region other than {@code region} for a wrong credential scope. */
    static String otherRegion(String region) {
        return "us-east-1".equals(region) ? "eu-west-1" : "us-east-1";
    }

    /** The same access key id (and session token) with a random secret key. */
    private static AwsCredentialsProvider wrongSecret(AwsCredentialsProvider real) {
        return () -> {
            AwsCredentials c = real.resolveCredentials();
            String wrong = randomHex(20);
            return c instanceof AwsSessionCredentials s
                    ? AwsSessionCredentials.create(s.accessKeyId(), wrong, s.sessionToken())
                    : AwsBasicCredentials.create(c.accessKeyId(), wrong);
        };
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "ProbeAuth[" + providers.size() + " token sources, " + signers.size() + " signers]";
    }
}
