package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An execute-api interface VPC endpoint.
 *
 * <p>Its public DNS names resolve from anywhere: the regional name
 * {@code {id}-{dnsSuffix}.execute-api.{region}.vpce.amazonaws.com} and one zonal name per availability zone
 * {@code {id}-{dnsSuffix}-{zone}.execute-api.{region}.vpce.amazonaws.com}. With {@link #privateDns()} enabled,
 * every {@code *.execute-api.{region}.amazonaws.com} name resolves to this endpoint inside its VPC.
 */
public record VpcEndpoint(
        @JsonPropertyDescription("Endpoint id, such as vpce-0123456789abcdef0.") String id,
        @JsonPropertyDescription("Id of the VPC the endpoint lives in (one of network.vpcs).") String vpc,
        @JsonPropertyDescription("The random part of the endpoint DNS name, 8 lowercase letters or digits (vpce-...-{dnsSuffix}.execute-api...).") String dnsSuffix,
        @JsonPropertyDescription("Whether private DNS is enabled on the endpoint.") Boolean privateDns,
        @JsonPropertyDescription("Availability zones with an endpoint network interface, such as [us-east-1a, us-east-1b].") List<String> zones,
        @JsonPropertyDescription("The endpoint policy (execute-api:Invoke), evaluated for every request through the endpoint as well as the domain's and the API's policies. Absent: AWS's default, which allows everything.") JsonNode policy,
        @JsonPropertyDescription("IPV4 (default), DUALSTACK or IPV6: the IP versions of the endpoint's network interfaces.") IpAddressType ipAddressType,
        @JsonPropertyDescription("IPV4, DUALSTACK or IPV6: which address records (A, A and AAAA, AAAA) the endpoint's DNS names and its private DNS answer. Default: as ipAddressType.") IpAddressType dnsRecordIpType) {

    /** An endpoint with AWS's default endpoint policy (allow everything). */
    public VpcEndpoint(String id, String vpc, String dnsSuffix, Boolean privateDns, List<String> zones) {
        this(id, vpc, dnsSuffix, privateDns, zones, null, null, null);
    }

    public VpcEndpoint {
        zones = zones == null ? List.of() : List.copyOf(zones);
        if (privateDns == null) {
            privateDns = Boolean.FALSE;
        }
        if (ipAddressType == null) {
            ipAddressType = IpAddressType.IPV4;
        }
        if (dnsRecordIpType == null) {
            dnsRecordIpType = ipAddressType;
        }
    }

    /** The endpoint's regional public DNS name in {@code region}. */
    public String regionalDnsName(String region) {
        return id + "-" + dnsSuffix + ".execute-api." + region + ".vpce.amazonaws.com";
    }

    /** The endpoint's zonal public DNS name for {@code zone}. */
    public String zonalDnsName(String region, String zone) {
        return id + "-" + dnsSuffix + "-" + zone + ".execute-api." + region + ".vpce.amazonaws.com";
    }

    @JsonIgnore
    public boolean privateDnsEnabled() {
        return Boolean.TRUE.equals(privateDns);
    }
}
