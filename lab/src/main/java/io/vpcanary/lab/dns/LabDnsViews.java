package io.vpcanary.lab.dns;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.AccessAssociation;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.IpAddressType;
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
 *   <li>a private custom domain, for each of its domain name access associations, in the VPCs associated with that
 *       association's private hosted zone ({@code hostedZoneVpcs}, by default the VPC of its endpoint), to the
 *       addresses of that endpoint (nowhere else); the custom domain of a regional API, in every view, to the region's
 *       public front door;</li>
 *   <li>{@code {api-id}.execute-api.{region}.amazonaws.com} of a regional API deployed in that region, in every view,
 *       to the region's public front door;</li>
 *   <li>the Route 53 alias {@code {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com} of a private API associated
 *       with that endpoint, in every view, to the endpoint's addresses;</li>
 *   <li>anything else does not exist (NXDOMAIN). In particular the execute-api name of a private API resolves
 *       nowhere but in a VPC with private DNS: the lab's public execute-api zone holds only the estate's regional
 *       APIs.</li>
 * </ol>
 * An existing name has the A records of its target and, where the target is dual-stack, the AAAA record
 * {@code ::1}: an endpoint whose {@code dnsRecordIpType} has IPv6 (its own names, the private DNS it provides, the
 * aliases and private custom domains that point at it; an IPv6-only endpoint has no A records), a regional API or
 * regional custom domain of {@code ipAddressType: DUALSTACK} (the public front door). Loopback has one IPv6 address,
 * so the lab's IPv6 front door on {@code ::1} tells the endpoints apart by the name the client asked for (its TLS
 * server name, else its {@code Host}): {@link #ipv6Door(String)}. A name whose IPv6 door would depend on the view
 * asking (two VPCs whose dual-stack endpoints both provide private DNS in one region; a dual-stack regional API whose
 * name a dual-stack private-DNS endpoint captures in a VPC) gets no AAAA record anywhere, and
 * {@link #ipv6Ambiguities()} says which, for the lab to print: AWS would answer them, the lab cannot serve them on
 * {@code ::1}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LabDnsViews {

    private static final Pattern VPCE_ZONE = Pattern.compile(".+\\.(execute-api\\.[a-z0-9-]+\\.vpce\\.amazonaws\\.com)");
    private static final Pattern EXECUTE_API_ZONE = Pattern.compile(".+\\.(execute-api\\.[a-z0-9-]+\\.amazonaws\\.com)");

    private final Map<String, LabView> views;
    /** Endpoint public names, regional API names, alias names and regional custom domains: the same in every view. */
    private final Map<String, List<InetAddress>> publicNames = new LinkedHashMap<>();
    /** Private custom domain to, per access association, the VPC ids of its hosted zone and the endpoint's addresses. */
    private final Map<String, List<PrivateName>> privateDomains = new LinkedHashMap<>();
    /** VPC view name to the addresses of that VPC's private-DNS endpoint. */
    private final Map<String, List<InetAddress>> privateDnsTargets = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Set<String> customDomains = new LinkedHashSet<>();

    private record PrivateName(Set<String> vpcIds, List<InetAddress> addresses, String ipv6Door) {
    }

    /** The IPv6 address of every dual-stack front door of the lab. */
    public static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

    private static InetAddress ipv6Loopback() {
        byte[] one = new byte[16];
        one[15] = 1;
        try {
            return InetAddress.getByAddress(one);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Name to the front door {@code ::1} stands for when that name is asked: a VPC endpoint id or {@code region:R}. */
    private final Map<String, String> ipv6Doors = new LinkedHashMap<>();
    /** VPC view name to the id of its private-DNS endpoint when its records have IPv6. */
    private final Map<String, String> privateDnsIpv6 = new LinkedHashMap<>();
    /** Region to the one endpoint whose private DNS answers AAAA there, or "" when several do. */
    private final Map<String, String> wildcardIpv6 = new LinkedHashMap<>();
    /** Names that get no AAAA record because ::1 would stand for different front doors in different views. */
    private final Set<String> ambiguousIpv6 = new LinkedHashSet<>();

    private static String publicDoor(String region) {
        return "region:" + region;
    }

    private LabDnsViews(Estate estate, LabAddressPlan plan) {
        this.views = plan.views();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            String region = estate.network().regionOf(e);
            List<InetAddress> addresses = ipv4(e, plan);
            String door = e.dnsRecordIpType().hasIpv6() ? e.id() : null;
            define(publicNames, e.regionalDnsName(region), addresses, door);
            for (int z = 0; z < e.zones().size(); z++) {
                define(publicNames, e.zonalDnsName(region, e.zones().get(z)),
                        z < addresses.size() ? List.of(addresses.get(z)) : List.of(), door);
            }
        }
        for (LabView view : views.values()) {
            if (view.privateDns()) {
                estate.network().endpointsIn(view.vpcId()).stream()
                        .filter(VpcEndpoint::privateDnsEnabled)
                        .findFirst()
                        .ifPresent(e -> {
                            privateDnsTargets.put(view.name(), ipv4(e, plan));
                            if (e.dnsRecordIpType().hasIpv6()) {
                                privateDnsIpv6.put(view.name(), e.id());
                                wildcardIpv6.merge(view.region(), e.id(), (a, b) -> a.equals(b) ? a : "");
                            }
                        });
            }
        }
        for (Api api : estate.apis()) {
            for (ApiRegion ar : api.regions()) {
                String publicIpv6 = api.ipAddressType().hasIpv6() ? publicDoor(ar.region()) : null;
                if (api.isPrivate()) {
                    names.add(normalize(ar.executeApiHost()));
                    for (String vpce : ar.vpcEndpoints()) {
                        Optional<VpcEndpoint> e = estate.network().endpoint(vpce);
                        define(publicNames, ar.aliasHost(vpce), e.map(x -> ipv4(x, plan)).orElse(List.of()),
                                e.filter(x -> x.dnsRecordIpType().hasIpv6()).map(VpcEndpoint::id).orElse(null));
                    }
                } else {
                    define(publicNames, ar.executeApiHost(), List.of(plan.regionalFrontDoor(ar.region())), publicIpv6);
                }
                for (CustomDomain d : ar.customDomains()) {
                    String domain = normalize(d.domain());
                    customDomains.add(domain);
                    if (api.isPrivate()) {
                        List<PrivateName> zones = new ArrayList<>();
                        for (AccessAssociation a : d.associations()) {
                            Set<String> vpcs = new LinkedHashSet<>(a.hostedZoneVpcs());
                            if (vpcs.isEmpty()) {
                                estate.network().endpoint(a.vpcEndpoint()).ifPresent(e -> vpcs.add(e.vpc()));
                            }
                            Optional<VpcEndpoint> e = estate.network().endpoint(a.vpcEndpoint());
                            zones.add(new PrivateName(Set.copyOf(vpcs), e.map(x -> ipv4(x, plan)).orElse(List.of()),
                                    e.filter(x -> x.dnsRecordIpType().hasIpv6()).map(VpcEndpoint::id).orElse(null)));
                        }
                        privateDomains.put(domain, List.copyOf(zones));
                        names.add(domain);
                    } else {
                        define(publicNames, domain, List.of(plan.regionalFrontDoor(ar.region())),
                                d.ipAddressType() == IpAddressType.DUALSTACK ? publicDoor(ar.region()) : null);
                    }
                }
            }
        }
        // ::1 stands for one front door per name: a name whose IPv6 door differs between views gets no AAAA
        Map<String, Set<String>> doorsByName = new LinkedHashMap<>();
        for (String n : names()) {
            for (String view : views.keySet()) {
                Resolution r = resolve(views.get(view), n);
                if (r != null && r.ipv6Door() != null) {
                    doorsByName.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(r.ipv6Door());
                }
            }
        }
        doorsByName.forEach((n, doors) -> {
            if (doors.size() == 1) {
                ipv6Doors.put(n, doors.iterator().next());
            } else {
                ambiguousIpv6.add(n);
            }
        });
        wildcardIpv6.forEach((region, door) -> {
            if (door.isEmpty()) {
                ambiguousIpv6.add("*.execute-api." + region + ".amazonaws.com");
            }
        });
    }

    /** The IPv4 interface addresses of {@code e} as its DNS records give them: none for IPv6-only records. */
    private static List<InetAddress> ipv4(VpcEndpoint e, LabAddressPlan plan) {
        return e.dnsRecordIpType().hasIpv4() ? plan.endpointAddresses(e.id()) : List.of();
    }

    private void define(Map<String, List<InetAddress>> zone, String name, List<InetAddress> addresses, String ipv6Door) {
        String n = normalize(name);
        zone.put(n, List.copyOf(addresses));
        names.add(n);
        if (ipv6Door != null) {
            definedIpv6.put(n, ipv6Door);
        }
    }

    /** The IPv6 door of each name of {@link #publicNames} that has one. */
    private final Map<String, String> definedIpv6 = new LinkedHashMap<>();

    /** What a view answers for a name: its IPv4 addresses, and the door {@code ::1} stands for, or null. */
    private record Resolution(List<InetAddress> ipv4, String ipv6Door) {
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
     * @return the addresses: the A records' IPv4 addresses in a stable order, then {@link #IPV6_LOOPBACK} when the
     *         name has an AAAA record there (empty list: the name exists with no address record); an empty optional
     *         when the name does not exist in that view (NXDOMAIN)
     * @throws IllegalArgumentException when there is no view of that name
     */
    public Optional<List<InetAddress>> answer(String view, String name) {
        LabView v = views.get(view);
        if (v == null) {
            throw new IllegalArgumentException("no resolver view named " + view + "; views: " + views.keySet());
        }
        String n = normalize(name);
        Resolution r = resolve(v, n);
        if (r == null) {
            return Optional.empty();
        }
        // AAAA exactly where the [::1] front door takes the name for the door this view means
        if (r.ipv6Door() == null || !ipv6Door(n).filter(r.ipv6Door()::equals).isPresent()) {
            return Optional.of(r.ipv4());
        }
        List<InetAddress> out = new ArrayList<>(r.ipv4());
        out.add(IPV6_LOOPBACK);
        return Optional.of(List.copyOf(out));
    }

    private static boolean isWildcardName(LabView v, String n) {
        return v.region() != null && n.endsWith(".execute-api." + v.region() + ".amazonaws.com")
                && n.length() > (".execute-api." + v.region() + ".amazonaws.com").length();
    }

    /** What {@code v} answers for the normalised name {@code n}, or null for NXDOMAIN. */
    private Resolution resolve(LabView v, String n) {
        List<InetAddress> endpointName = publicNames.get(n);
        if (endpointName != null && n.endsWith(".vpce.amazonaws.com")) {
            return new Resolution(endpointName, definedIpv6.get(n));
        }
        List<InetAddress> privateDns = privateDnsTargets.get(v.name());
        if (privateDns != null && isWildcardName(v, n)) {
            return new Resolution(privateDns, privateDnsIpv6.get(v.name()));
        }
        List<PrivateName> privateZones = privateDomains.get(n);
        if (privateZones != null) {
            return privateZones.stream().filter(z -> !v.onPremises() && z.vpcIds().contains(v.vpcId()))
                    .findFirst().map(z -> new Resolution(z.addresses(), z.ipv6Door())).orElse(null);
        }
        return endpointName == null ? null : new Resolution(endpointName, definedIpv6.get(n));
    }

    /**
     * The front door a connection to {@code ::1} reaches when the client asked for {@code name} (its TLS server name,
     * else its {@code Host}): a VPC endpoint id, or {@code region:R} for region R's public front door; empty when no
     * view answers AAAA for that name.
     */
    public Optional<String> ipv6Door(String name) {
        String n = normalize(name);
        String door = ipv6Doors.get(n);
        if (door != null || ambiguousIpv6.contains(n)) {
            return Optional.ofNullable(door);
        }
        java.util.regex.Matcher m = EXECUTE_API_ZONE.matcher(n);
        if (m.matches()) {
            String region = m.group(1).substring("execute-api.".length(), m.group(1).length() - ".amazonaws.com".length());
            String wildcard = wildcardIpv6.getOrDefault(region, "");
            return wildcard.isEmpty() ? Optional.empty() : Optional.of(wildcard);
        }
        return Optional.empty();
    }

    /** Whether some name has an AAAA record in some view: the lab then listens on {@link #IPV6_LOOPBACK} too. */
    public boolean servesIpv6() {
        return !ipv6Doors.isEmpty() || wildcardIpv6.values().stream().anyMatch(d -> !d.isEmpty());
    }

    /**
     * Names (and {@code *.execute-api.{region}.amazonaws.com} for private DNS) that AWS would answer with AAAA records
     * but the lab answers without, because on {@code ::1} it could not tell which front door the client meant.
     */
    public Set<String> ipv6Ambiguities() {
        return java.util.Collections.unmodifiableSet(ambiguousIpv6);
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
