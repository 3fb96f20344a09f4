package io.vpcanary.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An OkHttp {@link Dns} that asks one DNS server directly (dnsjava's {@link SimpleResolver}: UDP, retried over TCP
 * when the answer is truncated), bypassing the system resolver and every cache. Each lookup sends fresh queries, so a
 * probe sees what the server answers now.
 *
 * <p>It queries {@code A} records, and also {@code AAAA} when built with {@code ipv6}; {@link #only} asks for one
 * kind. CNAME chains in the answer are
 * followed; a CNAME without the final address records is chased with a new query (at most
 * {@value #MAX_CNAME_HOPS} hops). Every failure is an {@link UnknownHostException} whose message names the server
 * and the reason: {@code NXDOMAIN}, another response code, no address records, or no answer within the timeout.
 */
public final class DnsServerLookup implements Dns {

    static final int MAX_CNAME_HOPS = 8;

    private final InetSocketAddress server;
    private final Duration timeout;
    private final boolean ipv6;
    private final boolean ipv4;

    /**
     * @param server  the DNS server
     * @param timeout how long to wait for each answer
     * @param ipv6    whether to query AAAA records as well as A records
     */
    public DnsServerLookup(InetSocketAddress server, Duration timeout, boolean ipv6) {
        this(server, timeout, true, ipv6);
    }

    private DnsServerLookup(InetSocketAddress server, Duration timeout, boolean ipv4, boolean ipv6) {
        this.server = Objects.requireNonNull(server, "server");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    /**
     * The same server asked for {@code family}'s records only: {@code A} for IPv4, {@code AAAA} for IPv6, so that a
     * check over one IP version times the one query a client of that version sends.
     */
    public DnsServerLookup only(io.vpcanary.access.AddressFamily family) {
        boolean v6 = family == io.vpcanary.access.AddressFamily.IPV6;
        return new DnsServerLookup(server, timeout, !v6, v6);
    }

    /** The server this lookup asks. */
    public InetSocketAddress server() {
        return server;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        Name name;
        try {
            name = Name.fromString(hostname.endsWith(".") ? hostname : hostname + ".");
        } catch (TextParseException e) {
            throw unknown(hostname, "not a valid DNS name (" + e.getMessage() + ")", null);
        }
        List<InetAddress> out = new ArrayList<>();
        if (ipv4) {
            out.addAll(query(hostname, name, Type.A, true));
        }
        if (ipv6) {
            out.addAll(query(hostname, name, Type.AAAA, !ipv4));
        }
        if (out.isEmpty()) {
            throw unknown(hostname, "no " + (ipv4 ? ipv6 ? "address" : "A" : "AAAA")
                    + " records (NOERROR, no data)", null);
        }
        return List.copyOf(out);
    }

    private List<InetAddress> query(String hostname, Name name, int type, boolean failOnError)
            throws UnknownHostException {
        Name current = name;
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            Message response;
            try {
                response = resolver().send(Message.newQuery(org.xbill.DNS.Record.newRecord(current, type, DClass.IN)));
            } catch (IOException e) {
                if (!failOnError) {
                    return List.of();
                }
                throw unknown(hostname, "no answer for " + Type.string(type) + " within " + timeout.toMillis()
                        + " ms (" + e.getClass().getSimpleName() + ")", e);
            }
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR) {
                if (!failOnError) {
                    return List.of();
                }
                throw unknown(hostname, Rcode.string(rcode), null);
            }
            List<InetAddress> addresses = new ArrayList<>();
            Name target = current;
            for (org.xbill.DNS.Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof ARecord a) {
                    addresses.add(withName(hostname, a.getAddress()));
                } else if (r instanceof AAAARecord a) {
                    addresses.add(withName(hostname, a.getAddress()));
                } else if (r instanceof CNAMERecord c && c.getName().equals(target)) {
                    target = c.getTarget();
                }
            }
            if (!addresses.isEmpty() || target.equals(current)) {
                return addresses;
            }
            current = target;
        }
        if (!failOnError) {
            return List.of();
        }
        throw unknown(hostname, "more than " + MAX_CNAME_HOPS + " CNAME hops", null);
    }

    private SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(timeout);
        return r;
    }

    private static InetAddress withName(String hostname, InetAddress address) throws UnknownHostException {
        return InetAddress.getByAddress(hostname, address.getAddress());
    }

    private UnknownHostException unknown(String hostname, String reason, Throwable cause) {
        UnknownHostException e = new UnknownHostException(hostname + ": " + reason + " from DNS server "
                + server.getHostString() + ":" + server.getPort());
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Override
    public String toString() {
        return "DNS server " + server.getHostString() + ":" + server.getPort();
    }
}
