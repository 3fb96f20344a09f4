package io.vpcanary.lab.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import io.vpcanary.lab.LabView;
import io.vpcanary.lab.faults.LabFaults;
import io.vpcanary.lab.route53.LabRouting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Turns the bytes of one DNS query into the bytes of its response, or into nothing when the bytes do not deserve one.
 * Transport-free and thread-safe.
 *
 * <ul>
 *   <li>Fewer than 12 bytes (no header), or a message with the QR bit set (a response): no answer.</li>
 *   <li>A header followed by bytes that do not parse (including name-compression loops and forward pointers): FORMERR,
 *       header only.</li>
 *   <li>An opcode other than QUERY: NOTIMP. Not exactly one question: FORMERR. EDNS version above 0: BADVERS.
 *       A class other than IN or ANY, or a zone transfer: REFUSED.</li>
 *   <li>Otherwise the answer of {@link Answers}: A records with TTL {@value #TTL} for type A, AAAA records for type
 *       AAAA (the IPv6 addresses of the answer), both for ANY; for any other type, or a type the name has no records
 *       of, an empty NOERROR; NXDOMAIN for a name that does not exist; both negative answers carry the
 *       SOA of {@link Answers#zoneOf} in the authority section. Flags QR, AA and RA are set, RD and CD echoed.
 *       Should {@link Answers} fail, SERVFAIL.</li>
 * </ul>
 * Over UDP the response fits in 512 bytes, or in the requester's EDNS payload size up to {@value #EDNS_PAYLOAD}; a
 * response that does not fit is truncated and carries the TC bit, so the client retries over TCP.
 */
final class DnsResponder {

    /** TTL of every record the lab serves. */
    static final int TTL = 60;
    /** The UDP payload size the lab advertises and the most it sends over UDP. */
    static final int EDNS_PAYLOAD = 1232;
    /** The largest query the lab accepts, over either transport. */
    static final int MAX_QUERY = 4096;
    private static final int PLAIN_UDP = 512;
    private static final int MAX_TCP = 65535;
    private static final Name NS = Name.fromConstantString("ns.lab.vpcanary.invalid.");
    private static final Name HOSTMASTER = Name.fromConstantString("hostmaster.lab.vpcanary.invalid.");

    /** The DNS semantics a responder serves. {@link LabDnsViews} is the real one. */
    interface Answers {
        /** See {@link LabDnsViews#answer}. */
        Optional<List<InetAddress>> answer(String view, String name);

        /** See {@link LabDnsViews#zoneOf}. */
        String zoneOf(String name);

        /** The TTL of the A records of {@code name}. */
        default long ttl(String name) {
            return TTL;
        }
    }

    private final Answers answers;

    DnsResponder(Answers answers) {
        this.answers = answers;
    }

    static DnsResponder of(LabDnsViews views) {
        return of(views, null, null, null);
    }

    /**
     * The views of {@code views}, with the routing domains of {@code routing} (answered by Route 53's selection, with
     * the domain's TTL) and SERVFAIL where {@code faults} say so; either may be null.
     */
    static DnsResponder of(LabDnsViews views, Map<String, LabView> viewsByName, LabRouting routing, LabFaults faults) {
        return new DnsResponder(new Answers() {
            @Override
            public Optional<List<InetAddress>> answer(String view, String name) {
                String n = LabDnsViews.normalize(name);
                if (faults != null && faults.servfail(n)) {
                    throw new IllegalStateException("DNS_SERVFAIL fault");
                }
                if (routing != null && routing.serves(n)) {
                    views.answer(view, n); // an unknown view fails as for any other name
                    return routing.answer(viewsByName.get(view), n);
                }
                return views.answer(view, name);
            }

            @Override
            public String zoneOf(String name) {
                String n = LabDnsViews.normalize(name);
                return routing != null && routing.serves(n) ? n : views.zoneOf(name);
            }

            @Override
            public long ttl(String name) {
                String n = LabDnsViews.normalize(name);
                return routing != null && routing.serves(n) ? routing.ttl(n) : TTL;
            }
        });
    }

    /**
     * The response to {@code query} received by the resolver of {@code view}.
     *
     * @param tcp whether the query came over TCP (no truncation below 65535 bytes)
     * @return the response bytes, or null when the query gets no response
     */
    byte[] respond(String view, byte[] query, boolean tcp) {
        if (query.length < Header.LENGTH || query.length > MAX_QUERY) {
            return null;
        }
        Header header;
        try {
            header = new Header(query);
        } catch (IOException e) {
            return null;
        }
        if (header.getFlag(Flags.QR)) {
            return null;
        }
        Message request;
        try {
            request = new Message(query);
        } catch (IOException | RuntimeException e) {
            return headerOnly(header, Rcode.FORMERR);
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return headerOnly(header, Rcode.NOTIMP);
        }
        // Not the header's count: with TC set, dnsjava keeps what parsed of a broken section and drops the rest.
        if (header.getCount(Section.QUESTION) != 1 || request.getSection(Section.QUESTION).size() != 1) {
            return headerOnly(header, Rcode.FORMERR);
        }
        Record question = request.getQuestion();
        OPTRecord opt = request.getOPT();
        int limit = tcp ? MAX_TCP
                : opt == null ? PLAIN_UDP : Math.min(EDNS_PAYLOAD, Math.max(PLAIN_UDP, opt.getPayloadSize()));
        Message response = new Message(header.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        copyFlag(header, h, Flags.RD);
        copyFlag(header, h, Flags.CD);
        response.addRecord(question, Section.QUESTION);
        if (opt != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, opt.getVersion() > 0 ? Rcode.BADVERS >> 4 : 0, 0, 0),
                    Section.ADDITIONAL);
            if (opt.getVersion() > 0) {
                return response.toWire(limit);
            }
        }
        int type = question.getType();
        int dclass = question.getDClass();
        if ((dclass != DClass.IN && dclass != DClass.ANY) || type == Type.AXFR || type == Type.IXFR) {
            h.setRcode(Rcode.REFUSED);
            return response.toWire(limit);
        }
        h.setFlag(Flags.AA);
        Name name = question.getName();
        String text = name.toString(true);
        Optional<List<InetAddress>> found;
        String zone;
        try {
            found = answers.answer(view, text);
            zone = answers.zoneOf(text);
        } catch (RuntimeException e) {
            h.unsetFlag(Flags.AA);
            h.setRcode(Rcode.SERVFAIL);
            return response.toWire(limit);
        }
        List<Record> records = new java.util.ArrayList<>();
        if (found.isPresent()) {
            long ttl = answers.ttl(text);
            for (InetAddress a : found.get()) {
                if (a instanceof Inet4Address && (type == Type.A || type == Type.ANY)) {
                    records.add(new ARecord(name, DClass.IN, ttl, a));
                } else if (a instanceof Inet6Address && (type == Type.AAAA || type == Type.ANY)) {
                    records.add(new AAAARecord(name, DClass.IN, ttl, a));
                }
            }
        }
        if (!records.isEmpty()) {
            records.forEach(r -> response.addRecord(r, Section.ANSWER));
        } else {
            if (found.isEmpty()) {
                h.setRcode(Rcode.NXDOMAIN);
            }
            response.addRecord(soa(zone), Section.AUTHORITY);
        }
        return response.toWire(limit);
    }

    private static SOARecord soa(String zone) {
        Name owner;
        try {
            owner = zone.isEmpty() ? Name.root : Name.fromString(zone, Name.root);
        } catch (TextParseException e) {
            owner = Name.root;
        }
        return new SOARecord(owner, DClass.IN, TTL, NS, HOSTMASTER, 1, 3600, 600, 86400, TTL);
    }

    private static void copyFlag(Header from, Header to, int flag) {
        if (from.getFlag(flag)) {
            to.setFlag(flag);
        }
    }

    /** A response with the query's id, opcode and RD flag, the given rcode and no records. */
    private static byte[] headerOnly(Header query, int rcode) {
        Header h = new Header(query.getID());
        h.setOpcode(query.getOpcode());
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        copyFlag(query, h, Flags.RD);
        h.setRcode(rcode);
        return h.toWire();
    }
}
