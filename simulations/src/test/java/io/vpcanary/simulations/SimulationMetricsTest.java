package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.MetricUnit;
import io.vpcanary.metrics.Series;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publishing settings of {@link SimulationMetrics}. */
class SimulationMetricsTest {

    @TempDir
    Path dir;

    private final PrintStream emf = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void noDestinationRecordsOnly() throws Exception {
        try (SimulationMetrics m = SimulationMetrics.from(Map.of("vpcanary.publish", " "), emf)) {
            assertThat(m.destinations()).isEmpty();
            assertThat(m.recorder().intervalLength().toSeconds()).isEqualTo(60);
        }
    }

    @Test
    void localWritesEverythingRecordedOnClose() throws Exception {
        Path file = dir.resolve("m.jsonl");
        SimulationMetrics m = SimulationMetrics.from(Map.of("vpcanary.publish", "local", "vpcanary.metricsFile",
                file.toString(), "vpcanary.resolution", "1", "vpcanary.namespace", "ns"), emf);
        assertThat(m.destinations()).containsExactly("local");
        m.recorder().record(Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a")), 12);
        m.close();
        m.close();
        var entries = LocalJsonReader.read(file);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).namespace()).isEqualTo("ns");
        assertThat(entries.get(0).snapshot().count()).isEqualTo(1);
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> SimulationMetrics.from(Map.of("vpcanary.publish", "prometheus"), emf))
                .hasMessageContaining("vpcanary.publish").hasMessageContaining("prometheus");
        assertThatThrownBy(() -> SimulationMetrics.from(Map.of("vpcanary.publish", "local"), emf))
                .hasMessageContaining("vpcanary.metricsFile");
        assertThatThrownBy(() -> SimulationMetrics.from(Map.of("vpcanary.resolution", "10"), emf))
                .hasMessageContaining("vpcanary.resolution");
    }
}
