package io.vpcanary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;

class DnsAnswerCacheTest {

    /** A resolver answering 127.0.1.{n} with TTL 5, n counting the queries; NXDOMAIN for nx.example.com. */
    static Resolver counting(AtomicInteger queries) {
        return new Resolver() {
            @Override
            public Message send(Message query) throws IOException {
                Message r = new Message(query.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.addRecord(query.getQuestion(), Section.QUESTION);
                if (query.getQuestion().getName().toString().startsWith("nx.")) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                    return r;
                }
                int n = queries.incrementAndGet();
                r.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 5,
                        InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) n})), Section.ANSWER);
                return r;
            }

            @Override
            public void setPort(int port) {
            }

            @Override
            public void setTCP(boolean flag) {
            }

            @Override
            public void setIgnoreTruncation(boolean flag) {
            }

            @Override
            public void setEDNS(int version, int payloadSize, int flags, java.util.List<org.xbill.DNS.EDNSOption> options) {
            }

            @Override
            public void setTSIGKey(org.xbill.DNS.TSIG key) {
            }

            @Override
            public void setTimeout(Duration timeout) {
            }
        };
    }

    @Test
    void holdsTheAnswerForItsTtlThenAsksAgain() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        DnsAnswerCache cache = new DnsAnswerCache(counting(queries), "o.example.com", clock);
        DnsAnswerCache.Answer first = cache.current();
        assertThat(first.fresh()).isTrue();
        assertThat(first.ttlSeconds()).isEqualTo(5);
        clock.advance(Duration.ofMillis(4999));
        assertThat(cache.current()).satisfies(a -> {
            assertThat(a.fresh()).isFalse();
            assertThat(a.addresses()).isEqualTo(first.addresses());
        });
        clock.advance(Duration.ofMillis(1));
        DnsAnswerCache.Answer second = cache.current();
        assertThat(second.fresh()).isTrue();
        assertThat(second.addresses().getFirst().getHostAddress()).isEqualTo("127.0.1.2");
        assertThat(cache.resolveNow().addresses().getFirst().getHostAddress()).isEqualTo("127.0.1.3");
        assertThat(queries).hasValue(3);
        assertThatThrownBy(() -> new DnsAnswerCache(counting(queries), "nx.example.com", clock).current())
                .isInstanceOf(IOException.class).hasMessage("NXDOMAIN");
    }
}
