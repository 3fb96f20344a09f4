package io.vpcanary.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that a probe reports (messages, body snippets): the values of secret request
 * headers, Bearer tokens, SigV4 signatures and security tokens. Servers echo such values (API Gateway's
 * {@code IncompleteSignatureException} repeats the Authorization header), so every reported string passes here.
 */
final class Redactor {

    static final String MASK = "****";

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern SIGNATURE = Pattern.compile("(?i)(signature=)[0-9a-f]+");
    private static final Pattern TOKEN_PARAM = Pattern.compile(
            "(?i)(x-amz-security-token=|access_token\"?\\s*[:=]\\s*\"?|id_token\"?\\s*[:=]\\s*\"?)[^\\s\"&,]+");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for the values of the secret headers among {@code headers}. */
    static Redactor forHeaders(Map<String, String> headers) {
        List<String> secrets = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (isSecretHeader(name) && value != null && value.length() >= 4) {
                secrets.add(value);
                int space = value.indexOf(' ');
                if (space > 0 && value.length() - space > 4) {
                    secrets.add(value.substring(space + 1));
                }
            }
        });
        secrets.sort((a, b) -> b.length() - a.length());
        return new Redactor(List.copyOf(secrets));
    }

    /** Authorization, X-Amz-Security-Token, cookies and any header whose name mentions a token, secret or key. */
    static boolean isSecretHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("authorization") || n.equals("proxy-authorization") || n.equals("cookie")
                || n.contains("token") || n.contains("secret") || n.contains("api-key") || n.contains("apikey");
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        out = SIGNATURE.matcher(out).replaceAll("$1" + MASK);
        out = TOKEN_PARAM.matcher(out).replaceAll("$1" + MASK);
        return out;
    }
}
