package io.vpcanary.access;

/**
 * One way a client reaches an API. Each path determines the URL host, the headers that identify the API and the
 * host that a SigV4 signature covers; {@link TargetPlanner} builds them.
 */
public enum AccessPath {
    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}, resolved by private DNS inside the VPC. */
    PRIVATE_DNS,
    /** The endpoint's public DNS name with {@code Host: {api-id}.execute-api.{region}.amazonaws.com}. */
    VPCE_HOST_HEADER,
    /** The endpoint's public DNS name with {@code x-apigw-api-id: {api-id}}. */
    VPCE_API_ID_HEADER,
    /** {@code https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com/{stage}}. */
    ROUTE53_ALIAS,
    /** {@code https://{domain}/{base-path}}: a (private) custom domain name. */
    CUSTOM_DOMAIN,
    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}} of a regional API, resolved publicly. */
    REGIONAL;

    /** Whether this path calls the VPC endpoint's own hostname. */
    public boolean usesEndpointHostname() {
        return this == VPCE_HOST_HEADER || this == VPCE_API_ID_HEADER;
    }
}
