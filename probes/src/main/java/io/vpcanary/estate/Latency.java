package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A log-normal latency distribution given by its median and 99th percentile, in milliseconds. A zero median means
 * no added latency.
 */
public record Latency(
        @JsonPropertyDescription("Median added latency in milliseconds.") Double medianMs,
        @JsonPropertyDescription("99th percentile of added latency in milliseconds (>= medianMs).") Double p99Ms) {

    public static final Latency NONE = new Latency(0.0, 0.0);

    public Latency {
        if (medianMs == null) {
            medianMs = 0.0;
        }
        if (p99Ms == null) {
            p99Ms = medianMs;
        }
    }
}
