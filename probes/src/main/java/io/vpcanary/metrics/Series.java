package io.vpcanary.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One metric as CloudWatch knows it: a name, a unit and a set of dimensions. Two series are equal when all three are;
 * dimensions are kept sorted by name so that the order callers give them in does not matter. Immutable.
 *
 * <p>CloudWatch's rules are enforced here so that a bad series fails where it is made, not when it is published: the
 * name and every dimension name and value are non-blank and at most 255 characters (dimension values 1,024), and a
 * series has at most {@value #MAX_DIMENSIONS} dimensions.
 *
 * @param name       metric name, such as {@code Latency}
 * @param unit       its unit
 * @param dimensions dimension name to value
 */
public record Series(String name, MetricUnit unit, SortedMap<String, String> dimensions) {

    /** CloudWatch accepts at most this many dimensions per metric. */
    public static final int MAX_DIMENSIONS = 30;

    public Series {
        requireText("metric name", name, 255);
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(dimensions, "dimensions");
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("metric " + name + " has " + dimensions.size()
                    + " dimensions; CloudWatch accepts at most " + MAX_DIMENSIONS);
        }
        TreeMap<String, String> copy = new TreeMap<>();
        dimensions.forEach((k, v) -> {
            requireText("dimension name of " + name, k, 255);
            requireText("dimension " + k + " of " + name, v, 1024);
            copy.put(k, v);
        });
        dimensions = Collections.unmodifiableSortedMap(copy);
    }

    /** A series with the given dimensions, in any order. */
    public static Series of(String name, MetricUnit unit, Map<String, String> dimensions) {
        return new Series(name, unit, new TreeMap<>(dimensions));
    }

    private static void requireText(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
    }

    @Override
    public String toString() {
        return name + dimensions;
    }
}
