package io.vpcanary.estate;

/** What an API's integration reaches. */
public enum IntegrationType {
    /** A Network Load Balancer behind a VPC link (REST, HTTP and WebSocket APIs). */
    NLB,
    /** An Application Load Balancer behind a VPC link (HTTP APIs). */
    ALB,
    /** A Cloud Map service behind a VPC link (HTTP APIs). */
    CLOUD_MAP,
    /** A mock integration: API Gateway answers itself. */
    MOCK
}
