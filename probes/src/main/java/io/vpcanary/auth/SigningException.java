package io.vpcanary.auth;

/**
 * A request could not be signed or authenticated: no credentials, a token endpoint that refused, an unusable request.
 * Messages name what failed and where, never a secret key, client secret or token.
 */
public class SigningException extends RuntimeException {

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
