package io.vpcanary.probe;

import io.vpcanary.estate.AuthType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A request a secured API must refuse: one cell of the negative-auth matrix ({@link AuthMatrix}). The probe sends
 * the positive target's request with its credentials spoiled in exactly one way; the API must answer 401 or 403.
 *
 * <p>IAM refusals are signed by the AWS SDK signer with spoiled inputs. JWT/Cognito refusals use tokens described on
 * each constant: {@link #NO_TOKEN} and {@link #MISSING_SCOPE} (when the client may request a scope the route does not
 * accept) are real; the others are forged by vpcanary from a real token of the identity provider, so they also carry
 * a signature the authorizer does not trust (see {@code docs/auth.md}).
 */
public enum Refusal {
    /** IAM: no SigV4 signature at all. */
    UNSIGNED(AuthType.IAM),
    /** IAM: signed with the right access key id but a wrong secret key. */
    WRONG_SECRET(AuthType.IAM),
    /** IAM: signed with a clock 15 minutes behind (API Gateway allows 5 minutes of skew). */
    STALE_DATE(AuthType.IAM),
    /** IAM: signed for another region's credential scope. */
    WRONG_REGION(AuthType.IAM),
    /** JWT/COGNITO/TOKEN: no token in the identity source. */
    NO_TOKEN(AuthType.JWT, AuthType.COGNITO, AuthType.TOKEN),
    /** JWT/COGNITO: a token whose {@code exp} is an hour ago (forged). */
    EXPIRED(AuthType.JWT, AuthType.COGNITO),
    /** JWT/COGNITO: a token for another audience (forged). */
    WRONG_AUDIENCE(AuthType.JWT, AuthType.COGNITO),
    /** JWT/COGNITO: a token from another issuer (forged). */
    WRONG_ISSUER(AuthType.JWT, AuthType.COGNITO),
    /** JWT/COGNITO: the real token's claims with {@code alg: none} and no signature. */
    ALG_NONE(AuthType.JWT, AuthType.COGNITO),
    /** JWT/COGNITO: a token without any of the route's scopes (real when the client may ask for another scope). */
    MISSING_SCOPE(AuthType.JWT, AuthType.COGNITO),
    /** TOKEN: a token that is not the one the Lambda authorizer accepts. */
    WRONG_TOKEN(AuthType.TOKEN);

    /** Prefix of the check name of a refusal probe: {@code auth-refusal:unsigned}. */
    public static final String CHECK_PREFIX = "auth-refusal:";

    private final List<AuthType> types;

    Refusal(AuthType... types) {
        this.types = List.of(types);
    }

    /** The refusals an API with {@code type} must give, in matrix order; none for {@link AuthType#NONE}. */
    public static List<Refusal> forType(AuthType type) {
        return Arrays.stream(values()).filter(r -> r.types.contains(type)).toList();
    }

    /** {@code unsigned}, {@code wrong-secret}, ...: how the refusal appears in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The check name of this refusal's probe. */
    public String checkName() {
        return CHECK_PREFIX + label();
    }
}
