package io.vpcanary.probe;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.VpcEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;

/**
 * The addresses of the estate's execute-api VPC endpoints as a vantage point sees them, for detecting
 * {@link ErrorClass#DNS_CONFLICT}. Each endpoint's regional public DNS name
 * ({@link VpcEndpoint#regionalDnsName(String)}) is resolved through the vantage's resolver; these names resolve
 * from everywhere and their addresses are stable, so successful answers are cached for the life of this object.
 * Failed lookups are not cached (the next probe asks again) and simply contribute no address. Thread-safe.
 */
public final class EndpointAddresses {

    /** An endpoint address, with the endpoint it belongs to. */
    public record Match(InetAddress address, VpcEndpoint endpoint, String dnsName) {
    }

    private final Estate estate;
    private final Map<String, List<InetAddress>> cache = new ConcurrentHashMap<>();

    public EndpointAddresses(Estate estate) {
        this.estate = estate;
    }

    /**
     * The first of {@code addresses} that belongs to an execute-api VPC endpoint of the estate in {@code region}, as
     * seen through {@code dns} at {@code vantage}.
     */
    public Optional<Match> firstConflict(List<InetAddress> addresses, String region, String vantage, Dns dns) {
        if (addresses.isEmpty()) {
            return Optional.empty();
        }
        for (VpcEndpoint endpoint : endpointsIn(region)) {
            String name = endpoint.regionalDnsName(region);
            for (InetAddress endpointAddress : resolve(name, vantage, dns)) {
                for (InetAddress a : addresses) {
                    if (java.util.Arrays.equals(a.getAddress(), endpointAddress.getAddress())) {
                        return Optional.of(new Match(a, endpoint, name));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private List<VpcEndpoint> endpointsIn(String region) {
        List<VpcEndpoint> out = new ArrayList<>();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            boolean inRegion = estate.network().vpc(e.vpc()).map(v -> region.equals(v.region())).orElse(false);
            if (inRegion) {
                out.add(e);
            }
        }
        return out;
    }

    private List<InetAddress> resolve(String name, String vantage, Dns dns) {
        String key = vantage + "\n" + name;
        List<InetAddress> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            List<InetAddress> found = List.copyOf(dns.lookup(name));
            cache.put(key, found);
            return found;
        } catch (UnknownHostException e) {
            return List.of();
        }
    }
}
