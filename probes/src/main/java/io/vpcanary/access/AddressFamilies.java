package io.vpcanary.access;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.IpAddressType;
import io.vpcanary.estate.VpcEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The IP versions a target's name has addresses of, as the estate declares them (docs/estate.md, "Dual-stack"): the
 * VPC endpoint's {@code dnsRecordIpType} for a path through an endpoint, the regional custom domain's or the API's
 * {@code ipAddressType} otherwise. The probe decides from what DNS answers ({@code ProbeEngine#byAddressFamily});
 * what is generated ahead of any run (dashboards) takes the declaration.
 */
public final class AddressFamilies {

    private AddressFamilies() {
    }

    /** What the estate declares for the name of {@code target}. */
    public static IpAddressType declared(Estate estate, Target target) {
        if (target.vpcEndpoint() != null) {
            return estate.network().endpoint(target.vpcEndpoint()).map(VpcEndpoint::dnsRecordIpType)
                    .orElse(IpAddressType.IPV4);
        }
        Api api = estate.api(target.api()).orElse(null);
        if (api == null) {
            return IpAddressType.IPV4;
        }
        if (target.accessPath() == AccessPath.CUSTOM_DOMAIN) {
            String host = target.url().getHost().toLowerCase(Locale.ROOT);
            for (ApiRegion r : api.regions()) {
                for (CustomDomain d : r.customDomains()) {
                    if (d.domain() != null && d.domain().equalsIgnoreCase(host)) {
                        return d.ipAddressType() == null ? IpAddressType.IPV4 : d.ipAddressType();
                    }
                }
            }
            return IpAddressType.IPV4;
        }
        return api.ipAddressType();
    }

    /**
     * The targets as a probe on a host with IPv6 checks them by the estate's declaration: a dual-stack name once over
     * IPv4 and once over IPv6, an IPv6-only name over IPv6, any other as it is.
     */
    public static List<Target> byDeclaredFamily(Estate estate, List<Target> targets) {
        List<Target> out = new ArrayList<>(targets.size());
        for (Target t : targets) {
            IpAddressType type = t.family() != null || t.apiType() == io.vpcanary.estate.ApiType.WEBSOCKET
                    ? IpAddressType.IPV4 : declared(estate, t);
            switch (type) {
                case DUALSTACK -> {
                    out.add(t.over(AddressFamily.IPV4));
                    out.add(t.over(AddressFamily.IPV6));
                }
                case IPV6 -> out.add(t.over(AddressFamily.IPV6));
                default -> out.add(t);
            }
        }
        return out;
    }
}
