package io.vpcanary.lab.route53;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.lab.LabAddressPlan;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Where a routing record sends clients in the lab: its alias target. A routing domain stands for a custom domain of
 * the same name in each record's API region (as in AWS, where each region's API Gateway domain carries the name
 * clients call): for a private API the VPC endpoint of that region's custom domain of the name, else of the API
 * region's first VPC endpoint; for a regional API the region's public front door.
 */
public final class RoutingTargets {

    private RoutingTargets() {
    }

    /** The VPC endpoint a record of a private API aliases to, or null for a regional API. */
    public static String endpoint(Api api, ApiRegion region, String domain) {
        if (!api.isPrivate()) {
            return null;
        }
        String name = domain.toLowerCase(Locale.ROOT);
        for (CustomDomain d : region.customDomains()) {
            if (d.domain().toLowerCase(Locale.ROOT).equals(name) && d.vpcEndpoint() != null) {
                return d.vpcEndpoint();
            }
        }
        return region.vpcEndpoints().isEmpty() ? null : region.vpcEndpoints().getFirst();
    }

    /** The addresses the record's answer holds. */
    public static List<InetAddress> addresses(Estate estate, LabAddressPlan plan, String domain, RoutingRecord record) {
        Api api = estate.api(record.api()).orElseThrow();
        ApiRegion region = api.region(record.region()).orElseThrow();
        String vpce = endpoint(api, region, domain);
        return vpce != null ? plan.endpointAddresses(vpce) : List.of(plan.regionalFrontDoor(record.region()));
    }
}
