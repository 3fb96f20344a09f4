package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vpcanary.lab.Lab;
import io.vpcanary.metrics.Distributions;
import io.vpcanary.metrics.IntervalSnapshot;
import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.MotoServer;
import io.vpcanary.metrics.Precision;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.simulations.SimulationMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The local proof of issue 13: three injector JVMs ({@code vpcanary load run} from the built class path, started
 * together) drive one running lab with one run id and publish to one moto_server. Per series, what they sent merges
 * ({@link Distributions}) into one histogram of all their requests: the same count, percentiles within HdrHistogram's
 * precision; moto's SampleCount, Sum, Minimum and Maximum of the merged series are those of the merged Values/Counts,
 * and within the stated precision of the recorded response times; the requests counted are Gatling's own.
 * (moto stores and sums distributions but computes no percentile: that part is CloudWatch's, from the same
 * Values/Counts.)
 */
class LoadInjectorsMergeTest {

    static final int INJECTORS = 3;
    /** The Global line of Gatling's console summary, the last of which counts every request (--no-reports). */
    private static final Pattern REQUEST_COUNT = Pattern.compile("> Global\\s*\\|\\s*([\\d,]+)");

    @TempDir
    Path dir;

    @Test
    void threeInjectorsMergeIntoOneHistogramOfAllRequests() throws Exception {
        String runId = "local-proof-" + Long.toHexString(System.nanoTime());
        String namespace = "vpcanary/load-proof";
        try (MotoServer moto = MotoServer.start();
             Lab lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("lab-state")))) {
            Path env = dir.resolve("lab-env.json");
            lab.writeEnvironment(env);
            Instant t0 = Instant.now();
            List<Process> injectors = new ArrayList<>();
            List<Path> outs = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (int k = 0; k < INJECTORS; k++) {
                Path out = dir.resolve("injector-" + k + ".txt");
                Path metrics = dir.resolve("injector-" + k + ".jsonl");
                outs.add(out);
                files.add(metrics);
                var fake = MotoServer.FAKE.resolveCredentials();
                ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx384m", LoadRunCommand.ADD_OPENS,
                        "-Daws.accessKeyId=" + fake.accessKeyId(), "-Daws.secretAccessKey=" + fake.secretAccessKey(),
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "load", "run", "--lab", env.toString(), "--rate", "12", "--duration", "5s", "--warm-up", "0s",
                        "--region", "us-east-1", "--no-reports", "--progress", "2s", "--run-id", runId,
                        "--namespace", namespace, "--publish", "cloudwatch", "--publish", "local",
                        "--metrics-file", metrics.toString(), "--results", dir.resolve("gatling-" + k).toString())
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().put("AWS_ENDPOINT_URL_CLOUDWATCH", moto.uri().toString());
                pb.environment().put("AWS_REGION", "us-east-1");
                injectors.add(pb.start());
            }
            long gatlingRequests = 0;
            for (int k = 0; k < INJECTORS; k++) {
                Process p = injectors.get(k);
                if (!p.waitFor(240, TimeUnit.SECONDS)) {
                    injectors.forEach(Process::destroyForcibly);
                    throw new AssertionError("injector " + k + " did not end: " + Files.readString(outs.get(k)));
                }
                String text = Files.readString(outs.get(k));
                assertThat(p.exitValue()).as(text).isZero();
                assertThat(text).containsPattern("publish cloudwatch: sent [1-9]\\d* samples")
                        .contains("dropped 0 too old, 0 rejected, 0 at shutdown");
                Matcher m = REQUEST_COUNT.matcher(text);
                long last = -1;
                while (m.find()) {
                    last = Long.parseLong(m.group(1).replace(",", ""));
                }
                assertThat(last).as("Gatling's request count of injector %s", k).isPositive();
                gatlingRequests += last;
            }

            // per target series (the full dimension set: moto also answers a query for fewer dimensions with every
            // series that has them, so the API x region rollups cannot be read back apart there), and all together
            Map<SortedMap<String, String>, List<IntervalSnapshot>> series = new LinkedHashMap<>();
            List<IntervalSnapshot> perTarget = new ArrayList<>();
            Histogram all = new Histogram(Precision.SIGNIFICANT_DIGITS);
            for (Path f : files) {
                for (LocalJsonReader.Entry e : LocalJsonReader.read(f)) {
                    IntervalSnapshot s = e.snapshot();
                    assertThat(s.series().dimensions()).containsEntry(io.vpcanary.metrics.ProbeMetrics.D_RUN, runId);
                    if (!s.series().name().equals(ProbeMetrics.LATENCY)) {
                        continue;
                    }
                    if (s.series().dimensions().containsKey(ProbeMetrics.D_CHECK)) {
                        perTarget.add(s);
                        all.add(s.histogram()); // each injector's recorded response times, as recorded
                        series.computeIfAbsent(s.series().dimensions(), d -> new ArrayList<>()).add(s);
                    }
                }
            }
            assertThat(all.getTotalCount()).as("one latency sample per request Gatling counted")
                    .isEqualTo(gatlingRequests);

            // what was sent, merged, is one histogram of all requests
            Histogram merged = Distributions.merge(perTarget);
            assertThat(merged.getTotalCount()).isEqualTo(all.getTotalCount());
            StringBuilder figures = new StringBuilder(String.format(Locale.ROOT,
                    "local proof: %d injectors, %d requests (Gatling's counts), run %s%n", INJECTORS, gatlingRequests,
                    runId));
            for (double p : new double[] {50, 90, 99, 99.9, 100}) {
                long a = all.getValueAtPercentile(p);
                long b = merged.getValueAtPercentile(p);
                assertThat(all.valuesAreEquivalent(a, b)).as("p%s: all %s, merged %s", p, a, b).isTrue();
                figures.append(String.format(Locale.ROOT, "  p%-5s all requests %9.3f ms, merged from what was sent "
                        + "%9.3f ms%n", p, Precision.fromRecorded(a), Precision.fromRecorded(b)));
            }

            // moto's statistics of each merged series (three injectors, one dimension set)
            CloudWatchClient reader = moto.client();
            assertThat(series).isNotEmpty();
            for (var e : series.entrySet()) {
                Histogram raw = new Histogram(Precision.SIGNIFICANT_DIGITS);
                e.getValue().forEach(s -> raw.add(s.histogram()));
                Distributions.Statistics sent = Distributions.Statistics.of(Distributions.merge(e.getValue()));
                Distributions.Statistics recorded = Distributions.Statistics.of(raw);
                List<Datapoint> points = reader.getMetricStatistics(b -> b.namespace(namespace)
                        .metricName(ProbeMetrics.LATENCY)
                        .dimensions(e.getKey().entrySet().stream().map(d -> Dimension.builder().name(d.getKey())
                                .value(d.getValue()).build()).toList())
                        .startTime(t0.minus(Duration.ofMinutes(2))).endTime(Instant.now().plus(Duration.ofMinutes(2)))
                        .period(60).statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.MINIMUM,
                                Statistic.MAXIMUM)).datapoints();
                double count = points.stream().mapToDouble(Datapoint::sampleCount).sum();
                double sum = points.stream().mapToDouble(Datapoint::sum).sum();
                double min = points.stream().mapToDouble(Datapoint::minimum).min().orElse(Double.NaN);
                double max = points.stream().mapToDouble(Datapoint::maximum).max().orElse(Double.NaN);
                String what = e.getKey().toString();
                assertThat(count).as("SampleCount of %s", what).isEqualTo((double) raw.getTotalCount());
                assertThat(sum).as("Sum of %s", what).isCloseTo(sent.sum(), within(1e-6 * sent.sum() + 1e-6));
                assertThat(min).as("Minimum of %s", what).isCloseTo(sent.minimum(), within(1e-9));
                assertThat(max).as("Maximum of %s", what).isCloseTo(sent.maximum(), within(1e-9));
                // and within the stated precision of the response times recorded
                assertThat(sum).isCloseTo(recorded.sum(), within(raw.getTotalCount() * halfRangeAt(raw, max)));
                assertThat(min).isCloseTo(Precision.fromRecorded(raw.getMinValue()), within(halfRangeAt(raw, min)));
                assertThat(max).isCloseTo(Precision.fromRecorded(raw.getMaxValue()), within(halfRangeAt(raw, max)));
                figures.append(String.format(Locale.ROOT, "  moto %s %s %s: SampleCount %.0f, Sum %.3f, Minimum %.3f, "
                        + "Maximum %.3f (recorded: %d samples, the fastest in [%.3f, %.3f], the slowest in [%.3f, "
                        + "%.3f])%n", e.getKey().get(ProbeMetrics.D_API), e.getKey().get(ProbeMetrics.D_CHECK),
                        e.getKey().get(ProbeMetrics.D_ACCESS_PATH), count, sum, min, max, raw.getTotalCount(),
                        Precision.fromRecorded(raw.getMinValue()),
                        Precision.fromRecorded(raw.highestEquivalentValue(raw.getMinValue())),
                        Precision.fromRecorded(raw.lowestEquivalentValue(raw.getMaxValue())),
                        Precision.fromRecorded(raw.getMaxValue())));
            }
            System.out.print(figures);
            Files.writeString(Path.of("target", "local-proof.txt"), figures);
        }
    }

    private static double halfRangeAt(Histogram h, double value) {
        return Precision.halfRange(h, value) * 2;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
