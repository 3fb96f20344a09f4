package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A multi-region domain name routed by Route 53 between regional instances of an API. */
public record RoutingDomain(
        @JsonPropertyDescription("The domain clients call, such as api.internal.example.com.") String domain,
        @JsonPropertyDescription("FAILOVER or WEIGHTED.") RoutingPolicy policy,
        @JsonPropertyDescription("Records of the domain.") List<RoutingRecord> records) {

    public RoutingDomain {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
