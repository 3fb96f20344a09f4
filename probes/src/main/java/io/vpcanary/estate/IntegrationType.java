package io.vpcanary.estate;

/** What an API's integration reaches. */
public enum IntegrationType {
    /** A Network Load Balancer behind a VPC link (REST, HTTP and WebSocket APIs). */
    NLB,
    /**
     * An Application Load Balancer behind a VPC link: HTTP APIs, and REST APIs through a VPC link v2 (since November
     * 2025; API Gateway prepends the stage to the backend path, see {@link Integration#stagePrefix()}).
     */
    ALB,
    /** A Cloud Map service behind a VPC link (HTTP APIs only). */
    CLOUD_MAP,
    /** A mock integration: API Gateway answers itself. */
    MOCK
}
