package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecorderTest {

    static final Series A = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "a"));
    static final Series B = Series.of("Latency", MetricUnit.MILLISECONDS, Map.of("Api", "b"));

    @Test
    void samplesGoToEpochAlignedIntervalsPerSeries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:59.999Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        r.record(A, 1);
        clock.advance(Duration.ofMillis(1));
        r.record(A, 2);
        r.record(B, 3);
        assertThat(r.drainClosed()).singleElement().satisfies(s -> {
            assertThat(s.series()).isEqualTo(A);
            assertThat(s.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(s.count()).isEqualTo(1);
            assertThat(s.storageResolution()).isEqualTo(60);
        });
        clock.advance(Duration.ofSeconds(60));
        List<IntervalSnapshot> next = r.drainClosed();
        assertThat(next).extracting(IntervalSnapshot::series).containsExactly(A, B);
        assertThat(next).allSatisfy(s -> assertThat(s.start()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z")));
        assertThat(r.drainClosed()).isEmpty();
    }

    @Test
    void highResolutionIntervalsAndOnlyValidLengths() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:03Z"));
        Recorder r = new Recorder(Duration.ofSeconds(10), clock);
        r.record(A, 5);
        clock.advance(Duration.ofSeconds(7));
        IntervalSnapshot s = r.drainClosed().get(0);
        assertThat(s.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(s.storageResolution()).isEqualTo(1);
        assertThatThrownBy(() -> new Recorder(Duration.ofSeconds(30), clock)).hasMessageContaining("1s, 10s");
    }

    @Test
    void explicitTimesPlaceSamplesInTheirOwnInterval() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:05:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(60), clock);
        r.record(A, 7, Instant.parse("2026-01-01T00:03:30Z"));
        IntervalSnapshot s = r.drainClosed().get(0);
        assertThat(s.start()).isEqualTo(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(s.count()).isEqualTo(1);
    }

    @Test
    void refusesWhatCloudWatchRefuses() {
        Recorder r = Recorder.standard();
        assertThatThrownBy(() -> r.record(A, -1)).hasMessageContaining("not negative");
        assertThatThrownBy(() -> r.record(A, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> r.record(A, Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Series.of(" ", MetricUnit.COUNT, Map.of())).hasMessageContaining("blank");
    }

    @Test
    void concurrentRecordingWhileDrainingLosesNothing() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Recorder r = new Recorder(Duration.ofSeconds(1), clock);
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean recording = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        r.record(id % 2 == 0 ? A : B, i % 1000);
                        if (i % 5000 == 0) {
                            clock.advance(Duration.ofMillis(700));
                        }
                    }
                    return null;
                }));
            }
            List<IntervalSnapshot> drained = new ArrayList<>();
            Future<?> drainer = pool.submit(() -> {
                go.await();
                while (recording.get()) {
                    drained.addAll(r.drainClosed());
                }
                return null;
            });
            go.countDown();
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            recording.set(false);
            drainer.get(60, TimeUnit.SECONDS);
            drained.addAll(r.drainAll());
            assertThat(drained.stream().mapToLong(IntervalSnapshot::count).sum()).isEqualTo((long) threads * perThread);
            assertThat(drained.stream().map(IntervalSnapshot::start).distinct().count()).isGreaterThan(10);
        } finally {
            pool.shutdownNow();
        }
    }
}
