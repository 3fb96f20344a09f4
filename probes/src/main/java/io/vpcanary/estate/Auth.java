package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The authorizer an API uses. Only {@link #type()} is interpreted today; the auth issue adds the
 * issuer, audience, scopes and token header of JWT-style authorizers.
 */
public record Auth(
        @JsonPropertyDescription("Authorizer type: NONE, IAM, JWT, COGNITO or TOKEN. Default NONE.")
        AuthType type) {

    public static final Auth NONE = new Auth(AuthType.NONE);

    public Auth {
        if (type == null) {
            type = AuthType.NONE;
        }
    }
}
