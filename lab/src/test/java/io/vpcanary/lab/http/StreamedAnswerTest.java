package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.LabStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** API Gateway's response streaming limits in the lab's chunk plan (docs: response-transfer-mode, November 2025). */
class StreamedAnswerTest {

    @Test
    void theAnswerComesFirstThenChunksAtTheirInterval() {
        StreamedAnswer.Plan plan = StreamedAnswer.plan("{\"api\":\"feed\"}", new LabStream(4, 150L, 64));
        assertThat(plan.completes()).isTrue();
        assertThat(plan.chunks()).extracting(StreamedAnswer.Chunk::atNanos).containsExactly(0L,
                TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.MILLISECONDS.toNanos(450));
        assertThat(new String(plan.chunks().getFirst().data(), StandardCharsets.UTF_8)).isEqualTo("{\"api\":\"feed\"}\n");
        assertThat(plan.chunks().get(3).data()).hasSize(64);
        assertThat(new String(plan.chunks().get(3).data(), StandardCharsets.UTF_8)).startsWith("{\"chunk\":4,\"of\":4,");
    }

    @Test
    void aGapOverFiveMinutesCutsTheStreamAtTheIdleTimeout() {
        StreamedAnswer.Plan plan = StreamedAnswer.plan("{}", new LabStream(3, TimeUnit.MINUTES.toMillis(6), 64));
        assertThat(plan.completes()).isFalse();
        assertThat(plan.chunks()).hasSize(1);
        assertThat(plan.cutAtNanos()).isEqualTo(TimeUnit.MINUTES.toNanos(5));
    }

    @Test
    void aStreamEndsAtFifteenMinutes() {
        StreamedAnswer.Plan plan = StreamedAnswer.plan("{}", new LabStream(100, TimeUnit.MINUTES.toMillis(4), 64));
        assertThat(plan.completes()).isFalse();
        assertThat(plan.chunks()).hasSize(4); // 0, 4, 8, 12 minutes; 16 is past the limit
        assertThat(plan.cutAtNanos()).isEqualTo(StreamedAnswer.MAX_DURATION_NANOS);
    }

    @Test
    void beyondTenMegabytesTheStreamIsThrottledToTwoMegabytesASecond() {
        int chunk = 1024 * 1024;
        StreamedAnswer.Plan plan = StreamedAnswer.plan("{}", new LabStream(21, 0L, chunk));
        assertThat(plan.completes()).isTrue();
        // 10 chunks (and the answer) go at once; the 12th waits until the MiB past 10 MiB has gone at 2 MiB/s
        assertThat(plan.chunks().get(10).atNanos()).isZero();
        assertThat(plan.chunks().get(12).atNanos()).isBetween(TimeUnit.MILLISECONDS.toNanos(499),
                TimeUnit.MILLISECONDS.toNanos(501));
        assertThat(plan.chunks().get(20).atNanos()).isBetween(TimeUnit.MILLISECONDS.toNanos(4499),
                TimeUnit.MILLISECONDS.toNanos(4501));
    }
}
