package io.vpcanary.estate;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to a secret held outside the estate file: {@code secretsmanager:<secret id or ARN>[#<json key>]} (an AWS
 * Secrets Manager secret, or one key of a secret whose value is a JSON object) or {@code ssm:<parameter name or ARN>}
 * (an SSM Parameter Store parameter, SecureString decrypted). The reference names where the secret is, never the
 * secret, so it may be printed.
 *
 * @param store where the secret is kept
 * @param name  the secret id or ARN, or the parameter name or ARN
 * @param key   the key of a JSON secret, or null for the whole value (always null for {@code ssm:})
 */
public record SecretRef(Store store, String name, String key) {

    /** Where a referenced secret is kept, and the prefix naming it. */
    public enum Store {
        SECRETS_MANAGER("secretsmanager"), SSM("ssm");

        private final String scheme;

        Store(String scheme) {
            this.scheme = scheme;
        }

        public String scheme() {
            return scheme;
        }
    }

    /** The grammar, for the schema and the loader ({@link EstateSchema#FORMATS}): no spaces, one optional key. */
    public static final Pattern PATTERN = Pattern.compile("secretsmanager:[^#\\s]+(#[^#\\s]+)?|ssm:[^#\\s]+");

    /** The grammar in words, as the loader's messages and the schema say it. */
    public static final String GRAMMAR =
            "secretsmanager:<secret id or ARN>[#<json key>] or ssm:<parameter name or ARN>";

    public SecretRef {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the grammar when it does not follow it
     */
    public static SecretRef parse(String text) {
        if (text == null || !PATTERN.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a secret reference (" + GRAMMAR + ")");
        }
        int colon = text.indexOf(':');
        Store store = text.startsWith("ssm:") ? Store.SSM : Store.SECRETS_MANAGER;
        String rest = text.substring(colon + 1);
        int hash = rest.indexOf('#');
        return hash < 0 ? new SecretRef(store, rest, null)
                : new SecretRef(store, rest.substring(0, hash), rest.substring(hash + 1));
    }

    /** The region of an ARN name ({@code arn:aws:secretsmanager:eu-west-1:...}), or null for a plain name. */
    public String arnRegion() {
        if (!name.startsWith("arn:")) {
            return null;
        }
        String[] parts = name.split(":", 5);
        return parts.length >= 4 && !parts[3].isEmpty() ? parts[3] : null;
    }

    /** The reference as written: {@code secretsmanager:name#key} or {@code ssm:name}. */
    @Override
    public String toString() {
        return store.scheme() + ":" + name + (key == null ? "" : "#" + key);
    }
}
