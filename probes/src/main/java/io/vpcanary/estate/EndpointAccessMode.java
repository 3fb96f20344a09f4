package io.vpcanary.estate;

/**
 * How strictly API Gateway checks the connection a request arrives on, for an API or a custom domain name (AWS: with
 * the enhanced TLS security policies, November 2025).
 */
public enum EndpointAccessMode {
    /** As before the access modes: the TLS server name need not name the API or domain. */
    BASIC,
    /**
     * The request must arrive with a matching SNI: the TLS server name must be the name its {@code Host} header
     * gives, so the endpoint hostname with {@code Host: {api or domain}} is refused with 403.
     */
    STRICT
}
