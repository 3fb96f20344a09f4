package io.vpcanary.gameday.load;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of one distributed load run: every injector of the run publishes it as the dimension {@value #DIMENSION}, and
 * ECS carries it as the tasks' {@code startedBy} ({@link #startedBy()}) and the tag {@value #TAG}. A generated id starts
 * with the run's start time in UTC ({@code 20261128T231500Z-3f9a0c}), which {@code vpcanary load summary} reads as the
 * start of the run's time window. Letters, digits, {@code -} and {@code _}, at most {@value #MAX_LENGTH} characters:
 * what both a CloudWatch dimension value and ECS's {@code startedBy} (128 characters, with the prefix) accept.
 *
 * @param value the id
 */
public record RunId(String value) {

    /** The tag each task of the run carries. */
    public static final String TAG = "vpcanary:run";
    /** What {@link #startedBy()} puts before the id. */
    public static final String STARTED_BY_PREFIX = "vpcanary-";
    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    private static final Pattern STAMPED = Pattern.compile("(\\d{8}T\\d{6}Z)(?:-.*)?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public RunId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("a run id is 1 to " + MAX_LENGTH + " letters, digits, '-' or '_'; got '"
                    + value + "'");
        }
    }

    /** A new id starting with {@code now}, such as {@code 20261128T231500Z-3f9a0c}. */
    public static RunId generate(Instant now) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return new RunId(STAMP.format(now) + "-" + HexFormat.of().formatHex(b));
    }

    /** The start time a generated id carries (to the second), if it carries one. */
    public Optional<Instant> stampedAt() {
        Matcher m = STAMPED.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(STAMP.parse(m.group(1))));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    /** The tasks' {@code startedBy}: {@value #STARTED_BY_PREFIX} and the id; ListTasks finds the run's tasks by it. */
    public String startedBy() {
        return STARTED_BY_PREFIX + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
