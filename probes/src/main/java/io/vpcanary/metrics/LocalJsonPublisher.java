package io.vpcanary.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Appends one JSON object per line and per snapshot to a local file, for lab runs and the HTML report. Each line
 * carries the series, the interval and the distribution twice: as {@code values}/{@code counts} (what CloudWatch would
 * receive) and as {@code hdr}, HdrHistogram's compressed encoding in base64, from which {@link LocalJsonReader}
 * rebuilds the exact histogram so that reports merge distributions instead of averaging percentiles.
 *
 * <pre>{"namespace":"vpcanary","metric":"Latency","unit":"Milliseconds","dimensions":{"Api":"orders",...},
 *  "timestamp":"2026-01-01T00:00:00Z","intervalSeconds":60,"storageResolution":60,"count":3,"min":1.2,"max":9.8,
 *  "sum":14.1,"values":[...],"counts":[...],"scale":1000.0,"significantDigits":3,"hdr":"HISTFAA..."}</pre>
 * {@code min}, {@code max} and {@code sum} are computed from the published values, like CloudWatch would.
 */
public final class LocalJsonPublisher implements Publisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final BufferedWriter writer;
    private long lines;
    private long samples;

    /** Appends to {@code file}, creating it and its parent directories when missing. */
    public LocalJsonPublisher(String namespace, Path file) throws IOException {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** The JSON line for one snapshot. */
    public static ObjectNode line(String namespace, IntervalSnapshot s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("namespace", namespace);
        n.put("metric", s.series().name());
        n.put("unit", s.series().unit().cloudWatchName());
        ObjectNode dims = n.putObject("dimensions");
        s.series().dimensions().forEach(dims::put);
        n.put("timestamp", s.start().toString());
        n.put("intervalSeconds", s.length().toSeconds());
        n.put("storageResolution", s.storageResolution());
        n.put("count", s.count());
        var values = n.putArray("values");
        var counts = n.putArray("counts");
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (Datum d : DistributionEncoder.encode(s, Integer.MAX_VALUE)) {
            double[] v = d.values();
            double[] c = d.counts();
            for (int i = 0; i < v.length; i++) {
                values.add(v[i]);
                counts.add((long) c[i]);
                min = Math.min(min, v[i]);
                max = Math.max(max, v[i]);
                sum += v[i] * c[i];
            }
        }
        n.put("min", min);
        n.put("max", max);
        n.put("sum", sum);
        n.put("scale", Precision.SCALE);
        n.put("significantDigits", Precision.SIGNIFICANT_DIGITS);
        Histogram h = s.histogram();
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf);
        byte[] bytes = new byte[len];
        buf.flip();
        buf.get(bytes);
        n.put("hdr", Base64.getEncoder().encodeToString(bytes));
        return n;
    }

    @Override
    public synchronized void publish(List<IntervalSnapshot> snapshots) {
        try {
            for (IntervalSnapshot s : snapshots) {
                writer.write(line(namespace, s).toString());
                writer.newLine();
                lines++;
                samples += s.count();
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized PublishReport report() {
        return new PublishReport(lines, lines, samples, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
