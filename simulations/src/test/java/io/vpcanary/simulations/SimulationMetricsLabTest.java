package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.Precision;
import io.vpcanary.metrics.ProbeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link AccessPathsSimulation} for a few seconds against an embedded lab with {@code vpcanary.publish=local} and
 * checks that every request Gatling made is in the published metrics exactly once.
 */
class SimulationMetricsLabTest {

    @TempDir
    Path work;

    @Test
    void everyRequestGatlingMadeIsOneLatencyAndOneSuccessSample() throws Exception {
        Path metricsFile = work.resolve("metrics.jsonl");
        // One latency sample per response, none invented, whatever the response times were.
        // The latency budget is lifted: a cold JVM without warm-up is not what this test is about.
        GatlingRun run = GatlingRun.run(AccessPathsSimulation.class, work, Map.of(
                "rate", "1", "duration", "3s", "warmUp", "0s", "vpcanary.overheadMs", "60000",
                "vpcanary.publish", "local", "vpcanary.metricsFile", metricsFile.toString()), Duration.ofSeconds(90));
        assertThat(run.exitCode()).as(run.out()).isZero();
        long[] gatling = run.requestCount();
        assertThat(gatling[0]).isPositive();

        List<LocalJsonReader.Entry> entries = LocalJsonReader.read(metricsFile);
        long latency = 0;
        long success = 0;
        long successSum = 0;
        for (LocalJsonReader.Entry e : entries) {
            var s = e.snapshot();
            if (!s.series().dimensions().containsKey(ProbeMetrics.D_CHECK)) {
                continue; // the per API and region copies
            }
            assertThat(s.series().dimensions()).containsEntry(ProbeMetrics.D_CHECK, PathPlan.LOAD_CHECK);
            if (s.series().name().equals(ProbeMetrics.LATENCY)) {
                latency += s.count();
            } else if (s.series().name().equals(ProbeMetrics.SUCCESS)) {
                success += s.count();
                successSum += Math.round(s.histogram().getMean() * s.count() / Precision.SCALE);
            }
        }
        assertThat(latency).as("Latency samples vs Gatling's request count").isEqualTo(gatling[0]);
        assertThat(success).as("Success samples vs Gatling's request count").isEqualTo(gatling[0]);
        assertThat(successSum).as("passed requests vs Gatling's OK count").isEqualTo(gatling[1]);
        assertThat(run.out()).contains("vpcanary: metrics published to local");
    }
}
