package io.vpcanary.lab.http;

import io.vpcanary.estate.LabStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When each chunk of a streamed REST answer ({@code responseTransferMode: STREAM}) goes out, within API Gateway's
 * limits for response streaming (November 2025): at most 15 minutes in all; 5 minutes idle between chunks (regional and
 * private endpoints), after which the stream is cut; the first 10 MB unthrottled, the rest at 2 MB/s. The integration's
 * JSON answer is the first chunk, a line of its own (NDJSON); each further chunk is one JSON line
 * {@code {"chunk":i,"of":n,"pad":"..."}} of the configured size. Pure arithmetic: the front door sends the plan.
 */
final class StreamedAnswer {

    static final long MAX_DURATION_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final long IDLE_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final long UNTHROTTLED_BYTES = 10L * 1024 * 1024;
    static final long THROTTLED_BYTES_PER_SECOND = 2L * 1024 * 1024;

    /** One chunk, sent {@code atNanos} after the answer's headers. */
    record Chunk(long atNanos, byte[] data) {
    }

    /**
     * The chunks to send and, when API Gateway's limits end the stream early, when the connection is cut (the last
     * chunk never comes; -1 when the stream completes).
     */
    record Plan(List<Chunk> chunks, long cutAtNanos) {

        boolean completes() {
            return cutAtNanos < 0;
        }
    }

    private StreamedAnswer() {
    }

    static Plan plan(String firstChunk, LabStream stream) {
        List<Chunk> chunks = new ArrayList<>();
        byte[] first = (firstChunk + "\n").getBytes(StandardCharsets.UTF_8);
        chunks.add(new Chunk(0, first));
        long sent = first.length;
        long previous = 0;
        long interval = TimeUnit.MILLISECONDS.toNanos(stream.intervalMs());
        for (int i = 1; i < stream.chunks(); i++) {
            long at = previous + interval;
            if (sent > UNTHROTTLED_BYTES) {
                long throttled = (long) ((sent - UNTHROTTLED_BYTES) * 1e9 / THROTTLED_BYTES_PER_SECOND);
                at = Math.max(at, throttled);
            }
            if (at - previous > IDLE_TIMEOUT_NANOS) {
                return new Plan(List.copyOf(chunks), previous + IDLE_TIMEOUT_NANOS);
            }
            if (at > MAX_DURATION_NANOS) {
                return new Plan(List.copyOf(chunks), MAX_DURATION_NANOS);
            }
            byte[] data = line(i + 1, stream.chunks(), stream.chunkBytes());
            chunks.add(new Chunk(at, data));
            sent += data.length;
            previous = at;
        }
        return new Plan(List.copyOf(chunks), -1);
    }

    /** {@code {"chunk":i,"of":n,"pad":"xxx"}\n}, padded to {@code size} bytes when that is longer. */
    static byte[] line(int index, int of, int size) {
        String head = "{\"chunk\":" + index + ",\"of\":" + of + ",\"pad\":\"";
        String tail = "\"}\n";
        int pad = Math.max(0, size - head.length() - tail.length());
        return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.US_ASCII);
    }
}
