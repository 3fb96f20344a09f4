package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmfAndLocalPublisherTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void emfKeepsTheSpecLimitsAndEverySample() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Map<String, String> dims = Map.of("Api", "orders", "Region", "us-east-1");
        // 120 metrics sharing one dimension set (more than 100 per directive), one with 250 samples (more than 100
        // values per array)
        for (int m = 0; m < 120; m++) {
            r.record(Series.of("M" + m, MetricUnit.COUNT, dims), m);
        }
        for (int i = 0; i < 250; i++) {
            r.record(Series.of("Latency", MetricUnit.MILLISECONDS, dims), 10 + i % 7);
        }
        clock.advance(Duration.ofSeconds(60));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        EmfPublisher emf = new EmfPublisher("vpcanary", new PrintStream(buf, true, StandardCharsets.UTF_8));
        emf.publish(r.drainClosed());

        Map<String, Integer> samples = new HashMap<>();
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines.length).isGreaterThan(2);
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            JsonNode directive = e.at("/_aws/CloudWatchMetrics/0");
            assertThat(e.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
            assertThat(directive.get("Namespace").asText()).isEqualTo("vpcanary");
            assertThat(directive.at("/Dimensions/0").toString()).isEqualTo("[\"Api\",\"Region\"]");
            assertThat(e.get("Api").asText()).isEqualTo("orders");
            assertThat(directive.get("Metrics").size()).isBetween(1, 100);
            for (JsonNode def : directive.get("Metrics")) {
                JsonNode values = e.get(def.get("Name").asText());
                assertThat(values.isArray()).isTrue();
                assertThat(values.size()).isBetween(1, 100);
                assertThat(def.get("StorageResolution").asInt()).isEqualTo(60);
                samples.merge(def.get("Name").asText(), values.size(), Integer::sum);
            }
        }
        assertThat(samples).hasSize(121);
        assertThat(samples.get("Latency")).isEqualTo(250);
        assertThat(samples.get("M119")).isEqualTo(1);
    }

    @Test
    void localLinesRebuildTheExactHistograms(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(10), clock);
        Series s = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a"));
        for (int i = 0; i < 1000; i++) {
            r.record(s, 0.5 + i * 1.37);
        }
        clock.advance(Duration.ofSeconds(10));
        List<IntervalSnapshot> snaps = r.drainClosed();
        Path file = dir.resolve("run/metrics.jsonl");
        try (LocalJsonPublisher p = new LocalJsonPublisher("vpcanary", file)) {
            p.publish(snaps);
            assertThat(p.report().samplesSent()).isEqualTo(1000);
        }
        List<LocalJsonReader.Entry> back = LocalJsonReader.read(file);
        assertThat(back).singleElement().satisfies(e -> {
            assertThat(e.namespace()).isEqualTo("vpcanary");
            assertThat(e.snapshot().series()).isEqualTo(s);
            assertThat(e.snapshot().start()).isEqualTo(snaps.get(0).start());
            assertThat(e.snapshot().storageResolution()).isEqualTo(1);
            Histogram original = snaps.get(0).histogram();
            assertThat(e.snapshot().histogram()).isEqualTo(original);
        });
        JsonNode line = JSON.readTree(Files.readAllLines(file).get(0));
        assertThat(line.get("count").asLong()).isEqualTo(1000);
        assertThat(line.get("values").size()).isEqualTo(line.get("counts").size());

        Files.writeString(file, "{\"not\":\"metrics\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> LocalJsonReader.read(file)).hasMessageContaining("metrics.jsonl:2");
    }
}
