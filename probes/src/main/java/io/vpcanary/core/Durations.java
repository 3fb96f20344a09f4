package io.vpcanary.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every runner: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, fractions such as
 * {@code 1.5m}, a plain number of seconds ({@code 30}), or ISO-8601 ({@code PT30S}). Rounded to whole milliseconds.
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @param what the setting's name for the message, or null when the caller names it itself
     * @throws IllegalArgumentException naming {@code what} and an example when it is not a duration or is negative
     */
    public static Duration parse(String what, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 1_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new IllegalArgumentException((what == null ? "" : what + ": ") + "'" + text
                        + "' is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException((what == null ? "" : what + ": ") + "'" + text
                    + "' is not a duration such as 500ms, 30s, 5m, 1h or PT30S");
        }
    }

    /** As {@link #parse}, and more than zero. */
    public static Duration parsePositive(String what, String text) {
        Duration d = parse(what, text);
        if (d.isZero()) {
            throw new IllegalArgumentException((what == null ? "" : what + ": ") + "'" + text
                    + "' must be more than zero");
        }
        return d;
    }
}
