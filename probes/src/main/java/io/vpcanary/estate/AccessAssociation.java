package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * A domain name access association between a private custom domain and a VPC endpoint, which the endpoint's owner
 * (possibly another account, through a RAM share) creates; with it, the owner's private hosted zone aliases the
 * domain to the endpoint in {@link #hostedZoneVpcs()}.
 */
public record AccessAssociation(
        @JsonPropertyDescription("The associated VPC endpoint (one of network.vpcEndpoints, possibly in another account's VPC).") String vpcEndpoint,
        @JsonPropertyDescription("Ids of the VPCs associated with the consumer's private hosted zone for the domain. Default: the VPC of vpcEndpoint.") List<String> hostedZoneVpcs) {

    public AccessAssociation {
        hostedZoneVpcs = hostedZoneVpcs == null ? List.of() : List.copyOf(hostedZoneVpcs);
    }
}
