package io.vpcanary.simulations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The addresses of every host of a {@link PathPlan}, asked of the DNS server of the view each request is sent from
 * (real DNS queries, A records), once when the run starts, as a client with a DNS cache does.
 *
 * <p>Why not let Gatling ask per request: Gatling 3.15 shares one asynchronous resolver per event loop between all
 * HTTP protocols (its engine caches resolvers by event loop only), so with one protocol per view the first view's
 * DNS server would answer for every view. Its per-user resolvers ({@code perUserNameResolution()}) avoid that but
 * build a resolver (a UDP socket and a randomised query-id space) for every user of the open model, which costs
 * more CPU than the request itself. Resolving each view's names here and handing them to that view's protocol as
 * host name aliases keeps each view's answers its own at no cost per request.
 */
public final class ViewAddresses {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ViewAddresses() {
    }

    /**
     * For each view of {@code plan}: each host its requests call, mapped to the addresses the view's DNS server
     * answers for it.
     *
     * @throws IllegalStateException when a name does not resolve in its view (the message names host, view, server
     *                               and the DNS answer)
     */
    public static Map<String, Map<String, List<InetAddress>>> resolve(PathPlan plan) {
        Map<String, Map<String, List<InetAddress>>> out = new LinkedHashMap<>();
        for (PathRequest r : plan.requests()) {
            String host = URI.create(r.url()).getHost();
            Map<String, List<InetAddress>> view = out.computeIfAbsent(r.view(), v -> new LinkedHashMap<>());
            if (!view.containsKey(host)) {
                view.put(host, lookup(host, r.view(), r.resolver()));
            }
        }
        return out;
    }

    /** The A records of {@code host} answered by {@code server}, the DNS server of {@code view}. */
    public static List<InetAddress> lookup(String host, String view, InetSocketAddress server) {
        Lookup lookup;
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(TIMEOUT);
            lookup = new Lookup(Name.fromString(host, Name.root), Type.A);
            lookup.setResolver(resolver);
            lookup.setCache(null);
            lookup.setSearchPath((Name[]) null);
        } catch (TextParseException e) {
            throw new IllegalStateException("not a DNS name: " + host, e);
        }
        Record[] records = lookup.run();
        if (records == null || records.length == 0) {
            throw new IllegalStateException(host + " does not resolve in view " + view + " (DNS server " + server
                    + "): " + lookup.getErrorString());
        }
        List<InetAddress> out = new ArrayList<>();
        for (Record rec : records) {
            if (rec instanceof ARecord a) {
                out.add(a.getAddress());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(host + " has no A record in view " + view + " (DNS server " + server + ")");
        }
        return List.copyOf(out);
    }
}
