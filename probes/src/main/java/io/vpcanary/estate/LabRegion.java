package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The loopback address block the lab gives one region. */
public record LabRegion(
        @JsonPropertyDescription("AWS region name, such as us-east-1.") String region,
        @JsonPropertyDescription("A /24 inside 127.0.0.0/8, such as 127.0.1.0/24.") String addressBlock) {
}
