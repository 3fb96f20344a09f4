package io.vpcanary.gameday.run;

import io.vpcanary.probe.DnsServerLookup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import okhttp3.Dns;

/**
 * A client DNS cache that honours TTLs, over one vantage's resolver: an answer is kept for its TTL and asked again
 * once it expires, as a well-behaved client (and the JVM with {@code networkaddress.cache.ttl} no longer than the
 * record's) does. Failures are not cached. Thread-safe.
 */
final class TtlDns implements Dns {

    private record Cached(List<InetAddress> addresses, long expiresNanos) {
    }

    private final DnsServerLookup server;
    private final LongSupplier nanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    TtlDns(InetSocketAddress server, Duration timeout, LongSupplier nanos) {
        this.server = new DnsServerLookup(server, timeout, false);
        this.nanos = nanos;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        long now = nanos.getAsLong();
        Cached c = cache.get(hostname);
        if (c != null && now < c.expiresNanos()) {
            return c.addresses();
        }
        cache.remove(hostname);
        DnsServerLookup.Answer a = server.answer(hostname);
        cache.put(hostname, new Cached(a.addresses(), now + Duration.ofSeconds(a.ttlSeconds()).toNanos()));
        return a.addresses();
    }

    @Override
    public String toString() {
        return server + " (answers kept for their TTL)";
    }
}
