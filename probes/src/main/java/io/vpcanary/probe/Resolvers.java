package io.vpcanary.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Dns;

/**
 * Which resolver a client at each vantage point uses. A vantage point is a VPC name or {@code on-premises} (see
 * {@link io.vpcanary.access.Target#vantage()}); in the lab each has its own DNS server (a resolver view), on AWS a
 * probe usually runs in one place and uses the system resolver.
 *
 * <p>Each vantage maps to either the system resolver ({@link Dns#SYSTEM}) or a {@link DnsServerLookup} asking one
 * DNS server. A vantage without its own entry uses the default, when one is set; otherwise
 * {@link #forVantage(String)} fails with a message naming the known vantages. Immutable and thread-safe.
 */
public final class Resolvers {

    /** Default time to wait for a DNS answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Dns> byVantage;
    private final Dns fallback;

    private Resolvers(Builder b) {
        this.byVantage = Map.copyOf(b.byVantage);
        this.fallback = b.fallback;
    }

    /** Every vantage uses the system resolver. */
    public static Resolvers system() {
        return builder().defaultSystem().build();
    }

    /** Every vantage asks the DNS server at {@code server}. */
    public static Resolvers server(InetSocketAddress server) {
        return builder().defaultServer(server).build();
    }

    /**
     * The resolvers of a running lab: each view name to its DNS server, as {@code host:port} strings (the
     * {@code resolvers} of {@link io.vpcanary.labenv.LabEnvironment}). No default: a vantage the lab has no view for
     * is an error.
     *
     * @throws IllegalArgumentException when an address is not {@code host:port}
     */
    public static Resolvers ofViews(Map<String, String> views) {
        Builder b = builder();
        views.forEach((view, address) -> b.view(view, parseHostPort(address)));
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The resolver a client at {@code vantage} uses.
     *
     * @throws IllegalArgumentException when {@code vantage} is unknown and there is no default
     */
    public Dns forVantage(String vantage) {
        Dns dns = byVantage.get(vantage);
        if (dns != null) {
            return dns;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new IllegalArgumentException("no resolver for vantage point '" + vantage + "'; known: "
                + new java.util.TreeSet<>(byVantage.keySet()));
    }

    /**
     * The resolver a client at {@code vantage} uses for connections over {@code family} (null: any): a DNS server is
     * asked for that family's records only, the system resolver's answer is filtered to it.
     *
     * @throws IllegalArgumentException when {@code vantage} is unknown and there is no default
     */
    public Dns forVantage(String vantage, io.vpcanary.access.AddressFamily family) {
        Dns dns = forVantage(vantage);
        if (family == null) {
            return dns;
        }
        if (dns instanceof DnsServerLookup lookup) {
            return lookup.only(family);
        }
        return new Dns() {
            @Override
            public java.util.List<java.net.InetAddress> lookup(String hostname) throws java.net.UnknownHostException {
                java.util.List<java.net.InetAddress> all = dns.lookup(hostname);
                java.util.List<java.net.InetAddress> out = all.stream().filter(family::includes).toList();
                if (out.isEmpty()) {
                    throw new java.net.UnknownHostException(hostname + ": no " + family.label() + " address from "
                            + dns);
                }
                return out;
            }

            @Override
            public String toString() {
                return dns + " (" + family.label() + ")";
            }
        };
    }

    /** Whether {@link #forVantage(String)} answers for {@code vantage}. */
    public boolean knows(String vantage) {
        return fallback != null || byVantage.containsKey(vantage);
    }

    /** Vantage points with their own entry. */
    public Set<String> vantages() {
        return byVantage.keySet();
    }

    /** A short description of the resolver of {@code vantage}, for messages: "system resolver" or "DNS server h:p". */
    public String describe(String vantage) {
        Dns dns = knows(vantage) ? forVantage(vantage) : null;
        if (dns == null) {
            return "no resolver";
        }
        return dns == Dns.SYSTEM ? "system resolver" : dns.toString();
    }

    /**
     * Parses {@code host:port} (IPv6 as {@code [::1]:53}) without resolving names through DNS when {@code host} is
     * an address literal.
     *
     * @throws IllegalArgumentException when it is not {@code host:port} with a port in 1..65535
     */
    public static InetSocketAddress parseHostPort(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' is not host:port (bad port)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + hostPort + "': port out of range 1..65535");
        }
        return new InetSocketAddress(host, port);
    }

    /** Builds {@link Resolvers}. Later calls for the same vantage replace earlier ones. */
    public static final class Builder {
        private final Map<String, Dns> byVantage = new LinkedHashMap<>();
        private Dns fallback;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean ipv6;

        private Builder() {
        }

        /** Time to wait for each DNS answer from servers added after this call. Default 5 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Whether servers added after this call are also asked for AAAA records. Default false. */
        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        /** Clients at {@code vantage} ask the DNS server at {@code server}. */
        public Builder view(String vantage, InetSocketAddress server) {
            byVantage.put(Objects.requireNonNull(vantage, "vantage"), new DnsServerLookup(server, timeout, ipv6));
            return this;
        }

        /** Clients at {@code vantage} use {@code dns}. */
        public Builder view(String vantage, Dns dns) {
            byVantage.put(Objects.requireNonNull(vantage, "vantage"), Objects.requireNonNull(dns, "dns"));
            return this;
        }

        /** Vantages without their own entry use the system resolver. */
        public Builder defaultSystem() {
            this.fallback = Dns.SYSTEM;
            return this;
        }

        /** Vantages without their own entry ask the DNS server at {@code server}. */
        public Builder defaultServer(InetSocketAddress server) {
            this.fallback = new DnsServerLookup(server, timeout, ipv6);
            return this;
        }

        public Resolvers build() {
            return new Resolvers(this);
        }
    }
}
