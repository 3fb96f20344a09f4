package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One record of a routing domain: an API region it sends clients to. */
public record RoutingRecord(
        @JsonPropertyDescription("Name of the API (apis[].name).") String api,
        @JsonPropertyDescription("Region of that API.") String region,
        @JsonPropertyDescription("FAILOVER only: PRIMARY or SECONDARY.") String role,
        @JsonPropertyDescription("WEIGHTED only: relative weight, 0 to 255.") Integer weight,
        @JsonPropertyDescription("CloudWatch alarm the record's health check follows, if any.") String healthAlarm) {
}
