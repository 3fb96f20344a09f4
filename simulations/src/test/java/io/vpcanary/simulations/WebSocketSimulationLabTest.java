package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.ProbeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link WebSocketSimulation} for a few seconds against an embedded demo lab with {@code vpcanary.publish=local}:
 * presigned {@code $connect}s to the IAM WebSocket API through the regional name and the custom domain, every reply
 * checked, and every reply's round trip recorded as {@code MessageRoundTrip} in the probe's catalogue, once per reply
 * Gatling checked.
 */
class WebSocketSimulationLabTest {

    @TempDir
    Path work;

    @Test
    void everyReplyGatlingCheckedIsOneMessageRoundTripSample() throws Exception {
        Path metricsFile = work.resolve("metrics.jsonl");
        GatlingRun run = GatlingRun.run(WebSocketSimulation.class, work, Map.of(
                "vpcanary.wsRate", "2", "vpcanary.wsDuration", "2s",
                "vpcanary.publish", "local", "vpcanary.metricsFile", metricsFile.toString()), Duration.ofSeconds(90));
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("live echo-and-push REGIONAL us-east-1 from on-premises $connect")
                .contains("live echo-and-push CUSTOM_DOMAIN us-east-1 from on-premises reply")
                .contains("not driven: live/oversize-closed-1009/REGIONAL/us-east-1: expects MESSAGE_TOO_BIG");
        long[] gatling = run.requestCount();
        assertThat(gatling[2]).as("KO").isZero();

        long roundTrips = 0;
        for (LocalJsonReader.Entry e : LocalJsonReader.read(metricsFile)) {
            var s = e.snapshot();
            if (s.series().name().equals(ProbeMetrics.MESSAGE_ROUND_TRIP)) {
                assertThat(s.series().dimensions()).containsEntry(ProbeMetrics.D_API, "live")
                        .containsEntry(ProbeMetrics.D_CHECK, "echo-and-push");
                roundTrips += s.count();
            }
        }
        // 2 targets x 2 connections/s x 2 s x 3 messages; Gatling's count also holds the connects, sends and closes
        assertThat(roundTrips).as("MessageRoundTrip samples").isEqualTo(24);
    }
}
