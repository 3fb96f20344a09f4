package io.vpcanary.lab.http;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.ResourceMatcher;
import io.vpcanary.lab.integration.SimulatedTarget;
import io.vpcanary.lab.policy.ResourcePolicy;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.lab.route53.RoutingTargets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    /** Domain name to its mappings, one per region (a routing domain's name is a custom domain in each record's region). */
    private final Map<String, List<DomainMapping>> byDomain = new HashMap<>();

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
                    byDomain.computeIfAbsent(cd.domain().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(new DomainMapping(cd, d));
                }
            }
        }
        // A routing domain stands for a custom domain of its name in each record's API region, mapped to the stage at
        // the root, associated with the record's alias target (RoutingTargets) unless the estate declares it.
        for (RoutingDomain rd : estate.routingDomains()) {
            String name = rd.domain().toLowerCase(Locale.ROOT);
            for (RoutingRecord rec : rd.records()) {
                Deployment d = byId.get(estate.api(rec.api()).orElseThrow().region(rec.region()).orElseThrow().id());
                List<DomainMapping> mappings = byDomain.computeIfAbsent(name, k -> new ArrayList<>());
                if (mappings.stream().noneMatch(m -> m.deployment().region().region().equals(rec.region()))) {
                    mappings.add(new DomainMapping(new CustomDomain(rd.domain(), "",
                            RoutingTargets.endpoint(d.api(), d.region(), rd.domain()), null, null, null), d));
                }
            }
        }
    }

    Optional<Deployment> byId(String apiId) {
        return Optional.ofNullable(byId.get(apiId));
    }

    /** The mapping of domain {@code host} in {@code region}. */
    Optional<DomainMapping> byDomain(String host, String region) {
        return byDomain.getOrDefault(host, List.of()).stream()
                .filter(m -> m.deployment().region().region().equals(region)).findFirst();
    }
}
