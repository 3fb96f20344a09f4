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
                    o.api(), o.check(), o.accessPath() + (o.ipFamily() == null ? "" : " " + o.ipFamily()), o.region(),
                    o.vantage(),
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
            WebSocketExchange ws = o.webSocket();
            if (ws != null) {
                List<String> trips = ws.roundTripsMs().stream().map(ProbeReport::ms).toList();
                sb.append("WEBSOCKET ").append(o.id()).append(": ")
                        .append(trips.isEmpty() ? "no messages" : "round trips " + String.join(", ", trips) + " ms")
                        .append(ws.pushMs() == null ? "" : "; push " + ms(ws.pushMs()) + " ms")
                        .append(ws.closeCode() == null ? "; no close" : "; closed " + ws.closeCode())
                        .append('\n');
            }
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

    /**
     * The negative-auth matrix section of the terminal report: {@code auth matrix:}, the table of refusal probes as
     * {@link #table(ProbeRun)} renders it, then one line per API: {@code AUTH {api} ({type}): auth enforced} or
     * {@code AUTH NOT ENFORCED (security finding)} with the refusals answered 2xx, or {@code auth not proven} with the
     * refusals that got neither 2xx nor 401/403.
     */
    public static String table(AuthMatrix.Result matrix) {
        StringBuilder sb = new StringBuilder("auth matrix:\n");
        sb.append(table(matrix.run()));
        for (AuthMatrix.ApiVerdict v : matrix.apis()) {
            sb.append("AUTH ").append(v.api()).append(" (").append(v.auth()).append("): ").append(v.verdict());
            if (!v.findings().isEmpty()) {
                sb.append(": answered 2xx to ").append(String.join(", ", v.findings()));
            }
            if (!v.unproven().isEmpty()) {
                sb.append(v.findings().isEmpty() ? ": " : "; ").append("no 401/403 to ")
                        .append(String.join(", ", v.unproven()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The JSON document of {@code run}. */
    public static String json(ProbeRun run) {
        return json(run, null);
    }

    /**
     * The JSON document of {@code run}, with an {@code authMatrix} member when {@code matrix} is not null:
     * {@code {passed, securityFinding, apis: [{api, auth, status, verdict, findings, unproven}], checks: [...]}}, the
     * checks being the refusal probes' outcomes in the same form as the run's.
     */
    public static String json(ProbeRun run, AuthMatrix.Result matrix) {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", run.startedAt().toString());
        root.put("elapsedMs", run.elapsed().toNanos() / 1_000_000.0);
        ObjectNode summary = root.putObject("summary");
        summary.put("total", run.outcomes().size());
        summary.put("passed", run.passedCount());
        summary.put("failed", run.failedCount());
        ArrayNode checks = root.putArray("checks");
        run.outcomes().forEach(o -> checks.add(JSON.valueToTree(o)));
        if (matrix != null) {
            ObjectNode m = root.putObject("authMatrix");
            m.put("passed", matrix.passed());
            m.put("securityFinding", matrix.securityFinding());
            ArrayNode apis = m.putArray("apis");
            matrix.apis().forEach(v -> apis.add(JSON.valueToTree(v)));
            ArrayNode refusals = m.putArray("checks");
            matrix.run().outcomes().forEach(o -> refusals.add(JSON.valueToTree(o)));
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the probe report as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #json(ProbeRun)} to {@code file} atomically (readers never see half a report). */
    public static void writeJson(ProbeRun run, Path file) throws IOException {
        writeJson(run, null, file);
    }

    /** Writes {@link #json(ProbeRun, AuthMatrix.Result)} to {@code file} atomically. */
    public static void writeJson(ProbeRun run, AuthMatrix.Result matrix, Path file) throws IOException {
        writeAtomically(json(run, matrix), file);
    }

    /** Writes {@code text} to {@code file} atomically: readers see the old report or the new one, never half. */
    private static void writeAtomically(String text, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".probe-report", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The run (and the auth matrix, when given) as JUnit XML, the report format CI systems read: one
     * {@code testsuite} for the checks and one for the matrix, one {@code testcase} per outcome named
     * {@code api/check/accessPath/region} with the vantage as its class name, and a {@code failure} carrying the error
     * class and the (redacted) message for each outcome that missed its expectation. Times are in seconds.
     */
    public static String junit(ProbeRun run, AuthMatrix.Result matrix) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        suite(sb, "vpcanary probe", run);
        if (matrix != null) {
            suite(sb, "vpcanary auth matrix", matrix.run());
        }
        return sb.append("</testsuites>\n").toString();
    }

    private static void suite(StringBuilder sb, String name, ProbeRun run) {
        sb.append("  <testsuite name=\"").append(xml(name)).append("\" tests=\"").append(run.outcomes().size())
                .append("\" failures=\"").append(run.failedCount()).append("\" errors=\"0\" skipped=\"0\" time=\"")
                .append(seconds(run.elapsed().toNanos() / 1e6)).append("\" timestamp=\"")
                .append(xml(run.startedAt().toString())).append("\">\n");
        for (Outcome o : run.outcomes()) {
            sb.append("    <testcase classname=\"").append(xml(o.vantage())).append("\" name=\"").append(xml(o.id()))
                    .append("\" time=\"").append(seconds(o.phases().totalMs())).append("\"");
            if (o.passed()) {
                sb.append("/>\n");
                continue;
            }
            String type = o.errorClass() == null ? "FAILED" : o.errorClass().name();
            sb.append(">\n      <failure type=\"").append(xml(type)).append("\" message=\"")
                    .append(xml(o.message() == null ? type : o.message())).append("\">")
                    .append(xml("status " + (o.status() == null ? "-" : o.status()) + ", url " + o.url()
                            + (o.requestId() == null ? "" : ", request id " + o.requestId())))
                    .append("</failure>\n    </testcase>\n");
        }
        sb.append("  </testsuite>\n");
    }

    private static String seconds(Double ms) {
        return ms == null ? "0" : String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
    }

    private static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Writes {@link #junit} to {@code file} atomically. */
    public static void writeJunit(ProbeRun run, AuthMatrix.Result matrix, Path file) throws IOException {
        writeAtomically(junit(run, matrix), file);
    }
}
