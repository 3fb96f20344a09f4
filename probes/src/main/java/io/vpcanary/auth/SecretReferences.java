package io.vpcanary.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.SecretRef;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Reads the secrets {@link SecretRef}s name ({@code auth.clientSecretRef}, {@code auth.tokenRef}) from AWS Secrets
 * Manager and SSM Parameter Store.
 *
 * <ul>
 *   <li>Region: the ARN's when the reference names an ARN, else {@link Builder#region(String)}, else the SDK's region
 *       chain ({@code AWS_REGION}, profile, instance metadata).</li>
 *   <li>Credentials: those given (the SDK's default chain, or a profile).</li>
 *   <li>Endpoints: the SDK's own ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL_SSM},
 *       {@code AWS_ENDPOINT_URL}), unless overridden by the builder.</li>
 *   <li>Each secret is fetched once per process and kept (for every instance: a runner that builds its auth material
 *       again, such as a warm Lambda, does not fetch again). Concurrent first reads make one request. A failure is
 *       kept for {@link #RETRY_AFTER} (per instance), so a load run whose secret is unreadable does not ask AWS again
 *       on every request; the first read after that tries again, so a secret created meanwhile is found.</li>
 * </ul>
 * Failures are {@link IllegalArgumentException}s with one line naming the reference and what went wrong (not found,
 * access denied, not a JSON object, key missing, ...), never the value. Nothing here prints a value. Thread-safe.
 */
public final class SecretReferences {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Secret values by where they were read from (endpoint, region, store, name): once per process. */
    private static final Map<String, String> VALUES = new ConcurrentHashMap<>();

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI secretsManagerEndpoint;
    private final URI ssmEndpoint;
    private final Map<String, SecretsManagerClient> secretsManager = new ConcurrentHashMap<>();
    private final Map<String, SsmClient> ssm = new ConcurrentHashMap<>();
    /** Recent failures by where they were read from: the message and when it may be tried again. */
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final java.time.Clock clock;

    /** How long a failed read is answered from memory before it is tried again. */
    public static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(30);

    private record Failure(String message, java.time.Instant retryAt) {
    }

    private SecretReferences(Builder b) {
        this.clock = b.clock;
        this.credentials = b.credentials;
        this.region = b.region;
        this.secretsManagerEndpoint = b.secretsManagerEndpoint;
        this.ssmEndpoint = b.ssmEndpoint;
    }

    /** References read with {@code credentials}, in the SDK's region and at the SDK's endpoints. */
    public static SecretReferences sdk(AwsCredentialsProvider credentials) {
        return builder().credentials(credentials).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The secret {@code ref} names ({@link SecretRef#parse(String) parsed} first).
     *
     * @throws IllegalArgumentException one line naming the reference and the problem, never the value
     */
    public String resolve(String ref) {
        return resolve(SecretRef.parse(ref));
    }

    /**
     * The secret {@code ref} names: the whole value, or the string at its key when it has one.
     *
     * @throws IllegalArgumentException one line naming the reference and the problem, never the value
     */
    public String resolve(SecretRef ref) {
        Objects.requireNonNull(ref, "ref");
        String region = regionOf(ref);
        String where = where(ref, region);
        Failure failed = failures.get(where);
        if (failed != null && clock.instant().isBefore(failed.retryAt())) {
            throw new IllegalArgumentException(failed.message());
        }
        String value;
        try {
            value = VALUES.computeIfAbsent(where, k -> fetch(ref, region));
        } catch (IllegalArgumentException e) {
            failures.put(where, new Failure(e.getMessage(), clock.instant().plus(RETRY_AFTER)));
            throw e;
        }
        failures.remove(where);
        return value(ref, value);
    }

    /**
     * The secret {@code ref} names if it has been read already in this process, else empty; never reads it. For
     * reports to redact.
     */
    public Optional<String> cached(String ref) {
        try {
            SecretRef r = SecretRef.parse(ref);
            String stored = VALUES.get(where(r, regionOf(r)));
            return stored == null ? Optional.empty() : Optional.of(value(r, stored));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Where {@code ref} is read from: the key of {@link #VALUES}. */
    private String where(SecretRef ref, String region) {
        URI endpoint = ref.store() == SecretRef.Store.SSM ? ssmEndpoint : secretsManagerEndpoint;
        return (endpoint == null ? "sdk" : endpoint.toString()) + " " + region + " " + ref.store() + " " + ref.name();
    }

    private static String value(SecretRef ref, String stored) {
        String out = ref.key() == null ? stored : key(ref, stored);
        if (out.isBlank()) {
            throw problem(ref, "the value is empty");
        }
        return out;
    }

    private String regionOf(SecretRef ref) {
        String r = ref.arnRegion();
        if (r != null) {
            return r;
        }
        if (region != null) {
            return region;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkException e) {
            throw problem(ref, "no AWS region: set AWS_REGION or name it by its ARN");
        }
    }

    private String fetch(SecretRef ref, String region) {
        try {
            if (ref.store() == SecretRef.Store.SSM) {
                return ssm.computeIfAbsent(region, this::ssmClient)
                        .getParameter(b -> b.name(ref.name()).withDecryption(true)).parameter().value();
            }
            String s = secretsManager.computeIfAbsent(region, this::secretsManagerClient)
                    .getSecretValue(b -> b.secretId(ref.name())).secretString();
            if (s == null) {
                throw problem(ref, "the secret holds binary data, not a string");
            }
            return s;
        } catch (ResourceNotFoundException | ParameterNotFoundException e) {
            throw problem(ref, "not found in " + region);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 403 || (code != null && code.contains("AccessDenied"))) {
                throw problem(ref, "access denied (" + code + ")");
            }
            throw problem(ref, "refused with " + code + " (HTTP " + e.statusCode() + ")");
        } catch (SdkException e) {
            // The SDK's own messages are not repeated: only a network cause's, which cannot hold the value.
            Throwable io = e;
            while (io != null && !(io instanceof IOException)) {
                io = io.getCause();
            }
            throw problem(ref, "cannot reach " + (ref.store() == SecretRef.Store.SSM ? "SSM" : "Secrets Manager")
                    + " in " + region + (io == null ? "" : ": " + oneLine(io.getMessage())));
        }
    }

    private static String key(SecretRef ref, String value) {
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException e) {
            tree = null; // the parser's message quotes the text: not repeated
        }
        if (tree == null || !tree.isObject()) {
            throw problem(ref, "the secret is not a JSON object, so it has no key '" + ref.key() + "'");
        }
        JsonNode v = tree.get(ref.key());
        if (v == null || v.isNull()) {
            throw problem(ref, "the secret has no key '" + ref.key() + "'");
        }
        if (!v.isValueNode()) {
            throw problem(ref, "the key '" + ref.key() + "' holds " + v.getNodeType().name().toLowerCase()
                    + ", not a string");
        }
        return v.asText();
    }

    private static IllegalArgumentException problem(SecretRef ref, String what) {
        return new IllegalArgumentException("cannot read " + ref + ": " + what);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private SecretsManagerClient secretsManagerClient(String region) {
        return client(SecretsManagerClient.builder(), region, secretsManagerEndpoint);
    }

    private SsmClient ssmClient(String region) {
        return client(SsmClient.builder(), region, ssmEndpoint);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B b, String region,
                                                                                    URI endpoint) {
        b.region(Region.of(region)).httpClientBuilder(http()).overrideConfiguration(timeouts());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    /** The URL-connection client, as for CloudWatch: no Apache or Netty pool for a handful of requests. */
    private static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(10));
    }

    private static ClientOverrideConfiguration timeouts() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30)).build();
    }

    /** Never a value. */
    @Override
    public String toString() {
        return "SecretReferences[region=" + (region == null ? "SDK chain" : region) + "]";
    }

    /** Settings of {@link SecretReferences}; every one optional. */
    public static final class Builder {
        private AwsCredentialsProvider credentials;
        private String region;
        private URI secretsManagerEndpoint;
        private URI ssmEndpoint;
        private java.time.Clock clock = java.time.Clock.systemUTC();

        private Builder() {
        }

        /** The clock that times {@link #RETRY_AFTER}; default the system's. */
        public Builder clock(java.time.Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Credentials to read with; default the SDK's default chain. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The region of references that are not ARNs; default the SDK's region chain. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Secrets Manager's endpoint instead of the SDK's ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}). */
        public Builder secretsManagerEndpoint(URI endpoint) {
            this.secretsManagerEndpoint = endpoint;
            return this;
        }

        /** SSM's endpoint instead of the SDK's ({@code AWS_ENDPOINT_URL_SSM}). */
        public Builder ssmEndpoint(URI endpoint) {
            this.ssmEndpoint = endpoint;
            return this;
        }

        public SecretReferences build() {
            return new SecretReferences(this);
        }
    }
}
