package io.vpcanary.lab.auth;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lab's IAM identities: access key id to secret, optional session token, account and principal ARN.
 *
 * <p>The principal ARN is what resource policies of the lab see as the caller ({@code aws:PrincipalArn}). One principal is
 * the default: {@link #generate(String)} creates it with a random access key id and secret for each lab state (the
 * integrator persists it so that a restarted lab accepts the same credentials). Instances are immutable.
 *
 * <p>Secrets never leave this type through {@code toString}: neither the secret key nor the session token is printed.
 */
public final class LabPrincipals {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /**
     * One lab identity.
     *
     * @param accessKeyId     the access key id that appears in the SigV4 credential scope
     * @param secretAccessKey the secret; never printed
     * @param sessionToken    the session token that requests must carry as {@code X-Amz-Security-Token}, if any; never
     *                        printed
     * @param account         the 12-digit account id
     * @param arn             the principal ARN, for example {@code arn:aws:iam::123456789012:role/vpcanary-lab}
     */
    public record Principal(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String account,
                            String arn) {

        public Principal {
            requireText(accessKeyId, "accessKeyId");
            requireText(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
            sessionToken.ifPresent(t -> requireText(t, "sessionToken"));
            if (account == null || !account.matches("\\d{12}")) {
                throw new IllegalArgumentException("account must be 12 digits, got '" + account + "'");
            }
            requireText(arn, "arn");
            if (!arn.startsWith("arn:")) {
                throw new IllegalArgumentException("principal ARN must start with 'arn:', got '" + arn + "'");
            }
            if (accessKeyId.contains("/")) {
                throw new IllegalArgumentException("access key id must not contain '/'");
            }
        }

        /** A principal without a session token. */
        public static Principal of(String accessKeyId, String secretAccessKey, String account, String arn) {
            return new Principal(accessKeyId, secretAccessKey, Optional.empty(), account, arn);
        }

        /** Prints the key id, account and ARN; the secret and the session token are never printed. */
        @Override
        public String toString() {
            return "Principal[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
                    + (sessionToken.isPresent() ? "***" : "none") + ", account=" + account + ", arn=" + arn + "]";
        }
    }

    private final Map<String, Principal> byKeyId;
    private final Principal defaultPrincipal;

    private LabPrincipals(Map<String, Principal> byKeyId, Principal defaultPrincipal) {
        this.byKeyId = Map.copyOf(byKeyId);
        this.defaultPrincipal = defaultPrincipal;
    }

    /**
     * A fresh set holding one default principal in {@code account}: access key id {@code AKIA} plus 16 random
     * characters, a random 40-character secret, no session token, ARN {@code arn:aws:iam::{account}:role/vpcanary-lab}.
     */
    public static LabPrincipals generate(String account) {
        Principal p = Principal.of("AKIA" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40), account,
                "arn:aws:iam::" + account + ":role/vpcanary-lab");
        return of(p, java.util.List.of());
    }

    /**
     * A set with {@code defaultPrincipal} and {@code others}; access key ids must be unique.
     */
    public static LabPrincipals of(Principal defaultPrincipal, Collection<Principal> others) {
        Objects.requireNonNull(defaultPrincipal, "defaultPrincipal");
        Map<String, Principal> map = new LinkedHashMap<>();
        map.put(defaultPrincipal.accessKeyId(), defaultPrincipal);
        for (Principal p : others) {
            if (map.putIfAbsent(p.accessKeyId(), p) != null) {
                throw new IllegalArgumentException("duplicate access key id " + p.accessKeyId());
            }
        }
        return new LabPrincipals(map, defaultPrincipal);
    }

    /** This set plus {@code principal} (replacing one with the same access key id, unless it is the default). */
    public LabPrincipals with(Principal principal) {
        if (principal.accessKeyId().equals(defaultPrincipal.accessKeyId())) {
            throw new IllegalArgumentException("cannot replace the default principal " + principal.accessKeyId());
        }
        Map<String, Principal> map = new LinkedHashMap<>(byKeyId);
        map.put(principal.accessKeyId(), principal);
        return new LabPrincipals(map, defaultPrincipal);
    }

    /** The principal owning {@code accessKeyId}, if any. */
    public Optional<Principal> find(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    /** The default lab principal. */
    public Principal defaultPrincipal() {
        return defaultPrincipal;
    }

    /** Every principal, the default first. */
    public Collection<Principal> all() {
        return java.util.List.copyOf(byKeyId.values());
    }

    /** Lists access key ids and ARNs only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("LabPrincipals[");
        boolean first = true;
        for (Principal p : byKeyId.values()) {
            sb.append(first ? "" : ", ").append(p.accessKeyId()).append("=").append(p.arn());
            first = false;
        }
        return sb.append("]").toString();
    }

    private static String random(char[] alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
