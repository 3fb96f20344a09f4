package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One drain, several destinations: each gets every sample; a failing one does not starve the others. */
class FanOutPublisherTest {

    @TempDir
    Path dir;

    private static List<IntervalSnapshot> threeSamples() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        Series s = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "orders", "Region", "us-east-1"));
        r.record(s, 1);
        r.record(s, 2);
        r.record(s, 3);
        clock.advance(Duration.ofSeconds(60));
        return r.drainClosed();
    }

    @Test
    void everyDestinationGetsEverySampleAndTheReportIsTheirSum() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        EmfPublisher emf = new EmfPublisher("vpcanary", new PrintStream(buf, true, StandardCharsets.UTF_8));
        Path file = dir.resolve("m.jsonl");
        LocalJsonPublisher local = new LocalJsonPublisher("vpcanary", file);
        try (FanOutPublisher both = new FanOutPublisher(List.of(emf, local))) {
            both.publish(threeSamples());
            assertThat(emf.report().samplesSent()).isEqualTo(3);
            assertThat(local.report().samplesSent()).isEqualTo(3);
            assertThat(both.report().samplesSent()).isEqualTo(6);
            assertThat(both.report().droppedSamples()).isZero();
        }
        assertThat(LocalJsonReader.read(file)).singleElement()
                .satisfies(e -> assertThat(e.snapshot().count()).isEqualTo(3));
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("\"Latency\"");
    }

    @Test
    void aFailingDestinationDoesNotKeepTheOthersFromTheirDataOrFromClosing() throws Exception {
        Path file = dir.resolve("m.jsonl");
        LocalJsonPublisher local = new LocalJsonPublisher("vpcanary", file);
        Publisher broken = new Publisher() {
            @Override
            public void publish(List<IntervalSnapshot> snapshots) {
                throw new IllegalStateException("broken destination");
            }

            @Override
            public void flush() {
            }

            @Override
            public PublishReport report() {
                return new PublishReport(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            }

            @Override
            public void close() {
                throw new IllegalStateException("broken close");
            }
        };
        FanOutPublisher both = new FanOutPublisher(List.of(broken, local));
        assertThatThrownBy(() -> both.publish(threeSamples())).hasMessage("broken destination");
        assertThat(local.report().samplesSent()).isEqualTo(3);
        assertThatThrownBy(both::close).hasMessage("broken close");
        assertThatThrownBy(() -> local.publish(threeSamples())).as("the local publisher was closed too")
                .isInstanceOf(java.io.UncheckedIOException.class);
        assertThatThrownBy(() -> new FanOutPublisher(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
