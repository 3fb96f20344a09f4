package io.vpcanary.probe;

import static io.vpcanary.probe.Targets.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.estate.Expectation;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProbeRunner}: bounded parallelism, outcomes in target order. */
class ProbeRunnerTest {

    @TempDir
    Path dir;

    private final TestTls tls = new TestTls("runner CA");
    private TestDnsServer dns;
    private MockWebServer web;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final CyclicBarrier pairs = new CyclicBarrier(2);

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        dns.a(API_HOST, "127.0.0.1");
        web = new MockWebServer();
        tls.serve(web);
        web.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.incrementAndGet();
                if (request.getUrl().encodedPath().equals("/prod/warm")) {
                    return new MockResponse.Builder().code(200).body("{}").build();
                }
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    // Requests meet in pairs: with parallelism 2 both slots are busy at once, never more.
                    pairs.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    return new MockResponse.Builder().code(500).body("barrier: " + e).build();
                } finally {
                    inFlight.decrementAndGet();
                }
                return new MockResponse.Builder().code(200).body("{\"path\":\"" + request.getUrl().encodedPath()
                        + "\"}").build();
            }
        });
        web.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        dns.close();
    }

    private ProbeEngine engine() throws Exception {
        return ProbeEngine.builder()
                .resolvers(Resolvers.builder().view("canary-east", dns.address()).build())
                .trustStore(tls.caPem(dir), null)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private Target target(String path, String vantage) {
        return Targets.get(API_HOST, web.getPort(), path, AccessPath.PRIVATE_DNS, Map.of(), vantage,
                new Expectation(200, "\"path\":\"" + path + "\"", null, null));
    }

    @Test
    void runsAtMostParallelismAtOnceAndKeepsTargetOrder() throws Exception {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            targets.add(target("/prod/" + i, "canary-east"));
        }

        ProbeEngine engine = engine();
        engine.warmUp(target("/prod/warm", "canary-east"));
        ProbeRun run = new ProbeRunner(engine, 2).run(targets);

        assertThat(run.outcomes()).extracting(o -> o.url().getPath())
                .containsExactly("/prod/0", "/prod/1", "/prod/2", "/prod/3", "/prod/4", "/prod/5");
        assertThat(run.outcomes()).allSatisfy(o -> assertThat(o.passed()).as(o.message()).isTrue());
        assertThat(run.allPassed()).isTrue();
        assertThat(run.passedCount()).isEqualTo(6);
        assertThat(maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void theFirstRunOfAnEngineSendsOneUntimedWarmUpRequestFirst() throws Exception {
        ProbeEngine engine = engine();
        List<Target> targets = List.of(target("/prod/warm", "canary-east"));

        ProbeRun first = new ProbeRunner(engine, 1).run(targets);
        assertThat(requests.get()).as("warm-up plus the probe").isEqualTo(2);
        assertThat(first.outcomes()).hasSize(1);

        new ProbeRunner(engine, 1).run(targets);
        assertThat(requests.get()).as("no second warm-up on the same engine").isEqualTo(3);
    }

    @Test
    void eachAuthorizerTypeGetsItsOwnWarmUpRequestOnce() throws Exception {
        ProbeEngine engine = engine();
        Target plain = target("/prod/plain", "canary-east");
        Target token = Targets.of("GET", API_HOST, web.getPort(), "/prod/token", AccessPath.PRIVATE_DNS, Map.of(),
                "canary-east", null, io.vpcanary.estate.AuthType.TOKEN,
                new Expectation(200, "\"path\":\"/prod/token\"", null, null));
        new ProbeRunner(engine, 1).run(List.of(plain, token));
        assertThat(requests.get()).as("a warm-up per authorizer type, then the two probes").isEqualTo(4);
        new ProbeRunner(engine, 1).run(List.of(plain, token));
        assertThat(requests.get()).as("no second warm-up on the same engine").isEqualTo(6);
    }

    @Test
    void unknownVantageFailsBeforeAnythingIsSent() throws Exception {
        List<Target> targets = List.of(target("/prod/0", "canary-east"), target("/prod/1", "nowhere"));

        assertThatThrownBy(() -> new ProbeRunner(engine(), 2).run(targets))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere");
        assertThat(web.getRequestCount()).isZero();
    }
}
