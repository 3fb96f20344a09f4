package io.vpcanary.labenv;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vpcanary.files.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a running lab tells its clients ({@code vpcanary lab --env-file F}): where its CA is, which DNS server
 * serves each resolver view, the URL and headers of every API × access path × region, the estate it serves and the
 * credentials of a lab principal. Documented in {@code docs/lab.md}.
 *
 * @param ca                 path of the lab CA certificate (PEM)
 * @param trustStore         path of a PKCS12 trust store holding the lab CA, for JVM clients
 * @param trustStorePassword password of {@code trustStore} (not a secret: it protects nothing but integrity)
 * @param httpsPort          port of every HTTPS front door
 * @param resolvers          resolver view name (VPC name or {@code on-premises}) to {@code host:port} of its DNS server
 * @param endpoints          one entry per API × access path × region
 * @param estate             absolute path of the estate file the lab serves
 * @param credentials        access key of a lab principal
 * @param identityProvider   the lab's OIDC identity provider and the OAuth clients it registered, or null
 * @param tokens             the token the lab's Lambda (TOKEN) authorizer accepts, per API with such an authorizer
 * @param control            the lab's control channel (faults, health-check status), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabEnvironment(
        String ca,
        String trustStore,
        String trustStorePassword,
        int httpsPort,
        Map<String, String> resolvers,
        List<Endpoint> endpoints,
        String estate,
        Credentials credentials,
        IdentityProvider identityProvider,
        List<Token> tokens,
        Control control) {

    public LabEnvironment {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** An environment without a control channel. */
    public LabEnvironment(String ca, String trustStore, String trustStorePassword, int httpsPort,
                          Map<String, String> resolvers, List<Endpoint> endpoints, String estate,
                          Credentials credentials, IdentityProvider identityProvider, List<Token> tokens) {
        this(ca, trustStore, trustStorePassword, httpsPort, resolvers, endpoints, estate, credentials,
                identityProvider, tokens, null);
    }

    /** This environment with {@code control} as its control channel. */
    public LabEnvironment withControl(Control control) {
        return new LabEnvironment(ca, trustStore, trustStorePassword, httpsPort, resolvers, endpoints, estate,
                credentials, identityProvider, tokens, control);
    }

    /**
     * The lab's control channel: an HTTP server on loopback that sets, lists and clears faults and reports the
     * Route 53 health checks ({@link LabControl}).
     *
     * @param url   base URL, {@code http://127.0.0.1:{port}}
     * @param token the bearer token every request must carry; random per run, never logged
     */
    public record Control(String url, String token) {
        @Override
        public String toString() {
            return "Control[url=" + url + ", token=****]";
        }
    }

    /** An environment without TOKEN authorizers. */
    public LabEnvironment(String ca, String trustStore, String trustStorePassword, int httpsPort,
                          Map<String, String> resolvers, List<Endpoint> endpoints, String estate,
                          Credentials credentials, IdentityProvider identityProvider) {
        this(ca, trustStore, trustStorePassword, httpsPort, resolvers, endpoints, estate, credentials,
                identityProvider, List.of(), null);
    }

    /**
     * One API × access path × region.
     *
     * @param api        API name
     * @param type       REST, HTTP or WEBSOCKET
     * @param region     AWS region
     * @param accessPath access path name
     * @param url        base URL (stage or custom domain base path)
     * @param headers    headers a client on this path sends
     * @param view       the resolver view a client on this path uses
     */
    public record Endpoint(String api, String type, String region, String accessPath, String url,
                           Map<String, String> headers, String view) {
    }

    /**
     * Access key of a lab principal; the secret is for signing only and is never logged.
     *
     * @param accessKeyId     access key id
     * @param secretAccessKey secret access key
     * @param principalArn    the principal's ARN, as the lab's resource policies see a request signed with this key
     *                        ({@code arn:aws:iam::{account}:role/vpcanary-lab-canary}); null when not known
     */
    public record Credentials(String accessKeyId, String secretAccessKey, String principalArn) {

        /** Credentials whose principal ARN is not known. */
        public Credentials(String accessKeyId, String secretAccessKey) {
            this(accessKeyId, secretAccessKey, null);
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****, principalArn=" + principalArn
                    + "]";
        }
    }

    /**
     * The token the lab's Lambda (TOKEN) authorizer of an API accepts.
     *
     * @param api            API name
     * @param identitySource header that must carry the token ({@code auth.identitySource})
     * @param tokenEnv       the environment variable the estate names for it ({@code auth.tokenEnv}), or null
     * @param token          the token; never logged
     */
    public record Token(String api, String identitySource, String tokenEnv, String token) {
        @Override
        public String toString() {
            return "Token[api=" + api + ", identitySource=" + identitySource + ", tokenEnv=" + tokenEnv
                    + ", token=****]";
        }
    }

    /**
     * The lab's OIDC identity provider: it stands in for the issuer of every JWT and Cognito authorizer of the estate.
     *
     * @param issuer        issuer URL (the {@code iss} of its tokens); discovery at {@code issuer/.well-known/openid-configuration}
     * @param tokenEndpoint OAuth token endpoint (client-credentials grant)
     * @param clients       the OAuth clients registered for the estate's APIs
     */
    public record IdentityProvider(String issuer, String tokenEndpoint, List<Client> clients) {
    }

    /**
     * An OAuth client of the lab's identity provider.
     *
     * @param api          the API whose {@code auth.clientId} it is
     * @param clientId     client id
     * @param clientSecret client secret; for signing in only, never logged
     * @param scopes       scopes the client may request
     */
    public record Client(String api, String clientId, String clientSecret, List<String> scopes) {
        @Override
        public String toString() {
            return "Client[api=" + api + ", clientId=" + clientId + ", clientSecret=****, scopes=" + scopes + "]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads an environment file. */
    public static LabEnvironment read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LabEnvironment.class);
    }

    /**
     * Writes this environment to {@code file} through {@link SecretFiles}: owner-only (it holds client secrets, tokens
     * and a secret access key) and atomic (readers never see half a file).
     */
    public void write(Path file) throws IOException {
        SecretFiles.write(file, JSON.writeValueAsBytes(this));
    }
}
