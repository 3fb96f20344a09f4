package io.vpcanary.lab.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A plain-socket DNS client for tests: real packets, no resolver library threads, bounded waits. */
final class DnsWire {

    static final int TIMEOUT_MS = 3000;

    private DnsWire() {
    }

    static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        } catch (IOException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** Sends one datagram and waits for one answer; null when none comes within the timeout. */
    static byte[] udpRaw(InetSocketAddress server, byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[65535];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(buf, in.getLength());
        }
    }

    static Message udp(InetSocketAddress server, Message query) throws IOException {
        byte[] answer = udpRaw(server, query.toWire());
        if (answer == null) {
            throw new IOException("no UDP answer from " + server + " within " + TIMEOUT_MS + " ms");
        }
        return new Message(answer);
    }

    /** One TCP connection, any number of length-framed exchanges. */
    static final class Tcp implements AutoCloseable {
        final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        Tcp(InetSocketAddress server) throws IOException {
            socket = new Socket();
            socket.connect(server, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
        }

        void send(byte[] message) throws IOException {
            out.writeShort(message.length);
            out.write(message);
            out.flush();
        }

        Message receive() throws IOException {
            int length = in.readUnsignedShort();
            byte[] b = new byte[length];
            in.readFully(b);
            return new Message(b);
        }

        Message exchange(Message query) throws IOException {
            send(query.toWire());
            return receive();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Message tcp(InetSocketAddress server, Message query) throws IOException {
        try (Tcp c = new Tcp(server)) {
            return c.exchange(query);
        }
    }

    static Set<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .collect(Collectors.toSet());
    }

    static List<Record> section(Message response, int section) {
        return response.getSection(section);
    }
}
