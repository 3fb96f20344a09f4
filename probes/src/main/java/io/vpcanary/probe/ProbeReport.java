package io.vpcanary.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ProbeRun}: a table for the terminal and a JSON document. Both are documented with examples in
 * {@code docs/probe.md}.
 *
 * <p>The table has one row per check (API, CHECK, ACCESS PATH, REGION, FROM, STATUS, CLASS, DNS ms, CONN ms, TLS ms,
 * TTFB ms, TOTAL ms, RESULT); CLASS shows the expected class of a negative check as {@code CLASS (want EXPECTED)}.
 * Timings are printed with one decimal (the JSON keeps microseconds); {@code -} marks a phase that did not happen.
 * Below the table, one line per failed check gives its message and request id, then a summary line.
 *
 * <p>The JSON is an object {@code {startedAt, elapsedMs, summary: {total, passed, failed}, checks: [...]}} with one
 * object per check holding every field of {@link Outcome}; absent values are {@code null}, never left out.
 */
public final class ProbeReport {

    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final String[] HEADER = {"API", "CHECK", "ACCESS PATH", "REGION", "FROM", "STATUS", "CLASS",
            "DNS ms", "CONN ms", "TLS ms", "TTFB ms", "TOTAL ms", "RESULT"};
    /** Columns 7.. are numbers: right-aligned. */
    private static final int FIRST_NUMBER_COLUMN = 7;

    private ProbeReport() {
    }

    /** The terminal table, failure details and summary, ending with a newline. */
    public static String table(ProbeRun run) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Outcome o : run.outcomes()) {
            rows.add(new String[] {
                    o.api(), o.check(), String.valueOf(o.accessPath()), o.region(), o.vantage(),
                    o.status() == null ? "-" : o.status().toString(),
                    classCell(o),
                    ms(o.phases().dnsMs()), ms(o.phases().connectMs()), ms(o.phases().tlsMs()),
                    ms(o.phases().ttfbMs()), ms(o.phases().totalMs()),
                    o.passed() ? "PASS" : "FAIL"});
        }
        int[] widths = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                boolean right = i >= FIRST_NUMBER_COLUMN && i < HEADER.length - 1;
                String cell = r[i];
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(right ? pad + cell : cell + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        for (Outcome o : run.outcomes()) {
            if (!o.passed()) {
                sb.append("FAIL ").append(o.id()).append(": ").append(o.message() == null ? "" : o.message());
                if (o.requestId() != null) {
                    sb.append(" [request id ").append(o.requestId()).append(']');
                }
                sb.append('\n');
            }
        }
        sb.append(run.outcomes().size()).append(" checks: ").append(run.passedCount()).append(" passed, ")
                .append(run.failedCount()).append(" failed\n");
        return sb.toString();
    }

    private static String classCell(Outcome o) {
        String actual = o.errorClass() == null ? "-" : o.errorClass().name();
        return o.expectedErrorClass() == null ? actual : actual + " (want " + o.expectedErrorClass() + ")";
    }

    private static String ms(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The JSON document of {@code run}. */
    public static String json(ProbeRun run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", run.startedAt().toString());
        root.put("elapsedMs", run.elapsed().toNanos() / 1_000_000.0);
        ObjectNode summary = root.putObject("summary");
        summary.put("total", run.outcomes().size());
        summary.put("passed", run.passedCount());
        summary.put("failed", run.failedCount());
        ArrayNode checks = root.putArray("checks");
        run.outcomes().forEach(o -> checks.add(JSON.valueToTree(o)));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the probe report as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #json(ProbeRun)} to {@code file} atomically (readers never see half a report). */
    public static void writeJson(ProbeRun run, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".probe-report", ".tmp");
        try {
            Files.writeString(tmp, json(run), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
