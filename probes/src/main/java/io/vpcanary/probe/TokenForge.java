package io.vpcanary.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * Forges the bad JWTs of the negative-auth matrix from a real token of the identity provider: same header (so the
 * same {@code kid}) and claims, with exactly one thing spoiled.
 *
 * <ul>
 *   <li>{@link Refusal#ALG_NONE}: header {@code {"alg":"none","typ":"JWT"}}, the real claims, an empty signature.</li>
 *   <li>{@link Refusal#EXPIRED}: {@code exp} an hour ago, {@code iat}/{@code nbf} two hours ago.</li>
 *   <li>{@link Refusal#WRONG_AUDIENCE}: {@code aud} and {@code client_id} set to {@value #WRONG_AUDIENCE}.</li>
 *   <li>{@link Refusal#WRONG_ISSUER}: {@code iss} set to {@value #WRONG_ISSUER}.</li>
 *   <li>{@link Refusal#MISSING_SCOPE}: {@code scope} set to {@value #NO_SCOPE}, {@code scp} removed.</li>
 * </ul>
 * The spoiled tokens other than alg-none are signed RS256 with a key pair this instance generates and nobody trusts:
 * vpcanary cannot make the identity provider sign arbitrary claims, so an authorizer may reject them for their
 * signature before looking at the spoiled claim. They still prove the API refuses them; {@code docs/auth.md} says
 * which matrix cells use real tokens. The input token is never part of an exception message. Thread-safe.
 */
final class TokenForge {

    static final String WRONG_AUDIENCE = "vpcanary-wrong-audience";
    static final String WRONG_ISSUER = "https://issuer.invalid/vpcanary-wrong-issuer";
    static final String NO_SCOPE = "vpcanary/no-such-scope";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyPair keys;
    private final Clock clock;

    TokenForge() {
        this(Clock.systemUTC());
    }

    TokenForge(Clock clock) {
        this.clock = clock;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    /**
     * {@code real} spoiled as {@code refusal} says.
     *
     * @throws IllegalArgumentException when {@code real} is not a JWT, or the refusal involves no forged token
     */
    String forge(String real, Refusal refusal) {
        String[] parts = real.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the identity provider's token is not a JWT (" + parts.length
                    + " parts); cannot derive the " + refusal.label() + " refusal");
        }
        ObjectNode header;
        ObjectNode claims;
        try {
            header = (ObjectNode) JSON.readTree(B64D.decode(parts[0]));
            claims = (ObjectNode) JSON.readTree(B64D.decode(parts[1]));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("the identity provider's token has an unreadable header or payload; "
                    + "cannot derive the " + refusal.label() + " refusal");
        }
        long now = Instant.now(clock).getEpochSecond();
        switch (refusal) {
            case ALG_NONE -> {
                ObjectNode none = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
                return encode(none) + "." + encode(claims) + ".";
            }
            case EXPIRED -> {
                claims.put("exp", now - 3600);
                claims.put("iat", now - 7200);
                if (claims.has("nbf")) {
                    claims.put("nbf", now - 7200);
                }
            }
            case WRONG_AUDIENCE -> {
                claims.put("aud", WRONG_AUDIENCE);
                if (claims.has("client_id")) {
                    claims.put("client_id", WRONG_AUDIENCE);
                }
            }
            case WRONG_ISSUER -> claims.put("iss", WRONG_ISSUER);
            case MISSING_SCOPE -> {
                claims.put("scope", NO_SCOPE);
                claims.remove("scp");
            }
            default -> throw new IllegalArgumentException("the " + refusal.label() + " refusal uses no forged token");
        }
        header.put("alg", "RS256");
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + B64.encodeToString(sign(signingInput));
    }

    private byte[] sign(String input) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(keys.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a forged token: " + e.getMessage(), e);
        }
    }

    private static String encode(ObjectNode node) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TokenForge[RS256, throwaway key]";
    }
}
