package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A load run's Run=ID reaches every series published, with the samples unchanged. */
class AddedDimensionsPublisherTest {

    @Test
    void settingsDimensionsAreAddedToEverySeriesPublished(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.jsonl");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MetricsOutput.Settings settings = new MetricsOutput.Settings(Set.of(MetricsOutput.Destination.LOCAL),
                "vpcanary/load", null, null, file, 60, null, Map.of("Run", "r-42"));
        try (MetricsOutput output = MetricsOutput.create(settings, new PrintWriter(new StringWriter()), clock)) {
            Series latency = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "orders", "Region", "eu-west-1"));
            output.recorder().record(latency, 4);
            output.recorder().record(latency, 5);
            output.recorder().record(Series.of("Success", MetricUnit.NONE, Map.of("Api", "orders")), 1);
            clock.advance(Duration.ofSeconds(60));
        }
        var entries = LocalJsonReader.read(file);
        assertThat(entries).hasSize(2).allSatisfy(e -> assertThat(e.snapshot().series().dimensions())
                .containsEntry("Run", "r-42"));
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.snapshot().series().dimensions()).containsOnlyKeys("Api", "Region", "Run");
            assertThat(e.snapshot().count()).isEqualTo(2);
        });
    }

    @Test
    void withoutDimensionsTheSeriesAreUnchanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.jsonl");
        MetricsOutput.Settings settings = new MetricsOutput.Settings(Set.of(MetricsOutput.Destination.LOCAL),
                "vpcanary/load", null, null, file, 60, null);
        try (MetricsOutput output = MetricsOutput.create(settings, new PrintWriter(new StringWriter()),
                new MutableClock(Instant.EPOCH))) {
            output.recorder().record(Series.of("Success", MetricUnit.NONE, Map.of("Api", "orders")), 1);
        }
        assertThat(LocalJsonReader.read(file)).singleElement()
                .satisfies(e -> assertThat(e.snapshot().series().dimensions()).containsOnlyKeys("Api"));
    }
}
