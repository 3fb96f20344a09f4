package io.vpcanary.estate;

/**
 * Which IP versions reach an API, a custom domain name or a VPC endpoint, and which address records its DNS names
 * carry (AWS: dual-stack API Gateway endpoints, March 2025; dual-stack interface VPC endpoints).
 *
 * <p>APIs and custom domain names are {@link #IPV4} or {@link #DUALSTACK}; a private API can only be
 * {@link #DUALSTACK} (API Gateway refuses {@code ipv4} for the PRIVATE endpoint type). Whether a private API is reached
 * over IPv6 is then the VPC endpoint's choice: its {@code ipAddressType} (the addresses of its network interfaces) and
 * its {@code dnsRecordIpType} (A, AAAA or both records for its DNS names and private DNS).
 */
public enum IpAddressType {
    /** IPv4 only: A records. */
    IPV4,
    /** IPv4 and IPv6: A and AAAA records. */
    DUALSTACK,
    /** IPv6 only (VPC endpoints): AAAA records. */
    IPV6;

    /** Whether this type has IPv4 addresses (A records). */
    public boolean hasIpv4() {
        return this != IPV6;
    }

    /** Whether this type has IPv6 addresses (AAAA records). */
    public boolean hasIpv6() {
        return this != IPV4;
    }
}
