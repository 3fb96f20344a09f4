package io.vpcanary.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Garbage does not hurt the lab's DNS server: thousands of random and mutated datagrams and TCP frames, oversized
 * length prefixes, truncated headers and name-compression loops; afterwards every view still answers, and the
 * server's threads and the heap are back where they were. The seed is printed and named in every failure; rerun
 * with {@code -Dlab.dns.fuzz.seed=N}.
 */
class LabDnsFuzzTest {

    private static final int UDP_PACKETS = 4000;
    private static final int TCP_CONNECTIONS = 300;
    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final long HEAP_MARGIN = 32L << 20;

    private static Estate estate;
    private static LabDnsServer server;
    private static List<InetSocketAddress> resolvers;

    @BeforeAll
    static void start() throws IOException {
        estate = EstateLoader.demo();
        server = LabDnsServer.start(estate, LabAddressPlan.of(estate), 0);
        resolvers = List.copyOf(server.resolvers().values());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A header: id, flags (RD), the given question count, no other records. */
    private static ByteBuffer header(int id, int questions, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) questions).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        return b;
    }

    /** Question names that are compression traps: a pointer to itself, two pointers at each other, a forward pointer. */
    static List<byte[]> compressionTraps(int id) {
        List<byte[]> out = new ArrayList<>();
        out.add(header(id, 1, 18).put(new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1}).array());
        out.add(header(id, 1, 20).put(new byte[] {(byte) 0xC0, 14, (byte) 0xC0, 12, 0, 1, 0, 1}).array());
        out.add(header(id, 1, 22).put(new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0}).array());
        out.add(header(id, 1, 24).put(new byte[] {1, 'a', (byte) 0xC0, 20, 0, 1, 0, 1, 1, 'b', (byte) 0xC0, 12}).array());
        return out;
    }

    @Test
    void compressionLoopsAreFormatErrorsOverUdpAndTcp() throws IOException {
        InetSocketAddress at = resolvers.get(0);
        int id = 0x1234;
        for (byte[] trap : compressionTraps(id)) {
            byte[] udp = DnsWire.udpRaw(at, trap, DnsWire.TIMEOUT_MS);
            assertThat(udp).as("an answer to a compression trap").isNotNull();
            Message m = new Message(udp);
            assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
            assertThat(m.getHeader().getID()).isEqualTo(id);
            try (DnsWire.Tcp tcp = new DnsWire.Tcp(at)) {
                tcp.send(trap);
                Message t = tcp.receive();
                assertThat(t.getRcode()).isEqualTo(Rcode.FORMERR);
                Message after = tcp.exchange(DnsWire.query("unknown.example.com", Type.A));
                assertThat(after.getRcode()).as("the connection still answers").isEqualTo(Rcode.NXDOMAIN);
            }
        }
    }

    @Test
    void aBrokenQuestionWithTheTcFlagIsAFormatError() throws IOException {
        // Found by the fuzzer: with TC set, dnsjava parses a broken question section into no question at all.
        byte[] query = java.util.HexFormat.of().parseHex("4cdd060000010000000000000a6f7264727365617374312f6578656375"
                + "74652d6170690975732d656173742d3109616d617a6f6e61777303636f6d0000010008");
        Message m = new Message(DnsWire.udpRaw(resolvers.get(0), query, DnsWire.TIMEOUT_MS));
        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(m.getHeader().getID()).isEqualTo(0x4cdd);
    }

    @Test
    void truncatedHeadersGetNoAnswerAndOversizedOrHeaderlessTcpFramesCloseTheConnection() throws IOException {
        InetSocketAddress at = resolvers.get(1);
        assertThat(DnsWire.udpRaw(at, new byte[] {1, 2, 3, 4, 5}, 300)).isNull();
        assertThat(DnsWire.udpRaw(at, new byte[DnsResponder.MAX_QUERY + 100], 300)).as("oversized datagram").isNull();
        assertClosedAfter(at, new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0});
        assertClosedAfter(at, new byte[] {0x10, 0x01, 0, 0});
        assertClosedAfter(at, new byte[] {0, 5, 1, 2, 3, 4, 5});
        assertThat(DnsWire.udp(at, DnsWire.query("unknown.example.com", Type.A)).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    private static void assertClosedAfter(InetSocketAddress at, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, DnsWire.TIMEOUT_MS);
            s.setSoTimeout(DnsWire.TIMEOUT_MS);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            try {
                assertThat(in.read()).as("server closes the connection").isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open after " + bytes.length + " bytes", e);
            } catch (IOException reset) {
                // A reset is a close too.
            }
        }
    }

    @Test
    void thousandsOfRandomPacketsAndFramesLeaveTheServerAnsweringWithItsThreadsAndHeapBack() throws Exception {
        long seed = Long.getLong("lab.dns.fuzz.seed", System.nanoTime());
        System.out.println("LabDnsFuzzTest seed " + seed);
        try {
            fuzz(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("fuzzing with seed " + seed + " (rerun with -Dlab.dns.fuzz.seed=" + seed + "): "
                    + e.getMessage(), e);
        }
    }

    private void fuzz(long seed) throws Exception {
        for (InetSocketAddress at : resolvers) {
            assertAnswers(at);
        }
        int threads = ThreadCounter.snapshot().count();
        long heap = usedHeapAfterGc();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        byte[] valid = DnsWire.query("invtryeast.execute-api.us-east-1.amazonaws.com", Type.A).toWire();

        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(1000);
            for (int i = 0; i < UDP_PACKETS && System.nanoTime() < deadline; i++) {
                byte[] packet = garbage(random, valid);
                InetSocketAddress at = resolvers.get(random.nextInt(resolvers.size()));
                socket.send(new DatagramPacket(packet, packet.length, at));
                sent++;
                if (i % 500 == 499) {
                    awaitValidAnswerAmidGarbage(socket, at, i);
                }
            }
        }
        int connections = 0;
        for (int i = 0; i < TCP_CONNECTIONS && System.nanoTime() < deadline; i++) {
            InetSocketAddress at = resolvers.get(random.nextInt(resolvers.size()));
            try (Socket s = new Socket()) {
                s.connect(at, DnsWire.TIMEOUT_MS);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                int frames = 1 + random.nextInt(4);
                for (int f = 0; f < frames; f++) {
                    byte[] body = garbage(random, valid);
                    switch (random.nextInt(4)) {
                        case 0 -> out.writeShort(random.nextInt(65536)); // a length the body does not match
                        case 1 -> out.writeShort(0xFFFF); // oversized
                        default -> out.writeShort(body.length);
                    }
                    out.write(body);
                }
                out.flush();
            } catch (IOException closedByServer) {
                // The server may close before the client is done writing: that is its right.
            }
            connections++;
        }
        assertThat(sent).as("datagrams sent").isGreaterThan(1000);
        assertThat(connections).as("connections made").isGreaterThan(100);

        for (InetSocketAddress at : resolvers) {
            assertAnswers(at);
        }
        ThreadCounter.awaitAtMost(threads, Duration.ofSeconds(15));
        awaitHeapAtMost(heap + HEAP_MARGIN, Duration.ofSeconds(15));
    }

    /**
     * Sends a valid query from the fuzzing socket and skips the answers to garbage until its own answer comes. UDP
     * may drop a datagram when the flood fills a socket buffer, so the query is sent up to five times.
     */
    private static void awaitValidAnswerAmidGarbage(DatagramSocket socket, InetSocketAddress at, int round)
            throws IOException {
        Message query = DnsWire.query("unknown.example.com", Type.A);
        query.getHeader().setID(0xBEEF ^ round);
        byte[] q = query.toWire();
        byte[] buf = new byte[65535];
        for (int attempt = 0; attempt < 5; attempt++) {
            socket.send(new DatagramPacket(q, q.length, at));
            try {
                for (int skipped = 0; skipped < 10_000; skipped++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    int id = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
                    if (p.getLength() > 12 && id == query.getHeader().getID() && p.getSocketAddress().equals(at)) {
                        Message answer = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                        if (answer.getRcode() == Rcode.NXDOMAIN && answer.getQuestion() != null) {
                            return;
                        }
                    }
                }
            } catch (SocketTimeoutException lost) {
                // the query or its answer was dropped: ask again
            }
        }
        throw new AssertionError("no answer to a valid query amid garbage at " + at + " after 5 attempts");
    }

    @Test
    void theResponderAnswersEveryHeaderAndNeverThrows() {
        long seed = Long.getLong("lab.dns.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        DnsResponder responder = DnsResponder.of(LabDnsViews.of(estate, LabAddressPlan.of(estate)));
        byte[] valid = DnsWire.query("ordrseast1.execute-api.us-east-1.amazonaws.com", Type.A).toWire();
        int answered = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] query = garbage(random, valid);
            byte[] response;
            try {
                response = responder.respond("canary-east", query, random.nextBoolean());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", input " + java.util.HexFormat.of().formatHex(query), e);
            }
            boolean deservesAnswer = query.length >= 12 && query.length <= DnsResponder.MAX_QUERY && (query[2] & 0x80) == 0;
            assertThat(response != null).as("seed %d, answered %s", seed, java.util.HexFormat.of().formatHex(query))
                    .isEqualTo(deservesAnswer);
            if (response != null) {
                assertThat(response[0]).isEqualTo(query[0]);
                assertThat(response[1]).isEqualTo(query[1]);
                assertThat(response[2] & 0x80).as("QR").isEqualTo(0x80);
                answered++;
            }
        }
        assertThat(answered).isGreaterThan(5_000);
    }

    /** Random bytes, a mutated valid query, a valid header with a random body, or a compression trap. */
    private static byte[] garbage(Random random, byte[] valid) {
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] b = new byte[random.nextInt(600)];
                random.nextBytes(b);
                return b;
            }
            case 1 -> {
                byte[] b = valid.clone();
                for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 2 -> {
                return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            }
            case 3 -> {
                byte[] body = new byte[random.nextInt(300)];
                random.nextBytes(body);
                return header(random.nextInt(65536), random.nextInt(4), 12 + body.length).put(body).array();
            }
            case 4 -> {
                List<byte[]> traps = compressionTraps(random.nextInt(65536));
                return traps.get(random.nextInt(traps.size()));
            }
            default -> {
                byte[] b = new byte[DnsResponder.MAX_QUERY + 1 + random.nextInt(2000)];
                random.nextBytes(b);
                return b;
            }
        }
    }

    private static void assertAnswers(InetSocketAddress at) throws IOException {
        Message query = DnsWire.query("vpce-0e2b00000000000b2-p7m4t8cd.execute-api.us-east-1.vpce.amazonaws.com", Type.A);
        assertThat(DnsWire.addresses(DnsWire.udp(at, query))).as("UDP %s", at).containsExactly("127.0.1.20");
        assertThat(DnsWire.addresses(DnsWire.tcp(at, query))).as("TCP %s", at).containsExactly("127.0.1.20");
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void awaitHeapAtMost(long limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = new Object();
        long used;
        while ((used = usedHeapAfterGc()) > limit) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("heap used " + (used >> 20) + " MB after GC, above the limit of "
                        + (limit >> 20) + " MB after " + timeout);
            }
            synchronized (monitor) {
                monitor.wait(100);
            }
        }
    }
}
