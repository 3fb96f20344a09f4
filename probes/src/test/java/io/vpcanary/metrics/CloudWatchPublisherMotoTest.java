package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;

/**
 * Publishes through a WireMock proxy in front of moto_server: proves the limits on the requests as actually sent
 * (decompressed from the wire) and that what moto then holds has exactly the recorded sample count and, within
 * HdrHistogram's precision, the recorded sum, minimum, maximum and percentiles.
 */
class CloudWatchPublisherMotoTest {

    static ProxiedMoto env;
    static MotoServer moto;
    static WireMockServer proxy;
    static CloudWatchClient reader;

    @BeforeAll
    static void start() throws Exception {
        env = ProxiedMoto.start();
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
    void proxyToMoto() {
        proxy.resetAll();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(moto.uri().toString())));
    }

    static Instant alignedRecentMinute() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    }

    CloudWatchPublisher publisher(String namespace, MutableClock clock) {
        return CloudWatchPublisher.builder().namespace(namespace).region("us-east-1")
                .endpoint(URI.create(proxy.baseUrl())).credentials(MotoServer.FAKE).clock(clock)
                .requestTimeout(Duration.ofSeconds(120)).backoff(new Backoff(Duration.ofMillis(5), Duration.ofMillis(50)))
                .build();
    }

    @Test
    void distributionReadsBackWithExactCountAndStatedPrecision() {
        Instant t0 = alignedRecentMinute();
        MutableClock clock = new MutableClock(t0.plusSeconds(5));
        Recorder recorder = new Recorder(Duration.ofSeconds(60), clock);
        Map<String, String> dims = ProbeMetrics.targetDimensions("orders", "list", "PRIVATE_DNS", "us-east-1", "canary-east");
        Series latency = Series.of(ProbeMetrics.LATENCY, MetricUnit.MILLISECONDS, dims);
        Series success = Series.of(ProbeMetrics.SUCCESS, MetricUnit.NONE, dims);
        Random random = new Random(42);
        List<Double> raw = new ArrayList<>();
        Histogram direct = new Histogram(Precision.SIGNIFICANT_DIGITS);
        int failures = 0;
        for (int i = 0; i < 2000; i++) {
            double ms = Math.round((0.5 + Math.exp(random.nextDouble() * 8)) * 1000) / 1000.0;
            raw.add(ms);
            direct.recordValue(Precision.toRecorded(ms));
            recorder.record(latency, ms);
            boolean ok = random.nextInt(10) != 0;
            failures += ok ? 0 : 1;
            recorder.record(success, ok ? 1 : 0);
        }
        clock.advance(Duration.ofSeconds(60));
        String ns = "vpcanary-test-readback";
        try (CloudWatchPublisher p = publisher(ns, clock)) {
            p.publish(recorder.drainClosed());
            PublishReport r = p.report();
            assertThat(r.samplesSent()).isEqualTo(4000);
            assertThat(r.droppedSamples()).isZero();
            assertThat(r.pendingSamples()).isZero();
        }

        List<WireDatums.Captured> wire = MotoReads.captured(proxy);
        assertThat(wire).isNotEmpty();
        long latencyDatums = wire.stream().flatMap(c -> c.datums().stream())
                .filter(s -> s.name().equals(ProbeMetrics.LATENCY)).count();
        assertThat(latencyDatums).as("a series with more than 150 distinct values spans several datums")
                .isGreaterThan(1);
        for (WireDatums.Captured c : wire) {
            assertThat(c.namespace()).isEqualTo(ns);
            for (WireDatums.Sent s : c.datums()) {
                assertThat(s.values().length).isBetween(1, 150);
                assertThat(java.util.Arrays.stream(s.values()).allMatch(v -> v >= 0)).isTrue();
                assertThat(s.storageResolution()).isEqualTo(60);
                assertThat(s.timestamp()).isEqualTo(t0);
            }
        }

        // moto: exact count; sum, min and max within HdrHistogram's stated precision
        raw.sort(Double::compare);
        double rawSum = raw.stream().mapToDouble(Double::doubleValue).sum();
        double sumTolerance = raw.stream().mapToDouble(v -> Precision.halfRange(direct, v)).sum();
        Datapoint dp = MotoReads.statistics(reader, ns, ProbeMetrics.LATENCY, dims, t0, 60);
        assertThat(dp.sampleCount()).isEqualTo(2000.0);
        assertThat(dp.sum()).isCloseTo(rawSum, within(sumTolerance));
        assertThat(dp.minimum()).isCloseTo(raw.get(0), within(Precision.halfRange(direct, raw.get(0))));
        assertThat(dp.maximum()).isCloseTo(raw.get(1999), within(Precision.halfRange(direct, raw.get(1999))));
        Datapoint ok = MotoReads.statistics(reader, ns, ProbeMetrics.SUCCESS, dims, t0, 60);
        assertThat(ok.sampleCount()).isEqualTo(2000.0);
        assertThat(ok.sum()).as("success sum is exact").isEqualTo(2000.0 - failures);

        // GetMetricData agrees on the count. Dimensions in the order sent: moto 5's Dimension.__lt__ is inconsistent,
        // so it only matches dimension lists given in the same order.
        TreeMap<String, String> sortedDims = new TreeMap<>(dims);
        GetMetricDataResponse gmd = reader.getMetricData(b -> b.startTime(t0).endTime(t0.plusSeconds(60))
                .metricDataQueries(q -> q.id("n").metricStat(ms -> ms.period(60).stat("SampleCount")
                        .metric(m -> m.namespace(ns).metricName(ProbeMetrics.LATENCY).dimensions(
                                sortedDims.entrySet().stream().map(e -> Dimension.builder().name(e.getKey())
                                        .value(e.getValue()).build()).toList())))));
        assertThat(gmd.metricDataResults().get(0).values()).containsExactly(2000.0);

        // the distribution rebuilt from the exact Values/Counts sent has the recorded percentiles
        Histogram sent = MotoReads.rebuilt(wire, ProbeMetrics.LATENCY, new TreeMap<>(dims));
        assertThat(sent.getTotalCount()).isEqualTo(2000);
        for (double pct : new double[] {50, 90, 99, 99.9, 100}) {
            long recorded = direct.getValueAtPercentile(pct);
            long fromWire = sent.getValueAtPercentile(pct);
            assertThat(direct.valuesAreEquivalent(recorded, fromWire)).as("p%s %s vs %s", pct, recorded, fromWire)
                    .isTrue();
            // HdrHistogram's rank: ceil(nextDown(p) / 100 * n)
            double exact = raw.get((int) Math.max(1, Math.ceil(Math.nextDown(pct) / 100 * 2000)) - 1);
            assertThat(Precision.fromRecorded(fromWire)).as("p%s against the raw samples", pct)
                    .isCloseTo(exact, within(2 * Precision.halfRange(direct, exact)));
        }
    }

    @Test
    void requestsKeepCloudWatchLimitsOnTheWire() {
        Instant t0 = alignedRecentMinute();
        MutableClock clock = new MutableClock(t0.plusSeconds(1));
        Recorder recorder = new Recorder(Duration.ofSeconds(10), clock);
        // 1,200 small series: more datums than one request may carry
        for (int i = 0; i < 1200; i++) {
            recorder.record(Series.of("Small", MetricUnit.COUNT, Map.of("N", Integer.toString(i))), 1);
        }
        // 45 series with 30 long dimensions and 200 distinct values each: two datums per series of about 35 KB, more
        // bytes than one request may carry
        Map<String, String> wide = new TreeMap<>();
        for (int d = 1; d < Series.MAX_DIMENSIONS; d++) {
            wide.put("D" + d, Integer.toString(d).repeat(1000 / Integer.toString(d).length()));
        }
        for (int s = 0; s < 45; s++) {
            Map<String, String> dims = new TreeMap<>(wide);
            dims.put("S", Integer.toString(s));
            Series big = Series.of("Big", MetricUnit.MILLISECONDS, dims);
            for (int v = 0; v < 200; v++) {
                recorder.record(big, 3000 + v * 7.5);
            }
        }
        clock.advance(Duration.ofSeconds(10));
        String ns = "vpcanary-test-limits";
        try (CloudWatchPublisher p = publisher(ns, clock)) {
            p.publish(recorder.drainClosed());
            assertThat(p.report().samplesSent()).isEqualTo(1200 + 45 * 200);
            assertThat(p.report().retriesNetwork()).isZero();
        }
        List<WireDatums.Captured> wire = MotoReads.captured(proxy);
        assertThat(wire.size()).isGreaterThanOrEqualTo(5);
        long datums = 0;
        for (WireDatums.Captured c : wire) {
            assertThat(c.datums()).hasSizeBetween(1, 1000);
            assertThat(c.bodyBytes()).isLessThanOrEqualTo(1_048_576);
            if (c.bodyBytes() >= 10_240) {
                assertThat(c.gzip()).as("request of %s bytes is compressed", c.bodyBytes()).isTrue();
                assertThat(c.wireBytes()).as("Content-Length as sent").isLessThan(c.bodyBytes());
            }
            for (WireDatums.Sent s : c.datums()) {
                assertThat(s.values().length).isBetween(1, 150);
                assertThat(s.storageResolution()).as("10 s intervals are high resolution").isEqualTo(1);
                assertThat(java.util.Arrays.stream(s.values()).allMatch(v -> v >= 0 && Double.isFinite(v))).isTrue();
            }
            datums += c.datums().size();
            long estimate = 64 + ns.length();
            for (WireDatums.Sent s : c.datums()) {
                MetricUnit unit = s.unit().equals("Count") ? MetricUnit.COUNT : MetricUnit.MILLISECONDS;
                estimate += PutMetricDataBatcher.estimate(new Datum(Series.of(s.name(), unit, s.dimensions()),
                        s.timestamp(), s.storageResolution(), s.values(), s.counts()));
            }
            assertThat(estimate).as("the batcher's size estimate bounds the body actually sent")
                    .isGreaterThanOrEqualTo(c.bodyBytes());
        }
        assertThat(datums).isEqualTo(1200 + 45 * 2);
        assertThat(wire).anyMatch(c -> c.bodyBytes() > 500_000);
        Map<String, String> seventh = new TreeMap<>(wide);
        seventh.put("S", "7");
        Datapoint dp = MotoReads.statistics(reader, ns, "Big", seventh, t0, 60);
        assertThat(dp.sampleCount()).isEqualTo(200.0);
    }
}
