package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** A multi-region domain name routed by Route 53 between regional instances of an API. */
public record RoutingDomain(
        @JsonPropertyDescription("The domain clients call, such as api.internal.example.com.") String domain,
        @JsonPropertyDescription("FAILOVER, WEIGHTED or LATENCY.") RoutingPolicy policy,
        @JsonPropertyDescription("Records of the domain.") List<RoutingRecord> records,
        @JsonPropertyDescription("TTL of the domain's answers, in seconds. Default 60 (what an alias to a VPC endpoint or API Gateway domain answers with).") Long ttl,
        @JsonPropertyDescription("Whether the records are Route 53 aliases to each API region's endpoint (VPC endpoint or regional API domain) rather than A records. Default true.") Boolean alias) {

    /** TTL of an alias to a VPC endpoint or an API Gateway domain name: what Route 53 answers with for it. */
    public static final long DEFAULT_TTL = 60;

    public RoutingDomain {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /** A domain of alias records with the default TTL. */
    public RoutingDomain(String domain, RoutingPolicy policy, List<RoutingRecord> records) {
        this(domain, policy, records, null, null);
    }

    /** The TTL of its answers, in seconds. */
    public long ttlSeconds() {
        return ttl == null ? DEFAULT_TTL : ttl;
    }

    /** Whether the records are aliases. */
    public boolean isAlias() {
        return alias == null || alias;
    }
}
