package io.vpcanary.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;

/**
 * Three separate JVMs record disjoint samples of one series and publish them through a capturing proxy to moto. The
 * union, both moto's statistics and the distribution rebuilt from every Values/Counts sent, equals one histogram of
 * all samples; averaging the three per-process percentiles would not.
 */
class MergeAcrossProcessesTest {

    static ProxiedMoto env;
    static MotoServer moto;
    static WireMockServer proxy;
    static CloudWatchClient reader;

    @BeforeAll
    static void start() throws Exception {
        env = ProxiedMoto.start();
        moto = env.moto();
        proxy = env.proxy();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(moto.uri().toString())));
        reader = env.reader();
    }

    @AfterAll
    static void stop() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void threeProcessesMergeIntoOneDistribution(@TempDir Path dir) throws Exception {
        String ns = "vpcanary-merge-" + UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path log = dir.resolve("worker-" + k + ".log");
            logs.add(log);
            workers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    MergeWorker.class.getName(), proxy.baseUrl(), ns, t0.toString(), Integer.toString(k))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int k = 0; k < 3; k++) {
            Process p = workers.get(k);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("worker " + k + " did not finish: " + Files.readString(logs.get(k)));
            }
            assertThat(p.exitValue()).as(Files.readString(logs.get(k))).isZero();
        }

        Histogram all = new Histogram(Precision.SIGNIFICANT_DIGITS);
        List<Double> raw = new ArrayList<>();
        double[] p99s = new double[3];
        for (int k = 0; k < 3; k++) {
            Histogram one = new Histogram(Precision.SIGNIFICANT_DIGITS);
            for (double v : MergeWorker.samples(k)) {
                all.recordValue(Precision.toRecorded(v));
                one.recordValue(Precision.toRecorded(v));
                raw.add(v);
            }
            p99s[k] = Precision.fromRecorded(one.getValueAtPercentile(99));
        }

        // the distribution rebuilt from what the three processes sent
        var wire = MotoReads.captured(proxy);
        assertThat(wire.stream().map(WireDatums.Captured::namespace).distinct()).containsExactly(ns);
        Histogram sent = MotoReads.rebuilt(wire, ProbeMetrics.LATENCY,
                new TreeMap<>(MergeWorker.DIMS));
        assertThat(sent.getTotalCount()).isEqualTo(3L * MergeWorker.SAMPLES);
        for (HistogramIterationValue v : all.recordedValues()) {
            assertThat(sent.getCountAtValue(v.getValueIteratedTo())).as("count at %s", v.getValueIteratedTo())
                    .isEqualTo(v.getCountAtValueIteratedTo());
        }
        for (double p : new double[] {50, 90, 99, 99.9}) {
            assertThat(all.valuesAreEquivalent(all.getValueAtPercentile(p), sent.getValueAtPercentile(p))).isTrue();
        }

        // moto's statistics of the one series
        raw.sort(Double::compare);
        Datapoint dp = MotoReads.statistics(reader, ns, ProbeMetrics.LATENCY, MergeWorker.DIMS, t0, 60);
        assertThat(dp.sampleCount()).isEqualTo(3.0 * MergeWorker.SAMPLES);
        double sum = raw.stream().mapToDouble(Double::doubleValue).sum();
        double tolerance = raw.stream().mapToDouble(v -> Precision.halfRange(all, v)).sum();
        assertThat(dp.sum()).isCloseTo(sum, within(tolerance));
        assertThat(dp.minimum()).isCloseTo(raw.get(0), within(Precision.halfRange(all, raw.get(0))));
        assertThat(dp.maximum()).isCloseTo(raw.get(raw.size() - 1),
                within(Precision.halfRange(all, raw.get(raw.size() - 1))));

        // why distributions, not numbers: the average of the per-process p99s is not the p99 of the whole
        double merged = Precision.fromRecorded(all.getValueAtPercentile(99));
        double averaged = Arrays.stream(p99s).average().orElseThrow();
        assertThat(Math.abs(averaged - merged)).isGreaterThan(merged * 0.2);
    }
}
