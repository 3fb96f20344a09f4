package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A custom domain name of an API in one region. For a private API it is a private custom domain: a domain name
 * access association with {@link #vpcEndpoint()} and a private hosted zone, associated with
 * {@link #hostedZoneVpcs()}, whose alias record points at that endpoint.
 */
public record CustomDomain(
        @JsonPropertyDescription("Fully qualified domain name, such as orders.internal.example.com.") String domain,
        @JsonPropertyDescription("Base path mapping; empty maps the domain root to the stage.") String basePath,
        @JsonPropertyDescription("Private custom domains: the VPC endpoint with the domain name access association (the alias target).") String vpcEndpoint,
        @JsonPropertyDescription("Private custom domains: ids of the VPCs associated with the private hosted zone. Default: the VPC of vpcEndpoint.") List<String> hostedZoneVpcs,
        @JsonPropertyDescription("BASIC (default) or STRICT: the request must arrive with a TLS server name (SNI) matching its Host header, so the VPC endpoint hostname with Host: {domain} is refused with 403; calls by the domain name work.") EndpointAccessMode endpointAccessMode,
        @JsonPropertyDescription("TLS security policy of the domain name: TLS_1_0, TLS_1_2 (default), SecurityPolicy_TLS13_1_2_2021_06 or SecurityPolicy_TLS13_1_3_2025_09 (TLS 1.3 only).") SecurityPolicy securityPolicy) {

    public CustomDomain {
        if (endpointAccessMode == null) {
            endpointAccessMode = EndpointAccessMode.BASIC;
        }
        if (securityPolicy == null) {
            securityPolicy = SecurityPolicy.TLS_1_2;
        }
        basePath = basePath == null ? "" : stripSlashes(basePath);
        hostedZoneVpcs = hostedZoneVpcs == null ? List.of() : List.copyOf(hostedZoneVpcs);
    }

    private static String stripSlashes(String p) {
        String s = p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
