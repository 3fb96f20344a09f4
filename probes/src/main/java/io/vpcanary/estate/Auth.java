package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The authorizer an API uses, and how vpcanary obtains credentials for it.
 *
 * <ul>
 *   <li>{@link AuthType#IAM}: callers sign with SigV4 for {@code execute-api}; credentials come from the AWS SDK's
 *       default chain (in the lab: the lab principal of the environment file).</li>
 *   <li>{@link AuthType#JWT} (HTTP APIs) and {@link AuthType#COGNITO} (REST APIs): a JWT from {@link #issuer()}, with
 *       {@link #audiences()} and the route {@link #scopes()}; vpcanary fetches it with the OAuth client-credentials
 *       grant from {@link #tokenEndpoint()} as client {@link #clientId()}, whose secret is read from the environment
 *       variable {@link #clientSecretEnv()} or from the secret or parameter {@link #clientSecretRef()} names (never
 *       from the estate file). In the lab, the lab's identity provider
 *       stands in for the issuer and registers the client.</li>
 *   <li>{@link AuthType#TOKEN}: a Lambda (token) authorizer reading {@link #identitySource()}; the token comes from
 *       the environment variable {@link #tokenEnv()} or from the secret or parameter {@link #tokenRef()} names.</li>
 * </ul>
 *
 * <p>IAM callers sign with {@link #signing()}: SigV4 for the region each request goes to, or SigV4a for every region of
 * the API.
 */
public record Auth(
        @JsonPropertyDescription("Authorizer type: NONE, IAM, JWT, COGNITO or TOKEN. Default NONE.")
        AuthType type,
        @JsonPropertyDescription("JWT/COGNITO: the token issuer URL (the iss claim). In the lab the lab's identity provider stands in for it.")
        String issuer,
        @JsonPropertyDescription("JWT/COGNITO: accepted audiences (aud, or client_id when aud is absent).")
        List<String> audiences,
        @JsonPropertyDescription("JWT/COGNITO: scopes the checked routes require (at least one must be granted).")
        List<String> scopes,
        @JsonPropertyDescription("Header carrying the token. Default Authorization.")
        String identitySource,
        @JsonPropertyDescription("JWT/COGNITO: OAuth token endpoint for the client-credentials grant (Cognito: https://{domain}.auth.{region}.amazoncognito.com/oauth2/token).")
        String tokenEndpoint,
        @JsonPropertyDescription("JWT/COGNITO: OAuth client id vpcanary uses.")
        String clientId,
        @JsonPropertyDescription("JWT/COGNITO: name of the environment variable holding the client secret (or clientSecretRef).")
        String clientSecretEnv,
        @JsonPropertyDescription("JWT/COGNITO: where the client secret is kept (or clientSecretEnv): secretsmanager:<secret id or ARN>[#<json key>] or ssm:<parameter name or ARN> (SecureString decrypted).")
        String clientSecretRef,
        @JsonPropertyDescription("TOKEN: name of the environment variable holding the token (or tokenRef).")
        String tokenEnv,
        @JsonPropertyDescription("TOKEN: where the token is kept (or tokenEnv): secretsmanager:<secret id or ARN>[#<json key>] or ssm:<parameter name or ARN> (SecureString decrypted).")
        String tokenRef,
        @JsonPropertyDescription("IAM: SIGV4 (default) signs for the region of the API each request goes to; SIGV4A signs for every region of the API (X-Amz-Region-Set), so that a signature stays good when a routing domain fails over to another region.")
        Signing signing) {

    public static final Auth NONE = new Auth(AuthType.NONE, null, null, null, null, null, null, null, null, null,
            null, null);

    public Auth {
        if (type == null) {
            type = AuthType.NONE;
        }
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        if (signing == null) {
            signing = Signing.SIGV4;
        }
        if (identitySource == null || identitySource.isBlank()) {
            identitySource = "Authorization";
        }
    }

    /** Whether callers must present a JWT (JWT or Cognito authorizer). */
    public boolean usesJwt() {
        return type == AuthType.JWT || type == AuthType.COGNITO;
    }
}
