package io.vpcanary.gameday.run;

import io.vpcanary.routing.DnsAnswerCache;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;
import org.xbill.DNS.SimpleResolver;

/**
 * The game day's client DNS: one {@link DnsAnswerCache} per name over one vantage's resolver, so that an answer is
 * kept for its TTL and asked again once it runs out, as a well-behaved client (and the JVM with
 * {@code networkaddress.cache.ttl} no longer than the record's) does. Failures are not cached. Thread-safe.
 */
final class TtlDns implements Dns {

    private final InetSocketAddress server;
    private final SimpleResolver resolver;
    private final Map<String, DnsAnswerCache> caches = new ConcurrentHashMap<>();

    TtlDns(InetSocketAddress server, Duration timeout) {
        this.server = server;
        this.resolver = new SimpleResolver(server);
        this.resolver.setTimeout(timeout);
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        try {
            List<InetAddress> out = new java.util.ArrayList<>();
            for (InetAddress a : caches.computeIfAbsent(hostname, h -> new DnsAnswerCache(resolver, h,
                    Clock.systemUTC())).current().addresses()) {
                out.add(InetAddress.getByAddress(hostname, a.getAddress()));
            }
            return out;
        } catch (IOException e) {
            UnknownHostException u = new UnknownHostException(hostname + ": " + e.getMessage() + " from DNS server "
                    + server.getHostString() + ":" + server.getPort());
            u.initCause(e);
            throw u;
        }
    }

    @Override
    public String toString() {
        return "DNS server " + server.getHostString() + ":" + server.getPort() + " (answers kept for their TTL)";
    }
}
