package io.vpcanary.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The wire behaviour of the lab's DNS server, with real packets over UDP and TCP. */
class LabDnsServerTest {

    private static final String REGIONAL = "invtryeast.execute-api.us-east-1.amazonaws.com";
    private static Estate estate;
    private static LabAddressPlan plan;
    private static LabDnsServer server;
    private static InetSocketAddress onPremises;

    @BeforeAll
    static void start() throws IOException {
        estate = EstateLoader.demo();
        plan = LabAddressPlan.of(estate);
        server = LabDnsServer.start(estate, plan, 0);
        onPremises = server.resolvers().get("on-premises");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Message ask(boolean tcp, Message query) throws IOException {
        return tcp ? DnsWire.tcp(onPremises, query) : DnsWire.udp(onPremises, query);
    }

    @Test
    void everyViewListensOnItsPlannedAddressAtOnePort() {
        assertThat(server.port()).isPositive();
        assertThat(server.resolvers()).containsOnlyKeys("canary-east", "partner-east", "canary-west", "on-premises");
        plan.views().forEach((name, view) ->
                assertThat(server.resolvers().get(name)).isEqualTo(new InetSocketAddress(view.resolver(), server.port())));
    }

    @Test
    void anAnswerHasTtl60TheQuestionAndTheFlags() throws IOException {
        for (boolean tcp : new boolean[] {false, true}) {
            Message query = DnsWire.query(REGIONAL, Type.A);
            Message r = ask(tcp, query);
            assertThat(r.getHeader().getID()).isEqualTo(query.getHeader().getID());
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(r.getQuestion()).isEqualTo(query.getQuestion());
            for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RA, Flags.RD}) {
                assertThat(r.getHeader().getFlag(flag)).as("flag %s, tcp %s", Flags.string(flag), tcp).isTrue();
            }
            assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
            List<Record> answers = r.getSection(Section.ANSWER);
            assertThat(answers).singleElement().isInstanceOf(ARecord.class);
            assertThat(answers.get(0).getTTL()).isEqualTo(60);
            assertThat(((ARecord) answers.get(0)).getAddress().getHostAddress()).isEqualTo("127.0.1.1");
        }
    }

    @Test
    void aaaaAndOtherTypesOfAnExistingNameAreEmptyNoerrorWithAnSoa() throws IOException {
        for (boolean tcp : new boolean[] {false, true}) {
            for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT}) {
                Message r = ask(tcp, DnsWire.query(REGIONAL, type));
                assertThat(r.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
                assertThat(r.getSection(Section.ANSWER)).isEmpty();
                assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOfSatisfying(SOARecord.class, soa -> {
                    assertThat(soa.getName().toString()).isEqualTo("execute-api.us-east-1.amazonaws.com.");
                    assertThat(soa.getMinimum()).isEqualTo(60);
                    assertThat(soa.getTTL()).isEqualTo(60);
                });
            }
        }
    }

    @Test
    void aMissingNameIsNxdomainWithTheSoaOfItsZone() throws IOException {
        Message r = ask(false, DnsWire.query("ordrseast1.execute-api.us-east-1.amazonaws.com", Type.AAAA));
        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        Message elsewhere = ask(true, DnsWire.query("nothing.example.org", Type.A));
        assertThat(elsewhere.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(elsewhere.getSection(Section.AUTHORITY).get(0).getName()).isEqualTo(Name.root);
    }

    @Test
    void namesAreCaseInsensitiveAndTheAnswerKeepsTheQuestionsCase() throws IOException {
        String mixed = "InvTryEast.Execute-API.us-EAST-1.AmazonAWS.com.";
        for (boolean tcp : new boolean[] {false, true}) {
            Message r = ask(tcp, DnsWire.query(mixed, Type.A));
            assertThat(DnsWire.addresses(r)).containsExactly("127.0.1.1");
            assertThat(r.getQuestion().getName().toString()).isEqualTo(mixed);
            assertThat(r.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo(mixed);
        }
    }

    @Test
    void anyIsAnsweredLikeA() throws IOException {
        Message r = ask(false, DnsWire.query("vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com", Type.ANY));
        assertThat(DnsWire.addresses(r)).containsExactlyInAnyOrder("127.0.1.16", "127.0.1.17");
    }

    @Test
    void tcpAnswersSeveralQueriesOnOneConnectionInOrder() throws IOException {
        Message first = DnsWire.query(REGIONAL, Type.A);
        Message second = DnsWire.query("ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com", Type.A);
        Message third = DnsWire.query("unknown.example.com", Type.A);
        try (DnsWire.Tcp c = new DnsWire.Tcp(onPremises)) {
            c.send(first.toWire());
            c.send(second.toWire());
            Message a = c.receive();
            Message b = c.receive();
            assertThat(a.getHeader().getID()).isEqualTo(first.getHeader().getID());
            assertThat(DnsWire.addresses(a)).containsExactly("127.0.1.1");
            assertThat(b.getHeader().getID()).isEqualTo(second.getHeader().getID());
            assertThat(DnsWire.addresses(b)).containsExactlyInAnyOrder("127.0.1.16", "127.0.1.17");
            Message c3 = c.exchange(third);
            assertThat(c3.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    void otherOpcodesAreNotImplemented() throws IOException {
        for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE}) {
            Message query = DnsWire.query(REGIONAL, Type.A);
            query.getHeader().setOpcode(opcode);
            Message r = ask(opcode % 2 == 0, query);
            assertThat(r.getRcode()).as(Opcode.string(opcode)).isEqualTo(Rcode.NOTIMP);
            assertThat(r.getHeader().getID()).isEqualTo(query.getHeader().getID());
            assertThat(r.getHeader().getOpcode()).isEqualTo(opcode);
            assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        }
    }

    @Test
    void otherClassesAndZoneTransfersAreRefused() throws IOException {
        Message chaos = Message.newQuery(Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH));
        assertThat(ask(false, chaos).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask(true, DnsWire.query("execute-api.us-east-1.amazonaws.com", Type.AXFR)).getRcode())
                .isEqualTo(Rcode.REFUSED);
    }

    @Test
    void notExactlyOneQuestionIsAFormatError() throws IOException {
        Message two = DnsWire.query(REGIONAL, Type.A);
        two.addRecord(Record.newRecord(Name.fromConstantString("unknown.example.com."), Type.A, DClass.IN), Section.QUESTION);
        Message r = ask(false, two);
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getHeader().getID()).isEqualTo(two.getHeader().getID());
        Message none = new Message();
        assertThat(ask(true, none).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void ednsIsAnsweredWithItsPayloadSizeAndUnknownVersionsWithBadvers() throws IOException {
        Message query = DnsWire.query(REGIONAL, Type.A);
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message r = ask(false, query);
        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(DnsWire.addresses(r)).containsExactly("127.0.1.1");
        Message v1 = DnsWire.query(REGIONAL, Type.A);
        v1.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        Message bad = ask(false, v1);
        assertThat(bad.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(bad.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void responsesAreNotAnswered() throws IOException {
        Message response = DnsWire.query(REGIONAL, Type.A);
        response.getHeader().setFlag(Flags.QR);
        assertThat(DnsWire.udpRaw(onPremises, response.toWire(), 300)).isNull();
        assertThat(DnsWire.addresses(ask(false, DnsWire.query(REGIONAL, Type.A)))).containsExactly("127.0.1.1");
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        Map<String, List<InetAddress>> names = Map.of("fifty.example.com", addresses(50), "many.example.com", addresses(120));
        DnsResponder responder = new DnsResponder(new DnsResponder.Answers() {
            @Override
            public Optional<List<InetAddress>> answer(String view, String name) {
                return Optional.ofNullable(names.get(name.toLowerCase(java.util.Locale.ROOT)));
            }

            @Override
            public String zoneOf(String name) {
                return "example.com";
            }
        });
        try (LabDnsServer big = LabDnsServer.start(Map.of("only", InetAddress.getByName("127.0.0.1")), responder, 0)) {
            InetSocketAddress at = big.resolvers().get("only");
            // 50 A records (about 850 bytes): over 512 without EDNS, within the 1232 the lab sends with EDNS.
            Message plain = udpExchange(at, DnsWire.query("fifty.example.com", Type.A), 512);
            assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
            assertThat(plain.getSection(Section.ANSWER).size()).isLessThan(50);
            Message fifty = udpExchange(at, withEdns(DnsWire.query("fifty.example.com", Type.A), 4096), 1232);
            assertThat(fifty.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(DnsWire.addresses(fifty)).hasSize(50);
            Message small = udpExchange(at, withEdns(DnsWire.query("fifty.example.com", Type.A), 100), 512);
            assertThat(small.getHeader().getFlag(Flags.TC)).as("a payload under 512 counts as 512").isTrue();

            // 120 A records (about 2 KB) never fit in UDP; TCP carries them whole.
            Message many = udpExchange(at, withEdns(DnsWire.query("many.example.com", Type.A), 65000), 1232);
            assertThat(many.getHeader().getFlag(Flags.TC)).isTrue();
            assertThat(many.getSection(Section.ANSWER).size()).isLessThan(120);
            Message whole = DnsWire.tcp(at, DnsWire.query("many.example.com", Type.A));
            assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(DnsWire.addresses(whole)).hasSize(120);
        }
    }

    private static List<InetAddress> addresses(int n) throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(InetAddress.getByAddress(new byte[] {127, 9, 0, (byte) i}));
        }
        return out;
    }

    private static Message withEdns(Message query, int payload) {
        query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        return query;
    }

    private static Message udpExchange(InetSocketAddress at, Message query, int maxBytes) throws IOException {
        byte[] bytes = DnsWire.udpRaw(at, query.toWire(), DnsWire.TIMEOUT_MS);
        assertThat(bytes).as("an answer").isNotNull();
        assertThat(bytes.length).isLessThanOrEqualTo(maxBytes);
        Message m = new Message(bytes);
        assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
        return m;
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        try (LabDnsServer limited = onPremisesOnly(new LabDnsServer.Limits(Duration.ofMillis(300), 16))) {
            InetSocketAddress at = limited.resolvers().get("on-premises");
            try (DnsWire.Tcp c = new DnsWire.Tcp(at)) {
                assertThat(DnsWire.addresses(c.exchange(DnsWire.query(REGIONAL, Type.A)))).containsExactly("127.0.1.1");
                long start = System.nanoTime();
                assertThat(c.socket.getInputStream().read()).as("an idle connection is closed").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(DnsWire.TIMEOUT_MS));
            }
        }
    }

    @Test
    void connectionsOverTheLimitAreClosedAndClosedOnesFreeTheirPlace() throws Exception {
        try (LabDnsServer limited = onPremisesOnly(new LabDnsServer.Limits(Duration.ofSeconds(30), 2))) {
            InetSocketAddress at = limited.resolvers().get("on-premises");
            int answered = 0;
            int refused = 0;
            try (DnsWire.Tcp a = new DnsWire.Tcp(at); DnsWire.Tcp b = new DnsWire.Tcp(at); DnsWire.Tcp c = new DnsWire.Tcp(at)) {
                for (DnsWire.Tcp conn : List.of(a, b, c)) {
                    try {
                        assertThat(DnsWire.addresses(conn.exchange(DnsWire.query(REGIONAL, Type.A)))).containsExactly("127.0.1.1");
                        answered++;
                    } catch (java.io.EOFException | java.net.SocketException closed) {
                        refused++;
                    }
                }
            }
            assertThat(answered).isEqualTo(2);
            assertThat(refused).isEqualTo(1);
            // The server sees the closes asynchronously: until it has, a new connection may still be over the limit.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                try (DnsWire.Tcp later = new DnsWire.Tcp(at)) {
                    assertThat(DnsWire.addresses(later.exchange(DnsWire.query(REGIONAL, Type.A)))).containsExactly("127.0.1.1");
                    return;
                } catch (java.io.EOFException | java.net.SocketException stillFull) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("closed connections did not free their place within 5 s", stillFull);
                    }
                }
            }
        }
    }

    private static LabDnsServer onPremisesOnly(LabDnsServer.Limits limits) throws IOException {
        return LabDnsServer.start(Map.of("on-premises", plan.view("on-premises").resolver()),
                DnsResponder.of(LabDnsViews.of(estate, plan)), 0, limits);
    }

    @Test
    void anEphemeralPortTakenOnAnotherAddressIsReplacedByAFreshOne() throws IOException {
        Map<String, InetAddress> two = new java.util.LinkedHashMap<>();
        two.put("canary-east", InetAddress.getByName("127.0.5.1"));
        two.put("on-premises", InetAddress.getByName("127.0.5.2"));
        DnsResponder responder = DnsResponder.of(LabDnsViews.of(estate, plan));
        try (java.net.DatagramSocket squatter = new java.net.DatagramSocket(new InetSocketAddress(two.get("on-premises"), 0))) {
            int taken = squatter.getLocalPort();
            List<Integer> attempts = new ArrayList<>();
            try (LabDnsServer s = LabDnsServer.start(two, responder, 0,
                    new LabDnsServer.Limits(Duration.ofSeconds(10), 8), attempt -> {
                        attempts.add(attempt);
                        return attempt == 1 ? taken : 0;
                    })) {
                assertThat(attempts).containsExactly(1, 2);
                assertThat(s.port()).isNotEqualTo(taken);
                assertThat(s.resolvers().get("on-premises").getPort()).isEqualTo(s.port());
                assertThat(DnsWire.udp(s.resolvers().get("on-premises"), DnsWire.query(REGIONAL, Type.A)).getRcode())
                        .isEqualTo(Rcode.NOERROR);
            }
            try (java.net.DatagramSocket again = new java.net.DatagramSocket(new InetSocketAddress(two.get("canary-east"), taken))) {
                assertThat(again.getLocalPort()).as("the first attempt's sockets were released").isEqualTo(taken);
            }
        }
    }

    @Test
    void aFailureBehindTheResponderIsServfailNotSilence() throws IOException {
        DnsResponder failing = new DnsResponder(new DnsResponder.Answers() {
            @Override
            public Optional<List<InetAddress>> answer(String view, String name) {
                throw new IllegalStateException("broken on purpose");
            }

            @Override
            public String zoneOf(String name) {
                return "";
            }
        });
        try (LabDnsServer s = LabDnsServer.start(Map.of("x", InetAddress.getByName("127.0.0.1")), failing, 0)) {
            Message query = DnsWire.query(REGIONAL, Type.A);
            for (Message r : List.of(DnsWire.udp(s.resolvers().get("x"), query), DnsWire.tcp(s.resolvers().get("x"), query))) {
                assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
                assertThat(r.getHeader().getID()).isEqualTo(query.getHeader().getID());
            }
        }
    }

    @Test
    void aTakenPortIsAClearErrorAndLeavesTheRunningServerAlone() {
        assertThatThrownBy(() -> LabDnsServer.start(estate, plan, server.port()).close())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot bind the lab DNS server to 127.0.1.2:" + server.port());
        assertThat(server.resolvers()).isNotEmpty();
    }

    @Test
    void closeReleasesEverySocketAndThreadAndMayBeRepeated() throws Exception {
        ThreadCounter before = ThreadCounter.snapshot();
        LabDnsServer other = LabDnsServer.start(estate, plan, 0);
        int port = other.port();
        assertThat(DnsWire.addresses(DnsWire.tcp(other.resolvers().get("canary-west"),
                DnsWire.query("ordrswest2.execute-api.us-west-2.amazonaws.com", Type.A))))
                .containsExactlyInAnyOrder("127.0.2.16", "127.0.2.17");
        other.close();
        other.close();
        ThreadCounter.awaitAtMost(before.count(), Duration.ofSeconds(10));
        try (LabDnsServer again = LabDnsServer.start(estate, plan, port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }
}
