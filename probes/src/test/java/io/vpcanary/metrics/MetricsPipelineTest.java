package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsPipelineTest {

    /** A sink that keeps what it is given, so the test can see what the pipeline handed over and when. */
    static final class Collecting implements Publisher {
        final List<IntervalSnapshot> got = new ArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);
        boolean closed;

        @Override
        public synchronized void publish(List<IntervalSnapshot> snapshots) {
            got.addAll(snapshots);
            if (!snapshots.isEmpty()) {
                first.countDown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public synchronized PublishReport report() {
            long n = got.stream().mapToLong(IntervalSnapshot::count).sum();
            return new PublishReport(0, got.size(), n, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    @Test
    void ticksEachIntervalAndFlushesTheOpenIntervalOnClose() throws Exception {
        Recorder recorder = new Recorder(Duration.ofSeconds(1), Clock.systemUTC());
        Collecting sink = new Collecting();
        Series s = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a"));
        MetricsPipeline pipeline = new MetricsPipeline(recorder, sink).start();
        for (int i = 0; i < 100; i++) {
            recorder.record(s, i);
        }
        assertThat(sink.first.await(10, TimeUnit.SECONDS)).as("a scheduled tick published").isTrue();
        for (int i = 0; i < 50; i++) {
            recorder.record(s, i);
        }
        pipeline.close();
        assertThat(sink.closed).isTrue();
        assertThat(sink.report().samplesSent()).as("nothing recorded is left behind").isEqualTo(150);
    }
}
