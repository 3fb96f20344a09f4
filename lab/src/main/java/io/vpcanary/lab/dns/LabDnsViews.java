package io.vpcanary.lab.dns;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.LabView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each resolver view of the lab answers for a name: the DNS semantics of the lab without any sockets. The
 * {@link LabDnsServer} asks this for every query; tests and docs ask it directly.
 *
 * <p>Names are compared case-insensitively, with or without the trailing dot. For a view, a name resolves by the first
 * rule that matches:
 * <ol>
 *   <li>an endpoint's public DNS name, in every view: the regional name to every interface address of the endpoint,
 *       a zonal name to the address in that zone;</li>
 *   <li>in a VPC whose execute-api endpoint has private DNS enabled, every name under
 *       {@code execute-api.{vpc-region}.amazonaws.com} (the private hosted zone's wildcard) to that endpoint;</li>
 *   <li>a private custom domain, only in the VPCs associated with its private hosted zone ({@code hostedZoneVpcs},
 *       by default the VPC of its endpoint), to the addresses of its endpoint; the custom domain of a regional API, in
 *       every view, to the region's public front door;</li>
 *   <li>{@code {api-id}.execute-api.{region}.amazonaws.com} of a regional API deployed in that region, in every view,
 *       to the region's public front door;</li>
 *   <li>the Route 53 alias {@code {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com} of a private API associated
 *       with that endpoint, in every view, to the endpoint's addresses;</li>
 *   <li>anything else does not exist (NXDOMAIN). In particular the execute-api name of a private API resolves
 *       nowhere but in a VPC with private DNS: the lab's public execute-api zone holds only the estate's regional
 *       APIs.</li>
 * </ol>
 * An existing name always has A records only; this class answers the list of IPv4 addresses.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LabDnsViews {

    private static final Pattern VPCE_ZONE = Pattern.compile(".+\\.(execute-api\\.[a-z0-9-]+\\.vpce\\.amazonaws\\.com)");
    private static final Pattern EXECUTE_API_ZONE = Pattern.compile(".+\\.(execute-api\\.[a-z0-9-]+\\.amazonaws\\.com)");

    private final Map<String, LabView> views;
    /** Endpoint public names, regional API names, alias names and regional custom domains: the same in every view. */
    private final Map<String, List<InetAddress>> publicNames = new LinkedHashMap<>();
    /** Private custom domain to the VPC ids of its hosted zone and the addresses it resolves to there. */
    private final Map<String, PrivateName> privateDomains = new LinkedHashMap<>();
    /** VPC view name to the addresses of that VPC's private-DNS endpoint. */
    private final Map<String, List<InetAddress>> privateDnsTargets = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Set<String> customDomains = new LinkedHashSet<>();

    private record PrivateName(Set<String> vpcIds, List<InetAddress> addresses) {
    }

    private LabDnsViews(Estate estate, LabAddressPlan plan) {
        this.views = plan.views();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            String region = estate.network().regionOf(e);
            List<InetAddress> addresses = plan.endpointAddresses(e.id());
            define(publicNames, e.regionalDnsName(region), addresses);
            for (int z = 0; z < e.zones().size(); z++) {
                define(publicNames, e.zonalDnsName(region, e.zones().get(z)),
                        z < addresses.size() ? List.of(addresses.get(z)) : List.of());
            }
        }
        for (LabView view : views.values()) {
            if (view.privateDns()) {
                estate.network().endpointsIn(view.vpcId()).stream()
                        .filter(VpcEndpoint::privateDnsEnabled)
                        .findFirst()
                        .ifPresent(e -> privateDnsTargets.put(view.name(), plan.endpointAddresses(e.id())));
            }
        }
        for (Api api : estate.apis()) {
            for (ApiRegion ar : api.regions()) {
                if (api.isPrivate()) {
                    names.add(normalize(ar.executeApiHost()));
                    for (String vpce : ar.vpcEndpoints()) {
                        define(publicNames, ar.aliasHost(vpce), plan.endpointAddresses(vpce));
                    }
                } else {
                    define(publicNames, ar.executeApiHost(), List.of(plan.regionalFrontDoor(ar.region())));
                }
                for (CustomDomain d : ar.customDomains()) {
                    String domain = normalize(d.domain());
                    customDomains.add(domain);
                    if (api.isPrivate()) {
                        Set<String> vpcs = new LinkedHashSet<>(d.hostedZoneVpcs());
                        if (vpcs.isEmpty()) {
                            estate.network().endpoint(d.vpcEndpoint()).ifPresent(e -> vpcs.add(e.vpc()));
                        }
                        privateDomains.put(domain, new PrivateName(Set.copyOf(vpcs),
                                plan.endpointAddresses(d.vpcEndpoint())));
                        names.add(domain);
                    } else {
                        define(publicNames, domain, List.of(plan.regionalFrontDoor(ar.region())));
                    }
                }
            }
        }
    }

    private void define(Map<String, List<InetAddress>> zone, String name, List<InetAddress> addresses) {
        String n = normalize(name);
        zone.put(n, List.copyOf(addresses));
        names.add(n);
    }

    /** The DNS semantics of {@code estate} on the addresses of {@code plan}. */
    public static LabDnsViews of(Estate estate, LabAddressPlan plan) {
        return new LabDnsViews(estate, plan);
    }

    /** Names of the resolver views, in the order of the address plan. */
    public List<String> views() {
        return List.copyOf(views.keySet());
    }

    /**
     * Every name the estate defines, lower case, without the trailing dot, in estate order (endpoints with their
     * regional then zonal names, then each API region's execute-api name, alias names and custom domains). A name is
     * listed even where it resolves in no view, such as the execute-api name of a private API.
     */
    public List<String> names() {
        return List.copyOf(new LinkedHashSet<>(names));
    }

    /**
     * What {@code view} answers for {@code name}.
     *
     * @return the A record addresses, in a stable order (empty list: the name exists with no A record); an empty
     *         optional when the name does not exist in that view (NXDOMAIN)
     * @throws IllegalArgumentException when there is no view of that name
     */
    public Optional<List<InetAddress>> answer(String view, String name) {
        LabView v = views.get(view);
        if (v == null) {
            throw new IllegalArgumentException("no resolver view named " + view + "; views: " + views.keySet());
        }
        String n = normalize(name);
        List<InetAddress> endpointName = publicNames.get(n);
        if (endpointName != null && n.endsWith(".vpce.amazonaws.com")) {
            return Optional.of(endpointName);
        }
        List<InetAddress> privateDns = privateDnsTargets.get(v.name());
        if (privateDns != null && n.endsWith(".execute-api." + v.region() + ".amazonaws.com")
                && n.length() > (".execute-api." + v.region() + ".amazonaws.com").length()) {
            return Optional.of(privateDns);
        }
        PrivateName privateName = privateDomains.get(n);
        if (privateName != null) {
            return !v.onPremises() && privateName.vpcIds().contains(v.vpcId())
                    ? Optional.of(privateName.addresses()) : Optional.empty();
        }
        return Optional.ofNullable(endpointName);
    }

    /**
     * The zone whose SOA accompanies a negative answer for {@code name}: {@code execute-api.{region}.vpce.amazonaws.com}
     * or {@code execute-api.{region}.amazonaws.com} for names under them, a custom domain for itself and names under
     * it, {@code amazonaws.com} for its other names, and the root ({@code ""}) for the rest. Lower case, no trailing dot.
     */
    public String zoneOf(String name) {
        String n = normalize(name);
        Matcher m = VPCE_ZONE.matcher(n);
        if (m.matches()) {
            return m.group(1);
        }
        m = EXECUTE_API_ZONE.matcher(n);
        if (m.matches()) {
            return m.group(1);
        }
        for (String d : customDomains) {
            if (n.equals(d) || n.endsWith("." + d)) {
                return d;
            }
        }
        if (n.equals("amazonaws.com") || n.endsWith(".amazonaws.com")) {
            return "amazonaws.com";
        }
        return "";
    }

    /** Lower case, without one trailing dot: how the lab compares DNS names. */
    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
