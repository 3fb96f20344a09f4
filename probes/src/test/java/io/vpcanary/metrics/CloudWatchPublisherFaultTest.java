package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * No data lost: WireMock in front of moto_server injects, in a fixed rotating pattern, throttling (400 Throttling),
 * 500 InternalFailure, connection resets before forwarding, and lost responses (forwarded to moto, which stores the
 * data, then the connection is reset instead of answering). Over a sustained run of many intervals every recorded
 * sample reaches moto; the only extra samples in moto are exactly those of the lost responses, counted server-side,
 * and the publisher's report counts every injected fault. An outage of several intervals in the middle proves the buffer
 * holds unsent intervals until the service is back.
 */
class CloudWatchPublisherFaultTest {

    static final String THROTTLING = """
            <ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>\
            <Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>""";
    static final String INTERNAL = """
            <ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Receiver</Type>\
            <Code>InternalFailure</Code><Message>internal failure</Message></Error><RequestId>r-2</RequestId></ErrorResponse>""";
    static final String INVALID = """
            <ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>\
            <Code>InvalidParameterValue</Code><Message>bad</Message></Error><RequestId>r-3</RequestId></ErrorResponse>""";

    /** Forwards to moto as stubbed, then replaces the answer with a connection reset. */
    static final class LoseResponse implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            return Response.Builder.like(response).but().fault(Fault.CONNECTION_RESET_BY_PEER).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "lose-response";
        }
    }

    enum Step { PASS, THROTTLE, PASS2, SERVER_ERROR, PASS3, RESET_BEFORE, PASS4, LOST_RESPONSE, OUTAGE }

    static final List<Step> ROTATION = List.of(Step.PASS, Step.THROTTLE, Step.PASS2, Step.SERVER_ERROR, Step.PASS3,
            Step.RESET_BEFORE, Step.PASS4, Step.LOST_RESPONSE);

    static ProxiedMoto env;
    static MotoServer moto;
    static WireMockServer proxy;
    static CloudWatchClient reader;

    @BeforeAll
    static void start() throws Exception {
        env = ProxiedMoto.start(new LoseResponse());
        moto = env.moto();
        proxy = env.proxy();
        reader = env.reader();
    }

    @AfterAll
    static void stop() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    @BeforeEach
    void reset() {
        proxy.resetAll();
    }

    /** Every request moves the scenario one step; each step's stub is tagged with its name in metadata. */
    void rotateFaults() {
        Step[] steps = ROTATION.toArray(Step[]::new);
        for (int i = 0; i < steps.length; i++) {
            String state = i == 0 ? Scenario.STARTED : steps[i].name();
            String next = i + 1 == steps.length ? Scenario.STARTED : steps[i + 1].name();
            ResponseDefinitionBuilder answer = switch (steps[i]) {
                case PASS, PASS2, PASS3, PASS4 -> aResponse().proxiedFrom(moto.uri().toString());
                case OUTAGE -> throw new IllegalStateException("not in the rotation");
                case THROTTLE -> aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody(THROTTLING);
                case SERVER_ERROR -> aResponse().withStatus(500).withHeader("Content-Type", "text/xml").withBody(INTERNAL);
                case RESET_BEFORE -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
                case LOST_RESPONSE -> aResponse().proxiedFrom(moto.uri().toString()).withTransformers("lose-response");
            };
            proxy.stubFor(any(anyUrl()).inScenario("faults").whenScenarioStateIs(state).willSetStateTo(next)
                    .withMetadata(Map.of("step", steps[i].name())).willReturn(answer));
        }
    }

    static Step step(ServeEvent e) {
        return Step.valueOf(e.getStubMapping().getMetadata().getString("step"));
    }

    CloudWatchPublisher publisher(String ns, MutableClock clock, Duration flush, Duration shutdown) {
        return CloudWatchPublisher.builder().namespace(ns).region("us-east-1").endpoint(URI.create(proxy.baseUrl()))
                .credentials(MotoServer.FAKE).clock(clock).requestTimeout(Duration.ofSeconds(60))
                .backoff(new Backoff(Duration.ofMillis(2), Duration.ofMillis(40)))
                .flushTimeout(flush).shutdownTimeout(shutdown).build();
    }

    @Test
    void sustainedFaultsLoseNothingAndDuplicateOnlyLostResponses() {
        rotateFaults();
        String ns = "vpcanary-faults-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        MutableClock clock = new MutableClock(t0);
        Recorder recorder = new Recorder(Duration.ofSeconds(10), clock);
        List<Series> series = List.of(
                Series.of(ProbeMetrics.LATENCY, MetricUnit.MILLISECONDS, Map.of("Api", "orders", "Region", "us-east-1")),
                Series.of(ProbeMetrics.SUCCESS, MetricUnit.NONE, Map.of("Api", "orders", "Region", "us-east-1")),
                Series.of(ProbeMetrics.TTFB, MetricUnit.MILLISECONDS, Map.of("Api", "orders", "Region", "us-west-2")));
        Map<Series, Long> recorded = new HashMap<>();
        Random random = new Random(7);
        int intervals = 48;
        long pendingDuringOutage = 0;
        com.github.tomakehurst.wiremock.stubbing.StubMapping outage = null;
        CloudWatchPublisher publisher = publisher(ns, clock, Duration.ofMillis(300), Duration.ofSeconds(60));
        try (MetricsPipeline pipeline = new MetricsPipeline(recorder, publisher)) {
            for (int i = 0; i < intervals; i++) {
                for (int k = 0; k < 40; k++) {
                    Series s = series.get(random.nextInt(series.size()));
                    recorder.record(s, s.name().equals(ProbeMetrics.SUCCESS) ? random.nextInt(2)
                            : 1 + random.nextInt(900) + random.nextInt(1000) / 1000.0);
                    recorded.merge(s, 1L, Long::sum);
                }
                if (i == 20) {
                    // an outage of several intervals: everything is refused, intervals pile up in the buffer
                    outage = proxy.stubFor(any(anyUrl()).atPriority(1).withMetadata(Map.of("step", "OUTAGE"))
                            .willReturn(aResponse().withStatus(503).withBody(INTERNAL)));
                }
                clock.advance(Duration.ofSeconds(10));
                pipeline.tick();
                if (i == 27) {
                    pendingDuringOutage = publisher.report().pendingSamples();
                    proxy.removeStub(outage);
                }
            }
        }
        PublishReport report = publisher.report();
        long total = recorded.values().stream().mapToLong(Long::longValue).sum();
        assertThat(report.droppedSamples()).as(report.summary()).isZero();
        assertThat(report.pendingSamples()).isZero();
        assertThat(report.samplesSent()).as("each sample acknowledged exactly once").isEqualTo(total);

        Map<Step, Long> served = new TreeMap<>();
        Map<Series, Long> duplicated = new HashMap<>();
        long ambiguousSamples = 0;
        for (ServeEvent e : proxy.getAllServeEvents()) {
            Step step = step(e);
            served.merge(step, 1L, Long::sum);
            WireDatums.Captured c = WireDatums.decode(e.getRequest());
            long samples = c.datums().stream().mapToLong(WireDatums.Sent::samples).sum();
            if (step == Step.SERVER_ERROR || step == Step.OUTAGE || step == Step.RESET_BEFORE || step == Step.LOST_RESPONSE) {
                ambiguousSamples += samples;
            }
            if (step == Step.LOST_RESPONSE) {
                for (WireDatums.Sent s : c.datums()) {
                    duplicated.merge(Series.of(s.name(), MetricUnit.NONE, s.dimensions()), s.samples(), Long::sum);
                }
            }
        }
        assertThat(served.getOrDefault(Step.LOST_RESPONSE, 0L)).as("the run met every fault several times: %s", served)
                .isGreaterThanOrEqualTo(3);
        assertThat(report.retriesThrottled()).isEqualTo(served.get(Step.THROTTLE));
        assertThat(pendingDuringOutage).as("eight intervals held during the outage").isEqualTo(8 * 40);
        assertThat(report.retriesServerError()).isEqualTo(served.get(Step.SERVER_ERROR) + served.get(Step.OUTAGE));
        assertThat(report.retriesNetwork()).isEqualTo(served.get(Step.RESET_BEFORE) + served.get(Step.LOST_RESPONSE));
        assertThat(report.ambiguousRequests()).isEqualTo(served.get(Step.SERVER_ERROR) + served.get(Step.OUTAGE)
                + served.get(Step.RESET_BEFORE) + served.get(Step.LOST_RESPONSE));
        assertThat(report.possibleDuplicateSamples()).isEqualTo(ambiguousSamples);

        long motoTotal = 0;
        long duplicateTotal = 0;
        for (Series s : series) {
            Datapoint dp = statistics(ns, s, t0);
            long dup = duplicated.getOrDefault(Series.of(s.name(), MetricUnit.NONE, s.dimensions()), 0L);
            assertThat(dp.sampleCount()).as("moto holds every sample of %s, plus the lost responses' %s", s, dup)
                    .isEqualTo((double) (recorded.get(s) + dup));
            motoTotal += dp.sampleCount().longValue();
            duplicateTotal += dup;
        }
        assertThat(motoTotal - total).as("the only duplicates are those of lost responses").isEqualTo(duplicateTotal);
        assertThat(duplicateTotal).isPositive().isLessThanOrEqualTo(report.possibleDuplicateSamples());
    }

    static Datapoint statistics(String ns, Series s, Instant t0) {
        var r = reader.getMetricStatistics(b -> b.namespace(ns).metricName(s.name())
                .dimensions(s.dimensions().entrySet().stream()
                        .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .startTime(t0).endTime(t0.plus(Duration.ofHours(1))).period(3600)
                .statistics(Statistic.SAMPLE_COUNT));
        assertThat(r.datapoints()).hasSize(1);
        return r.datapoints().get(0);
    }

    @Test
    void whatCannotBeDeliveredIsCountedNeverSilent() {
        String ns = "vpcanary-drops-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        MutableClock clock = new MutableClock(t0);
        Recorder recorder = new Recorder(Duration.ofSeconds(60), clock);
        Series s = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a"));

        // the service is down: data stays buffered, then leaves the timestamp window and is dropped as too old
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody(INTERNAL)));
        CloudWatchPublisher p = CloudWatchPublisher.builder().namespace(ns).region("us-east-1")
                .endpoint(URI.create(proxy.baseUrl())).credentials(MotoServer.FAKE).clock(clock)
                .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(10)))
                .flushTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofMillis(100))
                .maxAge(Duration.ofMinutes(10)).build();
        for (int i = 0; i < 5; i++) {
            recorder.record(s, 10 + i);
        }
        clock.advance(Duration.ofSeconds(60));
        p.publish(recorder.drainClosed());
        assertThat(p.report().pendingSamples()).isEqualTo(5);
        assertThat(p.report().retriesServerError()).isPositive();
        clock.advance(Duration.ofMinutes(10));
        p.flush();
        assertThat(p.report().droppedTooOldSamples()).isEqualTo(5);
        assertThat(p.report().pendingSamples()).isZero();

        // an invalid request is dropped and counted, not retried forever
        proxy.resetAll();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(400).withBody(INVALID)));
        recorder.record(s, 1);
        recorder.record(s, 2);
        clock.advance(Duration.ofSeconds(60));
        p.publish(recorder.drainClosed());
        assertThat(p.report().droppedRejectedSamples()).isEqualTo(2);

        // still down at shutdown: what is left is counted as dropped at shutdown
        proxy.resetAll();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        recorder.record(s, 3);
        recorder.record(s, 4);
        recorder.record(s, 5);
        new MetricsPipeline(recorder, p).close();
        PublishReport r = p.report();
        assertThat(r.droppedAtShutdownSamples()).isEqualTo(3);
        assertThat(r.droppedSamples()).isEqualTo(10);
        assertThat(r.samplesSent()).isZero();
        assertThat(r.summary()).contains("dropped 5 too old, 2 rejected, 3 at shutdown");
    }
}
