package io.vpcanary.lab;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.LabRegion;
import io.vpcanary.estate.Vpc;
import io.vpcanary.estate.VpcEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where everything of the lab lives on loopback. Each region has a /24 ({@code lab.regions}, or
 * {@code 127.0.(i+1).0/24} for the i-th region of the estate when none are given):
 *
 * <ul>
 *   <li>{@code .1}: the region's public front door (regional APIs, the public execute-api service);</li>
 *   <li>{@code .2 + k}: the DNS server of the k-th VPC of the region (order of {@code network.vpcs});</li>
 *   <li>{@code .16 + 4j + z}: the network interface of the j-th execute-api endpoint of the region in its z-th
 *       availability zone (order of {@code network.vpcEndpoints} and of its {@code zones}).</li>
 * </ul>
 * The on-premises view's DNS server is {@code lab.onPremisesResolver} (127.0.0.2 by default). Every front door
 * listens on the same HTTPS port and every DNS server on the same DNS port.
 */
public final class LabAddressPlan {

    private final Map<String, int[]> regionBlocks = new LinkedHashMap<>();
    private final Map<String, InetAddress> regionalFrontDoors = new LinkedHashMap<>();
    private final Map<String, List<InetAddress>> endpointAddresses = new LinkedHashMap<>();
    private final Map<InetAddress, String> endpointByAddress = new LinkedHashMap<>();
    private final Map<String, LabView> views = new LinkedHashMap<>();

    private LabAddressPlan(Estate estate) {
        List<String> regions = new ArrayList<>(estate.regions());
        if (estate.lab().regions().isEmpty()) {
            for (int i = 0; i < regions.size(); i++) {
                regionBlocks.put(regions.get(i), new int[] {0, i + 1});
            }
        } else {
            for (LabRegion r : estate.lab().regions()) {
                String[] octets = r.addressBlock().split("[./]");
                regionBlocks.put(r.region(), new int[] {Integer.parseInt(octets[1]), Integer.parseInt(octets[2])});
            }
        }
        for (String region : regionBlocks.keySet()) {
            regionalFrontDoors.put(region, address(region, 1));
        }
        Map<String, Integer> vpcIndex = new LinkedHashMap<>();
        for (Vpc vpc : estate.network().vpcs()) {
            int k = vpcIndex.merge(vpc.region(), 1, Integer::sum) - 1;
            if (k > 13) {
                throw new IllegalArgumentException("the lab supports at most 14 VPCs per region");
            }
            boolean privateDns = estate.network().endpointsIn(vpc.id()).stream().anyMatch(VpcEndpoint::privateDnsEnabled);
            views.put(vpc.name(), new LabView(vpc.name(), vpc.id(), vpc.region(), privateDns, address(vpc.region(), 2 + k)));
        }
        views.put(Estate.ON_PREMISES, new LabView(Estate.ON_PREMISES, null, null, false,
                parse(estate.lab().onPremisesResolver())));
        Map<String, Integer> endpointIndex = new LinkedHashMap<>();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            String region = estate.network().regionOf(e);
            int j = endpointIndex.merge(region, 1, Integer::sum) - 1;
            if (e.zones().size() > 4 || j > 58) {
                throw new IllegalArgumentException("the lab supports at most 59 endpoints per region and 4 zones per endpoint");
            }
            List<InetAddress> addrs = new ArrayList<>();
            for (int z = 0; z < e.zones().size(); z++) {
                InetAddress a = address(region, 16 + 4 * j + z);
                addrs.add(a);
                endpointByAddress.put(a, e.id());
            }
            endpointAddresses.put(e.id(), List.copyOf(addrs));
        }
    }

    /** The address plan of an estate. */
    public static LabAddressPlan of(Estate estate) {
        return new LabAddressPlan(estate);
    }

    private InetAddress address(String region, int host) {
        int[] block = regionBlocks.get(region);
        if (block == null) {
            throw new IllegalArgumentException("region " + region + " has no lab address block");
        }
        return parse("127." + block[0] + "." + block[1] + "." + host);
    }

    private static InetAddress parse(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    /** Regions of the lab, in order. */
    public List<String> regions() {
        return List.copyOf(regionBlocks.keySet());
    }

    /** The public (regional) front door of a region. */
    public InetAddress regionalFrontDoor(String region) {
        InetAddress a = regionalFrontDoors.get(region);
        if (a == null) {
            throw new IllegalArgumentException("region " + region + " has no lab address block");
        }
        return a;
    }

    /** The network interface addresses of an endpoint, one per availability zone, in zone order. */
    public List<InetAddress> endpointAddresses(String vpceId) {
        return endpointAddresses.getOrDefault(vpceId, List.of());
    }

    /** The endpoint whose network interface has {@code address}, if any. */
    public Optional<String> endpointAt(InetAddress address) {
        return Optional.ofNullable(endpointByAddress.get(address));
    }

    /** The region whose front door or endpoint has {@code address}, if any. */
    public Optional<String> regionOf(InetAddress address) {
        byte[] b = address.getAddress();
        for (var e : regionBlocks.entrySet()) {
            if (b.length == 4 && b[0] == 127 && (b[1] & 0xff) == e.getValue()[0] && (b[2] & 0xff) == e.getValue()[1]) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Every address an HTTPS front door listens on: each region's public front door and every endpoint interface. */
    public List<InetAddress> frontDoorAddresses() {
        List<InetAddress> out = new ArrayList<>(regionalFrontDoors.values());
        endpointAddresses.values().forEach(out::addAll);
        return Collections.unmodifiableList(out);
    }

    /** The resolver views: each VPC by name, then {@code on-premises}. */
    public Map<String, LabView> views() {
        return Collections.unmodifiableMap(views);
    }

    public LabView view(String name) {
        LabView v = views.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no resolver view named " + name);
        }
        return v;
    }
}
