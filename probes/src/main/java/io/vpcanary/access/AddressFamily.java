package io.vpcanary.access;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The IP version a check's connection uses. A name with both A and AAAA records (a dual-stack API, domain or VPC
 * endpoint) is checked once over each, and the two outcomes are reported apart; a name with one kind is checked over
 * that one.
 */
public enum AddressFamily {
    IPV4("IPv4", Inet4Address.class),
    IPV6("IPv6", Inet6Address.class);

    private final String label;
    private final Class<? extends InetAddress> type;

    AddressFamily(String label, Class<? extends InetAddress> type) {
        this.label = label;
        this.type = type;
    }

    /** {@code IPv4} or {@code IPv6}: in reports, target ids and the {@code IpFamily} metric dimension. */
    public String label() {
        return label;
    }

    /** Whether {@code address} is of this family. */
    public boolean includes(InetAddress address) {
        return type.isInstance(address);
    }
}
