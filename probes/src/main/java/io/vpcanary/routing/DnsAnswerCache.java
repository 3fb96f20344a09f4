package io.vpcanary.routing;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answer a client holds for one name: asked from a resolver (dnsjava, real packets) and kept until its TTL runs
 * out, as a client's DNS cache keeps it; then asked again. What routing verification with {@code --honour-ttl} and the
 * routing load run use to re-resolve a routing domain as its TTL expires. Thread-safe: concurrent callers share one
 * answer and one re-resolution.
 */
public final class DnsAnswerCache {

    /**
     * One answer.
     *
     * @param addresses  its A records, in answer order
     * @param ttlSeconds the TTL it carried (the smallest of its records)
     * @param received   when it was received
     * @param fresh      whether this call asked the resolver (false: served from the cache)
     */
    public record Answer(List<InetAddress> addresses, long ttlSeconds, Instant received, boolean fresh) {
        public Answer {
            addresses = List.copyOf(addresses);
        }

        /** When it expires. */
        public Instant expires() {
            return received.plusSeconds(ttlSeconds);
        }
    }

    private final Resolver resolver;
    private final String name;
    private final Clock clock;
    private Answer held;

    public DnsAnswerCache(Resolver resolver, String name, Clock clock) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The held answer while its TTL runs, else a fresh one. */
    public synchronized Answer current() throws IOException {
        if (held != null && clock.instant().isBefore(held.expires())) {
            return new Answer(held.addresses(), held.ttlSeconds(), held.received(), false);
        }
        return resolveNow();
    }

    /** A fresh answer from the resolver, which the cache then holds. */
    public synchronized Answer resolveNow() throws IOException {
        held = resolve(resolver, name, clock.instant());
        return held;
    }

    /**
     * Asks {@code resolver} for the A records of {@code name}.
     *
     * @throws IOException with the response code (NXDOMAIN, SERVFAIL, ...), "no address records", or the transport's
     *                     failure
     */
    public static Answer resolve(Resolver resolver, String name, Instant now) throws IOException {
        Message r = resolver.send(Message.newQuery(Record.newRecord(
                Name.fromString(name.endsWith(".") ? name : name + "."), Type.A, DClass.IN)));
        if (r.getRcode() != Rcode.NOERROR) {
            throw new IOException(Rcode.string(r.getRcode()));
        }
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec instanceof ARecord a) {
                addresses.add(a.getAddress());
                ttl = Math.min(ttl, rec.getTTL());
            }
        }
        if (addresses.isEmpty()) {
            throw new IOException("no address records");
        }
        return new Answer(addresses, ttl, now, true);
    }
}
