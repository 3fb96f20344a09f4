package io.vpcanary.access;

import io.vpcanary.estate.Api;
import java.util.EnumSet;
import java.util.Set;

/** Which access paths apply to which API. */
public final class AccessPaths {

    private AccessPaths() {
    }

    /**
     * The access paths an API supports: a private REST API through private DNS, the endpoint hostname with a Host or
     * {@code x-apigw-api-id} header and the Route 53 alias; a regional API through its public name; both through
     * custom domains when they have any.
     */
    public static Set<AccessPath> supported(Api api) {
        EnumSet<AccessPath> out = EnumSet.noneOf(AccessPath.class);
        if (api.isPrivate()) {
            out.add(AccessPath.PRIVATE_DNS);
            out.add(AccessPath.VPCE_HOST_HEADER);
            out.add(AccessPath.VPCE_API_ID_HEADER);
            out.add(AccessPath.ROUTE53_ALIAS);
        } else {
            out.add(AccessPath.REGIONAL);
        }
        if (api.regions().stream().anyMatch(r -> !r.customDomains().isEmpty())) {
            out.add(AccessPath.CUSTOM_DOMAIN);
        }
        return out;
    }
}
