package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** The VPCs clients call from and the execute-api interface endpoints inside them. */
public record Network(
        @JsonPropertyDescription("VPCs that clients call from.") List<Vpc> vpcs,
        @JsonPropertyDescription("execute-api interface VPC endpoints.") List<VpcEndpoint> vpcEndpoints) {

    public Network {
        vpcs = vpcs == null ? List.of() : List.copyOf(vpcs);
        vpcEndpoints = vpcEndpoints == null ? List.of() : List.copyOf(vpcEndpoints);
    }

    public Optional<Vpc> vpc(String id) {
        return vpcs.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public Optional<Vpc> vpcNamed(String name) {
        return vpcs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<VpcEndpoint> endpoint(String id) {
        return vpcEndpoints.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The region of an endpoint: the region of its VPC. */
    public String regionOf(VpcEndpoint endpoint) {
        return vpc(endpoint.vpc()).map(Vpc::region).orElseThrow();
    }

    /** Endpoints inside the VPC with the given id. */
    public List<VpcEndpoint> endpointsIn(String vpcId) {
        return vpcEndpoints.stream().filter(e -> e.vpc().equals(vpcId)).toList();
    }
}
