package io.vpcanary.lab.http;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.ResourceMatcher;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.lab.integration.SimulatedTarget;
import io.vpcanary.lab.policy.ResourcePolicy;
import io.vpcanary.lab.route53.RoutingTargets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The estate's APIs indexed the way the front doors look them up: by API id and by custom domain name and base path,
 * each with its resource policy (parsed once) and its simulated integration target; private custom domains with
 * their own policy, and VPC endpoints with theirs. Immutable after construction.
 */
final class ApiCatalog {

    /** One API in one region, with everything a request to it needs. */
    record Deployment(Api api, ApiRegion region, ResourcePolicy policy, ResourceMatcher resources,
                      SimulatedTarget target) {
    }

    /**
     * A base path mapping of a custom domain name to a deployment, with the domain's execute-api policy (private
     * custom domains that give one; else null) and the ARN it is evaluated on.
     */
    record DomainMapping(CustomDomain domain, Deployment deployment, ResourcePolicy domainPolicy, String domainArn) {
    }

    private final Map<String, Deployment> byId = new HashMap<>();
    /** "{api name} {region}" to its deployment. */
    private final Map<String, Deployment> byName = new HashMap<>();
    /** Domain name to its base path mappings, longest base path first. */
    private final Map<String, List<DomainMapping>> byDomain = new HashMap<>();
    private final Map<String, ResourcePolicy> endpointPolicies = new HashMap<>();

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
                byName.put(api.name() + " " + r.region(), d);
                for (CustomDomain cd : r.customDomains()) {
                    String domainArn = cd.executeApiArn(r.region(), estate.account());
                    ResourcePolicy domainPolicy = null;
                    if (cd.policy() != null && !cd.policy().isNull()) {
                        try {
                            domainPolicy = ResourcePolicy.forDomain(cd.policy(), domainArn);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("custom domain " + cd.domain() + " in " + r.region()
                                    + ": policy: " + e.getMessage(), e);
                        }
                    }
                    byDomain.computeIfAbsent(cd.domain().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(new DomainMapping(cd, d, domainPolicy, domainArn));
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
                    CustomDomain cd = new CustomDomain(rd.domain(), "",
                            RoutingTargets.endpoint(d.api(), d.region(), rd.domain()), null, null, null, null, null,
                            null, null, null, null);
                    mappings.add(new DomainMapping(cd, d, null, cd.executeApiArn(rec.region(), estate.account())));
                }
            }
        }
        byDomain.values().forEach(l -> l.sort(
                Comparator.comparingInt((DomainMapping m) -> m.domain().basePath().length()).reversed()));
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            if (e.policy() != null && !e.policy().isNull()) {
                try {
                    endpointPolicies.put(e.id(), ResourcePolicy.forEndpoint(e.policy()));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("VPC endpoint " + e.id() + ": policy: " + ex.getMessage(), ex);
                }
            }
        }
    }

    Optional<Deployment> byId(String apiId) {
        return Optional.ofNullable(byId.get(apiId));
    }

    /** The base path mappings of a domain name, longest base path first (empty when the name is no domain). */
    List<DomainMapping> byDomain(String host) {
        return byDomain.getOrDefault(host, List.of());
    }

    /** The deployment of the API named {@code apiName} in {@code region}. */
    Optional<Deployment> byName(String apiName, String region) {
        return Optional.ofNullable(byName.get(apiName + " " + region));
    }

    /** The endpoint policy of a VPC endpoint, or null for AWS's default (allow everything). */
    ResourcePolicy endpointPolicy(String vpcEndpointId) {
        return vpcEndpointId == null ? null : endpointPolicies.get(vpcEndpointId);
    }
}
