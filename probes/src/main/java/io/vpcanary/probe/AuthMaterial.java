package io.vpcanary.probe;

import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.auth.SecretReferences;
import io.vpcanary.auth.StaticTokenProvider;
import io.vpcanary.auth.TokenProvider;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Auth;
import io.vpcanary.labenv.LabEnvironment;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where the probe's credentials come from: AWS credentials for IAM APIs, OAuth clients for JWT/Cognito APIs and
 * tokens for Lambda (TOKEN) authorizers. Two implementations: {@link #lab(LabEnvironment, Function)} reads a running
 * lab's environment file, {@link #aws(AwsCredentialsProvider, Function)} reads the estate's auth settings and the
 * process environment.
 *
 * <p>Contract: methods are called lazily, the first time a target of an API needs them (so an estate whose auth
 * material is incomplete can still probe its other APIs), and their results are cached by {@link ProbeAuth}.
 * Failures are {@link IllegalArgumentException}s naming what is missing (an environment variable, a lab client, a
 * secret reference), never a secret. Reading a secret reference is network traffic: it happens the first time a
 * token is needed, not when a provider is made.
 */
public interface AuthMaterial {

    /** Credentials that sign requests to IAM APIs. */
    AwsCredentialsProvider awsCredentials();

    /** The OAuth client of a JWT/COGNITO API, asking for {@code scopes} (empty: the client's default scopes). */
    TokenProvider clientCredentials(Api api, Collection<String> scopes);

    /**
     * Scopes the API's client may request that none of the API's routes accepts, to obtain a real token lacking the
     * route scopes; empty when unknown or none.
     */
    List<String> otherScopes(Api api);

    /** The token of a TOKEN (Lambda authorizer) API. */
    TokenProvider token(Api api);

    /**
     * The secrets of {@code api} this material has read so far (a client secret, a token), for reports to redact;
     * never reads one. Empty by default.
     */
    default List<String> secrets(Api api) {
        return List.of();
    }

    /**
     * Lab material: AWS credentials from {@link LabEnvironment#credentials()} (a {@link StaticCredentialsProvider}),
     * OAuth clients from {@link LabEnvironment#identityProvider()} (its token endpoint and the client whose
     * {@code api} is the API's name), a TOKEN API's token from the environment file's {@code tokens} entry for the API
     * (else from the environment variable {@code auth.tokenEnv}, as against AWS).
     *
     * @param env    the running lab
     * @param getenv the process environment ({@code System::getenv})
     */
    static AuthMaterial lab(LabEnvironment env, Function<String, String> getenv) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(getenv, "getenv");
        return new AuthMaterial() {
            @Override
            public AwsCredentialsProvider awsCredentials() {
                LabEnvironment.Credentials c = env.credentials();
                if (c == null || c.accessKeyId() == null || c.secretAccessKey() == null) {
                    throw new IllegalArgumentException("the lab environment file has no credentials to sign IAM "
                            + "requests with");
                }
                return StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                        c.secretAccessKey()));
            }

            @Override
            public TokenProvider clientCredentials(Api api, Collection<String> scopes) {
                LabEnvironment.Client client = client(api);
                return ClientCredentialsTokenProvider.builder(URI.create(env.identityProvider().tokenEndpoint()),
                        client.clientId(), client.clientSecret()).scopes(scopes).build();
            }

            @Override
            public List<String> otherScopes(Api api) {
                LabEnvironment.Client client = client(api);
                return client.scopes() == null ? List.of()
                        : client.scopes().stream().filter(s -> !api.auth().scopes().contains(s)).toList();
            }

            @Override
            public List<String> secrets(Api api) {
                LabEnvironment.IdentityProvider idp = env.identityProvider();
                return idp == null || idp.clients() == null ? List.of() : idp.clients().stream()
                        .filter(c -> api.name().equals(c.api()) && c.clientSecret() != null)
                        .map(LabEnvironment.Client::clientSecret).toList();
            }

            private LabEnvironment.Client client(Api api) {
                LabEnvironment.IdentityProvider idp = env.identityProvider();
                if (idp == null || idp.tokenEndpoint() == null) {
                    throw new IllegalArgumentException("the lab environment file names no identity provider; API '"
                            + api.name() + "' needs a token");
                }
                return (idp.clients() == null ? List.<LabEnvironment.Client>of() : idp.clients()).stream()
                        .filter(c -> api.name().equals(c.api()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("the lab identity provider registers no "
                                + "client for API '" + api.name() + "'"));
            }

            @Override
            public TokenProvider token(Api api) {
                if (env.tokens() != null) {
                    for (LabEnvironment.Token t : env.tokens()) {
                        if (api.name().equals(t.api()) && t.token() != null && !t.token().isBlank()) {
                            return StaticTokenProvider.of(t.token());
                        }
                    }
                }
                return fromEnv(api, getenv);
            }
        };
    }

    /**
     * AWS material: {@code credentials} for IAM (the SDK's default chain or a profile, see {@link #awsCredentials(String)});
     * for JWT/COGNITO the client-credentials grant at {@code auth.tokenEndpoint} as {@code auth.clientId}, the secret
     * read from the environment variable {@code auth.clientSecretEnv} or from the secret or parameter
     * {@code auth.clientSecretRef} names; for TOKEN the variable {@code auth.tokenEnv} or the reference
     * {@code auth.tokenRef}. References are read with {@code credentials} (see {@link SecretReferences}).
     */
    static AuthMaterial aws(AwsCredentialsProvider credentials, Function<String, String> getenv) {
        return aws(credentials, getenv, SecretReferences.sdk(credentials));
    }

    /**
     * AWS material as {@link #aws(AwsCredentialsProvider, Function)}, reading references with {@code references}.
     * A reference is read the first time a token is needed, not when the provider is made, so an unreachable secret
     * fails only the probes of its API.
     */
    static AuthMaterial aws(AwsCredentialsProvider credentials, Function<String, String> getenv,
                            SecretReferences references) {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(getenv, "getenv");
        Objects.requireNonNull(references, "references");
        return new AuthMaterial() {
            @Override
            public AwsCredentialsProvider awsCredentials() {
                return credentials;
            }

            @Override
            public TokenProvider clientCredentials(Api api, Collection<String> scopes) {
                Auth auth = api.auth();
                if (auth.tokenEndpoint() == null || auth.clientId() == null
                        || (auth.clientSecretEnv() == null && auth.clientSecretRef() == null)) {
                    throw new IllegalArgumentException("API '" + api.name() + "' needs auth.tokenEndpoint, "
                            + "auth.clientId and auth.clientSecretEnv or auth.clientSecretRef to obtain a token");
                }
                URI endpoint = URI.create(auth.tokenEndpoint());
                if (auth.clientSecretRef() != null) {
                    return lazy(() -> ClientCredentialsTokenProvider.builder(endpoint, auth.clientId(),
                            fromRef(api, auth.clientSecretRef(), "auth.clientSecretRef", references))
                            .scopes(scopes).build());
                }
                String secret = getenv.apply(auth.clientSecretEnv());
                if (secret == null || secret.isEmpty()) {
                    throw new IllegalArgumentException("the environment variable " + auth.clientSecretEnv()
                            + " (auth.clientSecretEnv of API '" + api.name() + "') is not set");
                }
                return ClientCredentialsTokenProvider.builder(endpoint, auth.clientId(), secret).scopes(scopes)
                        .build();
            }

            @Override
            public List<String> otherScopes(Api api) {
                return List.of();
            }

            @Override
            public TokenProvider token(Api api) {
                String ref = api.auth().tokenRef();
                return ref == null ? fromEnv(api, getenv)
                        : lazy(() -> StaticTokenProvider.of(fromRef(api, ref, "auth.tokenRef", references)));
            }

            @Override
            public List<String> secrets(Api api) {
                Auth auth = api.auth();
                List<String> out = new ArrayList<>();
                if (auth.clientSecretRef() != null) {
                    references.cached(auth.clientSecretRef()).ifPresent(out::add);
                } else if (auth.clientSecretEnv() != null && getenv.apply(auth.clientSecretEnv()) != null) {
                    out.add(getenv.apply(auth.clientSecretEnv()));
                }
                if (auth.tokenRef() != null) {
                    references.cached(auth.tokenRef()).ifPresent(out::add);
                }
                return out;
            }
        };
    }

    /** The SDK's default credentials chain, or the named profile of the shared config files when not null. */
    static AwsCredentialsProvider awsCredentials(String profile) {
        return profile == null ? DefaultCredentialsProvider.builder().build()
                : ProfileCredentialsProvider.builder().profileName(profile).build();
    }

    /** The secret {@code ref} names, a failure naming the field and the API as well as the reference. */
    private static String fromRef(Api api, String ref, String field, SecretReferences references) {
        try {
            return references.resolve(ref);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " of API '" + api.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * A provider made by {@code make} the first time a token is asked for, then kept; a failure is not kept (the next
     * call tries again).
     */
    private static TokenProvider lazy(Supplier<TokenProvider> make) {
        return new TokenProvider() {
            private volatile TokenProvider made;

            @Override
            public String token() {
                TokenProvider p = made;
                if (p == null) {
                    synchronized (this) {
                        if (made == null) {
                            made = make.get();
                        }
                        p = made;
                    }
                }
                return p.token();
            }

            @Override
            public String toString() {
                return "TokenProvider[from a secret reference" + (made == null ? ", not read yet" : "") + "]";
            }
        };
    }

    private static TokenProvider fromEnv(Api api, Function<String, String> getenv) {
        String var = api.auth().tokenEnv();
        if (var == null) {
            throw new IllegalArgumentException("API '" + api.name() + "' needs auth.tokenEnv to obtain its token");
        }
        String token = getenv.apply(var);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + var + " (auth.tokenEnv of API '"
                    + api.name() + "') is not set");
        }
        return StaticTokenProvider.of(token);
    }
}
