package io.vpcanary.probe;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS responder for tests: real DNS packets (dnsjava {@link Message}) over UDP and TCP on
 * 127.0.0.1, on one ephemeral port. Names it does not know get NXDOMAIN; a known name answers its IPv4 addresses to
 * A queries and its IPv6 addresses to AAAA queries (an empty NOERROR when it has none of that kind). A name can be made to answer only over TCP (truncated over UDP), to answer with a CNAME, or to
 * never answer. Garbage packets are ignored.
 */
public final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, List<InetAddress>> a = new ConcurrentHashMap<>();
    private final Map<Name, Name> cnames = new ConcurrentHashMap<>();
    private final Set<Name> truncated = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofPlatform().daemon().name("test-dns-udp").start(this::serveUdp);
        Thread.ofPlatform().daemon().name("test-dns-tcp").start(this::serveTcp);
    }

    /** Binds UDP on an ephemeral port of 127.0.0.1 and TCP on the same port (a few attempts if that one is taken). */
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, loopback);
                return new TestDnsServer(udp, tcp);
            } catch (IOException e) {
                udp.close();
                last = e;
            }
        }
        throw last;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", udp.getLocalPort());
    }

    public TestDnsServer a(String name, String... addresses) throws IOException {
        InetAddress[] list = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            list[i] = InetAddress.getByName(addresses[i]);
        }
        a.put(name(name), List.of(list));
        return this;
    }

    public TestDnsServer cname(String name, String target) throws IOException {
        cnames.put(name(name), name(target));
        return this;
    }

    /** Over UDP, answers for {@code name} come back empty with the TC flag set; TCP answers fully. */
    public TestDnsServer truncateOverUdp(String name) throws IOException {
        truncated.add(name(name));
        return this;
    }

    /** Queries for {@code name} are never answered. */
    public TestDnsServer silent(String name) throws IOException {
        silent.add(name(name));
        return this;
    }

    public int udpQueries() {
        return udpQueries.get();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    private static Name name(String s) throws IOException {
        return Name.fromString(s.endsWith(".") ? s : s + ".");
    }

    private void serveUdp() {
        byte[] buf = new byte[1500];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(packet);
                udpQueries.incrementAndGet();
                byte[] copy = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] answer = answer(copy, true);
                if (answer != null) {
                    udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                // A bad packet: keep serving.
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(5_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                while (true) {
                    int len;
                    try {
                        len = in.readUnsignedShort();
                    } catch (EOFException e) {
                        break;
                    }
                    byte[] query = in.readNBytes(len);
                    tcpQueries.incrementAndGet();
                    byte[] answer = answer(query, false);
                    if (answer == null) {
                        break;
                    }
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
            } catch (SocketException e) {
                if (tcp.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                // A bad connection: keep serving.
            }
        }
    }

    /** The wire answer to {@code query}, or null to stay silent. */
    private byte[] answer(byte[] query, boolean overUdp) {
        Message q;
        try {
            q = new Message(query);
        } catch (IOException e) {
            return null;
        }
        var question = q.getQuestion();
        if (question == null) {
            return null;
        }
        Name qname = question.getName();
        if (silent.contains(qname)) {
            return null;
        }
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        if (overUdp && truncated.contains(qname)) {
            r.getHeader().setFlag(Flags.TC);
            return r.toWire();
        }
        Name cname = cnames.get(qname);
        if (cname != null) {
            r.addRecord(new CNAMERecord(qname, DClass.IN, 0, cname), Section.ANSWER);
        } else if (a.containsKey(qname)) {
            for (InetAddress addr : a.get(qname)) {
                if (question.getType() == Type.A && addr instanceof java.net.Inet4Address) {
                    r.addRecord(new ARecord(qname, DClass.IN, 0, addr), Section.ANSWER);
                } else if (question.getType() == Type.AAAA && addr instanceof java.net.Inet6Address) {
                    r.addRecord(new org.xbill.DNS.AAAARecord(qname, DClass.IN, 0, addr), Section.ANSWER);
                }
            }
        } else {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        return r.toWire();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
