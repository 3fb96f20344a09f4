package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Default behaviour of the lab's simulated integration targets. */
public record LabIntegration(
        @JsonPropertyDescription("Added latency of simulated targets.") Latency latency,
        @JsonPropertyDescription("Fraction of requests answered with 502/503/504, 0 to 1.") Double errorRate) {

    public static final LabIntegration DEFAULT = new LabIntegration(null, null);

    public LabIntegration {
        if (latency == null) {
            latency = new Latency(5.0, 20.0);
        }
        if (errorRate == null) {
            errorRate = 0.0;
        }
    }
}
