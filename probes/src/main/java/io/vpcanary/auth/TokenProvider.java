package io.vpcanary.auth;

/**
 * Supplies the bearer token for requests to a JWT-authorized API.
 *
 * <p>Implementations are thread-safe and cheap to call per request: one provider is shared by every virtual user of a
 * load test. A failure surfaces as a {@link SigningException} whose message never contains a token or a secret.
 */
@FunctionalInterface
public interface TokenProvider {

    /** A token valid now (not expired), without any {@code Bearer } prefix. */
    String token();
}
