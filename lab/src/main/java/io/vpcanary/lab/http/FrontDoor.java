package io.vpcanary.lab.http;

import io.vpcanary.estate.Estate;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.dns.LabDnsViews;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which front door a connection arrived at, known from its local address: the network interface of an execute-api
 * VPC endpoint ({@code vpcEndpoint} set) or a region's public front door ({@code vpcEndpoint} null). On the IPv6
 * front door {@code ::1}, shared by every dual-stack door, it is known from the name the client asked for.
 *
 * @param region      the region of the front door
 * @param vpcEndpoint the VPC endpoint id, or null for the public front door
 * @param vpc         the endpoint's VPC id, or null for the public front door
 */
record FrontDoor(String region, String vpcEndpoint, String vpc) {

    boolean isVpcEndpoint() {
        return vpcEndpoint != null;
    }

    /** The front door at {@code local}, or empty when the address is not a lab front door. */
    static Optional<FrontDoor> at(Estate estate, LabAddressPlan plan, InetAddress local) {
        Optional<String> vpce = plan.endpointAt(local);
        if (vpce.isPresent()) {
            return estate.network().endpoint(vpce.get())
                    .map(e -> new FrontDoor(estate.network().regionOf(e), e.id(), e.vpc()));
        }
        return plan.regionOf(local).filter(r -> plan.regionalFrontDoor(r).equals(local))
                .map(r -> new FrontDoor(r, null, null));
    }

    /**
     * The front door a connection to the IPv6 front door ({@code ::1}) reaches when its client asked for
     * {@code name}: loopback has one IPv6 address, so the name the lab's DNS answered {@code ::1} for tells the doors
     * apart ({@link LabDnsViews#ipv6Door}). Empty when no view answers AAAA for that name.
     */
    static Optional<FrontDoor> named(Estate estate, LabDnsViews views, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return views.ipv6Door(name).flatMap(door -> door.startsWith("region:")
                ? Optional.of(new FrontDoor(door.substring("region:".length()), null, null))
                : estate.network().endpoint(door).map(e -> new FrontDoor(estate.network().regionOf(e), e.id(), e.vpc())));
    }
}
