package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadProgressTest {

    @Test
    void aLineSaysRequestsErrorsRateP99AndTimeLeft() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T23:00:00Z"));
        LoadProgress progress = new LoadProgress(clock, Duration.ofMinutes(1));
        for (int i = 1; i <= 100; i++) {
            progress.record(i != 50, (double) i);
        }
        progress.record(false, null); // no answer: counted, no response time
        clock.advance(Duration.ofSeconds(10));
        assertThat(progress.line()).isEqualTo("vpcanary: progress 0:10 of 1:00: 101 requests, 2 errors, 10.1 req/s "
                + "now, p99 so far 99.0 ms, 50 s left");

        // the rate is taken since the previous line; p99 over everything so far
        for (int i = 0; i < 40; i++) {
            progress.record(true, 1000.0); // published as 1000.2: the median of its 0.512 ms range
        }
        clock.advance(Duration.ofSeconds(20));
        assertThat(progress.line()).isEqualTo("vpcanary: progress 0:30 of 1:00: 141 requests, 2 errors, 2.0 req/s "
                + "now, p99 so far 1000.2 ms, 30 s left");
        clock.advance(Duration.ofMinutes(2));
        assertThat(progress.line()).endsWith("p99 so far 1000.2 ms, 0 s left").contains("progress 2:30 of 1:00");
    }

    @Test
    void beforeAnyAnswerP99IsADash() {
        LoadProgress progress = new LoadProgress(new MutableClock(Instant.EPOCH), Duration.ofHours(2));
        assertThat(progress.line()).isEqualTo("vpcanary: progress 0:00 of 2:00:00: 0 requests, 0 errors, 0.0 req/s "
                + "now, p99 so far -, 7200 s left");
    }

    @Test
    void closingThePrinterPrintsALastLine() throws Exception {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        LoadProgress progress = new LoadProgress(clock, Duration.ofSeconds(5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (AutoCloseable printer = progress.printEvery(Duration.ofHours(1), out)) {
            progress.record(true, 3.0);
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("vpcanary: progress 0:05 of 0:05: 1 requests, "
                + "0 errors, 0.2 req/s now, p99 so far 3.0 ms, 0 s left" + System.lineSeparator());
    }
}
