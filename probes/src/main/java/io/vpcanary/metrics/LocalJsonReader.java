package io.vpcanary.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Reads what {@link LocalJsonPublisher} wrote, rebuilding each interval's exact histogram. */
public final class LocalJsonReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line: its namespace and snapshot. */
    public record Entry(String namespace, IntervalSnapshot snapshot) {
    }

    private LocalJsonReader() {
    }

    /**
     * Every line of {@code file}.
     *
     * @throws IOException when the file cannot be read, or a line is not a metrics line (the message names the line)
     */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse(line));
                } catch (RuntimeException | IOException | DataFormatException e) {
                    throw new IOException(file + ":" + no + ": not a vpcanary metrics line: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static Entry parse(String line) throws IOException, DataFormatException {
        JsonNode n = JSON.readTree(line);
        TreeMap<String, String> dims = new TreeMap<>();
        n.required("dimensions").properties().forEach(e -> dims.put(e.getKey(), e.getValue().asText()));
        MetricUnit unit = null;
        for (MetricUnit u : MetricUnit.values()) {
            if (u.cloudWatchName().equals(n.required("unit").asText())) {
                unit = u;
            }
        }
        if (unit == null) {
            throw new IllegalArgumentException("unknown unit " + n.get("unit"));
        }
        if (n.required("scale").asDouble() != Precision.SCALE) {
            throw new IllegalArgumentException("scale " + n.get("scale") + " is not " + Precision.SCALE);
        }
        byte[] hdr = Base64.getDecoder().decode(n.required("hdr").asText());
        Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(hdr), 0);
        Series series = new Series(n.required("metric").asText(), unit, dims);
        return new Entry(n.required("namespace").asText(), new IntervalSnapshot(series,
                Instant.parse(n.required("timestamp").asText()),
                Duration.ofSeconds(n.required("intervalSeconds").asLong()), h));
    }
}
