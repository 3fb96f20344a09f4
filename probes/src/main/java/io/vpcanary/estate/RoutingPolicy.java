package io.vpcanary.estate;

/** Route 53 routing policy of a routing domain. */
public enum RoutingPolicy {
    /** A PRIMARY record while it is healthy, else the SECONDARY. */
    FAILOVER,
    /** Records in proportion to their weights, among the healthy ones. */
    WEIGHTED,
    /**
     * The record of the client's region (the region of the VPC whose resolver asks; on-premises: the first lab region),
     * else another healthy record. Route 53 measures latency; the lab and the estate take the client's region for the
     * lowest latency.
     */
    LATENCY
}
