package io.vpcanary.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The error statuses, bodies and headers the lab answers as API Gateway would, read from the lab's resource file
 * {@code io/vpcanary/lab/aws-messages.properties}. The probes do not read it: they recognise AWS's answers by their
 * own constants ({@code Classifier}), and both are tested against the corpus of real API Gateway answers in the
 * probes' test resources ({@code io/vpcanary/aws/api-gateway-error-corpus.json}).
 */
public final class AwsAnswers {

    private static final String RESOURCE = "/io/vpcanary/lab/aws-messages.properties";
    private static final Properties MESSAGES = load();

    private AwsAnswers() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = AwsAnswers.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The raw string for {@code key}; fails loudly for a key that is not in the file. */
    public static String get(String key) {
        String v = MESSAGES.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no AWS message '" + key + "' in " + RESOURCE);
        }
        return v;
    }

    /** The HTTP status of case {@code name} ({@code name.status}). */
    public static int status(String name) {
        return Integer.parseInt(get(name + ".status"));
    }

    /**
     * The body of case {@code name} ({@code name.body}) with each {@code {placeholder}} replaced by its value,
     * escaped for a JSON string.
     */
    public static String body(String name, Map<String, String> values) {
        return render(get(name + ".body"), values, true);
    }

    /** Replaces {@code {placeholder}}s in {@code template}; {@code json} escapes values for a JSON string. */
    public static String render(String template, Map<String, String> values, boolean json) {
        String out = template;
        for (var e : values.entrySet()) {
            String v = e.getValue() == null ? "" : e.getValue();
            out = out.replace("{" + e.getKey() + "}", json ? jsonEscape(v) : v);
        }
        return out;
    }

    static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
