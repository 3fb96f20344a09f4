package io.vpcanary.estate;

/** Route 53 routing policy of a routing domain. */
public enum RoutingPolicy {
    FAILOVER,
    WEIGHTED
}
