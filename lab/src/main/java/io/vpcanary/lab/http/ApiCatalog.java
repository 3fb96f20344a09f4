package io.vpcanary.lab.http;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.ResourceMatcher;
import io.vpcanary.lab.integration.SimulatedTarget;
import io.vpcanary.lab.policy.ResourcePolicy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The estate's APIs indexed the way the front doors look them up: by API id and by custom domain name, each with
 * its resource policy (parsed once) and its simulated integration target. Immutable after construction.
 */
final class ApiCatalog {

    /** One API in one region, with everything a request to it needs. */
    record Deployment(Api api, ApiRegion region, ResourcePolicy policy, ResourceMatcher resources,
                      SimulatedTarget target) {
    }

    /** A custom domain name and the deployment it maps to. */
    record DomainMapping(CustomDomain domain, Deployment deployment) {
    }

    private final Map<String, Deployment> byId = new HashMap<>();
    private final Map<String, DomainMapping> byDomain = new HashMap<>();

    /**
     * @throws IllegalArgumentException when a resource policy or an integration setting cannot be used; the message
     *                                  names the API and region
     */
    ApiCatalog(Estate estate, long seed) {
        for (Api api : estate.apis()) {
            for (ApiRegion r : api.regions()) {
                ResourcePolicy policy = null;
                if (api.resourcePolicy() != null && !api.resourcePolicy().isNull()) {
                    try {
                        policy = ResourcePolicy.parse(api.resourcePolicy(), r.region(), estate.account(), r.id());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("API " + api.name() + " in " + r.region()
                                + ": resource policy: " + e.getMessage(), e);
                    }
                }
                Deployment d = new Deployment(api, r, policy, new ResourceMatcher(api.resources()),
                        SimulatedTarget.of(estate, api, r, seed));
                byId.put(r.id(), d);
                for (CustomDomain cd : r.customDomains()) {
                    byDomain.put(cd.domain().toLowerCase(Locale.ROOT), new DomainMapping(cd, d));
                }
            }
        }
    }

    Optional<Deployment> byId(String apiId) {
        return Optional.ofNullable(byId.get(apiId));
    }

    Optional<DomainMapping> byDomain(String host) {
        return Optional.ofNullable(byDomain.get(host));
    }
}
