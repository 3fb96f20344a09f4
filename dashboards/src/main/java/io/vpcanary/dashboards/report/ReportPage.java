package io.vpcanary.dashboards.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.metrics.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: the stylesheet, the vendored Chart.js
 * ({@value #CHART_JS_VERSION}, see {@code vendor/chartjs/SOURCE}) and the page's own script are inlined, so the page
 * needs no network when viewed.
 *
 * <p>The page is a list of sections. Each shows its figures twice: as a table rendered here (every number with the
 * samples it stands for, marked {@code data-figure="..."}) and as a chart drawn by {@code report.js} from the same
 * figures (a JSON block in the page). A section without data says so in a sentence and draws no chart. The script
 * marks each chart it drew with {@code data-drawn="true"}, {@code data-points} (points or bars drawn) and
 * {@code data-painted} (pixels it painted), which the browser test reads. A section for game-day results (a
 * failover timeline with fault markers) is one more entry in {@link #sections}, from one more input.
 */
public final class ReportPage {

    /** The vendored chart library's version. */
    public static final String CHART_JS_VERSION = "4.6.1";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "/io/vpcanary/dashboards/report/";

    private final ReportModel model;
    private final boolean namespaced;
    private final ObjectNode charts = JSON.createObjectNode();

    private ReportPage(ReportModel model) {
        this.model = model;
        this.namespaced = model.severalNamespaces();
    }

    /** The page for {@code model}, generated at {@code now}. */
    public static String render(ReportModel model, Instant now) {
        return new ReportPage(model).page(now);
    }

    /** A number as the page shows it: {@value Precision#SIGNIFICANT_DIGITS} significant digits, no exponent. */
    public static String figure(double v) {
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(Precision.SIGNIFICANT_DIGITS)).stripTrailingZeros()
                .toPlainString();
    }

    /** A success ratio as the page shows it, in percent. */
    public static String percent(long passed, long samples) {
        return figure(100.0 * passed / samples) + "%";
    }

    private record Section(String id, String title, String explanation, String body) {
    }

    private String page(Instant now) {
        StringBuilder h = new StringBuilder(300_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>vpcanary report</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n<header>\n<h1>vpcanary report</h1>\n<p>Generated ")
                .append(esc(now.toString())).append(" from:</p>\n<ul class=\"sources\">\n");
        model.sources().forEach(s -> h.append("<li>").append(esc(s)).append("</li>\n"));
        h.append("</ul>\n<p class=\"precision\">Every figure is computed from recorded samples, and says how many "
                + "(<i>n</i>). Values keep ").append(Precision.SIGNIFICANT_DIGITS).append(" significant digits "
                + "(HdrHistogram, as published to CloudWatch): a value stands for its samples within 1 part in "
                + "2,000; counts are exact. Percentiles are read from the distributions merged per access path, "
                + "never averaged.</p>\n</header>\n<nav><ul>\n");
        List<Section> sections = sections();
        sections.forEach(s -> h.append("<li><a href=\"#").append(s.id()).append("\">").append(esc(s.title()))
                .append("</a></li>\n"));
        h.append("</ul></nav>\n<main>\n");
        for (Section s : sections) {
            h.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(s.title())).append("</h2>\n<p>")
                    .append(esc(s.explanation())).append("</p>\n").append(s.body()).append("</section>\n");
        }
        h.append("</main>\n<footer>Charts drawn with Chart.js ").append(CHART_JS_VERSION)
                .append(" (MIT licence), bundled in this page.</footer>\n")
                .append("<script type=\"application/json\" id=\"report-data\">")
                .append(json(charts).replace("</", "<\\/")).append("</script>\n<script>\n")
                .append(chartJs()).append("\n</script>\n<script>\n").append(resource("report.js"))
                .append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private List<Section> sections() {
        List<Section> s = new ArrayList<>();
        s.add(new Section("latency", "Latency percentiles per access path",
                "Total request time at p50 to p99.9, from the Latency distributions of every check, region and "
                        + "vantage of an access path merged into one. With n samples, every percentile above "
                        + "100·(1 − 1/n) is the largest sample.", latency()));
        s.add(new Section("success", "Success over time",
                "Share of checks that met their expectation, per interval and API (a negative check that got its "
                        + "expected refusal counts as a success), from the Success {Api, Region} samples.",
                success()));
        s.add(new Section("phases", "Phase breakdown",
                "Median of each phase per access path: DNS lookup, TCP connect, TLS handshake, time to first "
                        + "byte. A phase that did not happen (a reused connection, a failed lookup) has no sample.",
                phases()));
        s.add(new Section("errors", "Errors by class",
                "What happened on the wire, per error class and API: expected refusals of negative checks count "
                        + "here too; whether a check passed is in the success timeline.", errors()));
        s.add(new Section("served", "Served-region split",
                "Answers per API and check by the region that served them (the region an answer names).",
                served()));
        s.add(new Section("checks", "Checks of the probe runs",
                "Every check of the probe documents given, as vpcanary probe printed it.", checks()));
        s.add(new Section("failover", "Failover timeline",
                "Per second of each game day (vpcanary gameday run --json): healthy answers by the region that "
                        + "served them, and failed probes; then the timeline of the fault and the measurements "
                        + "beside the bound the configuration implies.", failover()));
        return s;
    }

    private String failover() {
        if (model.gameDays().isEmpty()) {
            return empty("No game-day results given (write them with vpcanary gameday run --json FILE, then "
                    + "--gameday FILE).");
        }
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < model.gameDays().size(); i++) {
            JsonNode g = model.gameDays().get(i).document();
            String id = "failover-" + i;
            String name = g.path("name").asText(g.path("domain").asText());
            ArrayNode datasets = chart(id, "bar");
            ArrayNode labels = ((ObjectNode) charts.get(id)).putArray("labels");
            java.util.TreeSet<String> regions = new java.util.TreeSet<>();
            g.path("seconds").forEach(x -> x.path("ok").fieldNames().forEachRemaining(regions::add));
            Map<String, ArrayNode> values = new LinkedHashMap<>();
            regions.forEach(r -> values.put(r, datasets.addObject().put("label", r + " healthy").putArray("values")));
            ArrayNode failed = datasets.addObject().put("label", "failed").putArray("values");
            g.path("seconds").forEach(x -> {
                labels.add(x.path("t").asLong() + " s");
                values.forEach((r, a) -> a.add(x.path("ok").path(r).asLong()));
                failed.add(x.path("failed").asLong());
            });
            h.append("<h3>").append(esc(name + ": " + g.path("injector").asText())).append("</h3>\n")
                    .append(canvas(id, "Answers per second by serving region, and failures: " + name));
            StringBuilder t = table("measurement", "seconds", "bound");
            t.append("</tr></thead><tbody>\n");
            String bound = g.path("bounds").path("expectedMaxSeconds").isNumber()
                    ? figure(g.path("bounds").path("expectedMaxSeconds").asDouble()) : "none";
            measurement(t, id, "time to first error", g.path("timeToFirstErrorSeconds"), "");
            measurement(t, id, "time to failover (RTO)", g.path("rtoSeconds"), bound);
            measurement(t, id, "time to failback", g.path("timeToFailbackSeconds"), "");
            t.append("</tbody></table>\n");
            h.append(t);
            StringBuilder ev = table("t (s)", "event");
            ev.append("</tr></thead><tbody>\n");
            g.path("events").forEach(e -> ev.append("<tr><td>").append(esc(figure(e.path("t").asDouble())))
                    .append("</td><td>").append(esc(e.path("what").asText())).append("</td></tr>\n"));
            h.append(ev.append("</tbody></table>\n"));
            h.append("<p>").append(esc(g.path("restored").asBoolean() ? "Restored: " + g.path("restoreDetail")
                    .asText() : "NOT RESTORED: " + g.path("restoreDetail").asText())).append("</p>\n");
        }
        return h.toString();
    }

    private static void measurement(StringBuilder t, String id, String what, JsonNode v, String bound) {
        t.append("<tr><th>").append(esc(what)).append("</th>")
                .append(cell(id + ":" + what, v.isNumber() ? figure(v.asDouble()) : "not seen"))
                .append("<td>").append(esc(bound)).append("</td></tr>\n");
    }

    private String latency() {
        if (model.latency().isEmpty()) {
            return empty("No Latency distributions in the given files (write them with --publish local "
                    + "--metrics-file FILE).");
        }
        ArrayNode datasets = chart("latency", "line");
        StringBuilder t = table("access path", "n", "min");
        ReportModel.PERCENTILES.forEach(p -> t.append("<th>").append(pLabel(p)).append("</th>"));
        t.append("<th>max</th></tr></thead><tbody>\n");
        for (ReportModel.LatencyCurve c : model.latency()) {
            String key = key(c.namespace(), c.accessPath());
            ObjectNode ds = datasets.addObject().put("label", label(c.namespace(), c.accessPath()));
            ArrayNode pts = ds.putArray("points");
            c.points().forEach(p -> pts.addObject().put("p", p.percentile()).put("v", num(p.value())));
            t.append("<tr><th>").append(esc(label(c.namespace(), c.accessPath()))).append("</th>")
                    .append(cell("latency:" + key + ":n", Long.toString(c.samples())))
                    .append(cell("latency:" + key + ":min", figure(c.min())));
            c.points().forEach(p -> t.append(cell("latency:" + key + ":" + pLabel(p.percentile()),
                    figure(p.value()))));
            t.append(cell("latency:" + key + ":max", figure(c.max()))).append("</tr>\n");
        }
        return canvas("latency", "Latency (ms) by percentile") + t.append("</tbody></table>\n").toString()
                + "<p class=\"unit\">Milliseconds.</p>\n";
    }

    private String success() {
        if (model.success().isEmpty()) {
            return empty("No Success samples in the given files (write them with --publish local "
                    + "--metrics-file FILE).");
        }
        ArrayNode datasets = chart("success", "line");
        TreeSet<Instant> starts = new TreeSet<>();
        model.success().forEach(s -> s.points().forEach(p -> starts.add(p.start())));
        ArrayNode labels = ((ObjectNode) charts.get("success")).putArray("labels");
        starts.forEach(i -> labels.add(i.toString()));
        StringBuilder t = table("API", "interval", "passed", "n", "success");
        t.append("</tr></thead><tbody>\n");
        for (ReportModel.SuccessSeries s : model.success()) {
            String key = key(s.namespace(), s.api());
            ObjectNode ds = datasets.addObject().put("label", label(s.namespace(), s.api()));
            ArrayNode pts = ds.putArray("points");
            for (ReportModel.SuccessPoint p : s.points()) {
                pts.addObject().put("x", p.start().toString()).put("v", num(100.0 * p.ratio()))
                        .put("n", p.samples());
                t.append("<tr><th>").append(esc(label(s.namespace(), s.api()))).append("</th><td>")
                        .append(esc(p.start().toString())).append("</td>")
                        .append(cell("success:" + key + ":" + p.start() + ":passed", Long.toString(p.passed())))
                        .append(cell("success:" + key + ":" + p.start() + ":n", Long.toString(p.samples())))
                        .append(cell("success:" + key + ":" + p.start() + ":ratio",
                                percent(p.passed(), p.samples()))).append("</tr>\n");
            }
            t.append("<tr class=\"total\"><th>").append(esc(label(s.namespace(), s.api())))
                    .append("</th><td>all</td>")
                    .append(cell("success:" + key + ":passed", Long.toString(s.passed())))
                    .append(cell("success:" + key + ":n", Long.toString(s.samples())))
                    .append(cell("success:" + key + ":ratio", percent(s.passed(), s.samples()))).append("</tr>\n");
        }
        return canvas("success", "Success (%) per interval") + t.append("</tbody></table>\n").toString();
    }

    private String phases() {
        if (model.phases().isEmpty()) {
            return empty("No phase distributions (DnsTime, ConnectTime, TlsTime, TimeToFirstByte) in the given "
                    + "files.");
        }
        ArrayNode datasets = chart("phases", "bar");
        ArrayNode labels = ((ObjectNode) charts.get("phases")).putArray("labels");
        model.phases().forEach(r -> labels.add(label(r.namespace(), r.accessPath())));
        Map<String, ArrayNode> values = new LinkedHashMap<>();
        ReportModel.PHASES.forEach((metric, name) -> values.put(metric,
                datasets.addObject().put("label", name + " median").putArray("values")));
        StringBuilder t = table("access path");
        ReportModel.PHASES.values().forEach(n -> t.append("<th>").append(esc(n)).append(" median</th><th>n</th>"));
        t.append("</tr></thead><tbody>\n");
        for (ReportModel.PhaseRow r : model.phases()) {
            String key = key(r.namespace(), r.accessPath());
            t.append("<tr><th>").append(esc(label(r.namespace(), r.accessPath()))).append("</th>");
            r.medians().forEach((metric, m) -> {
                String name = ReportModel.PHASES.get(metric);
                if (m.samples() == 0) {
                    values.get(metric).addNull();
                    t.append("<td>-</td>").append(cell("phase:" + key + ":" + name + ":n", "0"));
                } else {
                    values.get(metric).add(num(m.median()));
                    t.append(cell("phase:" + key + ":" + name, figure(m.median())))
                            .append(cell("phase:" + key + ":" + name + ":n", Long.toString(m.samples())));
                }
            });
            t.append("</tr>\n");
        }
        return canvas("phases", "Median phase time (ms) per access path") + t.append("</tbody></table>\n")
                + "<p class=\"unit\">Milliseconds; medians of different phases do not add up to the median total."
                + "</p>\n";
    }

    private String errors() {
        if (model.errors().isEmpty()) {
            return empty("No errors recorded in the given files: every request got an answer without an error "
                    + "class" + (model.latency().isEmpty() ? " (or no metric file was given)." : "."));
        }
        return counts("errors", model.errors(), "API", "error class", "Errors per class, stacked by API",
                ReportModel.Count::label, ReportModel.Count::group);
    }

    private String served() {
        if (model.served().isEmpty()) {
            return empty("No answers naming their region in the given files (ServedRegion is recorded for answers "
                    + "whose JSON body has a region field).");
        }
        return counts("served", model.served(), "API/check", "serving region",
                "Answers per API/check, stacked by serving region", ReportModel.Count::group,
                ReportModel.Count::label);
    }

    /** A stacked bar chart of counts: one bar per {@code bar} value, one dataset per {@code stack} value. */
    private String counts(String id, List<ReportModel.Count> counts, String groupName, String labelName,
                          String caption, Function<ReportModel.Count, String> bar,
                          Function<ReportModel.Count, String> stack) {
        ArrayNode datasets = chart(id, "bar");
        List<String> bars = new ArrayList<>();
        List<String> stacks = new ArrayList<>();
        for (ReportModel.Count c : counts) {
            String b = label(c.namespace(), bar.apply(c));
            if (!bars.contains(b)) {
                bars.add(b);
            }
            if (!stacks.contains(stack.apply(c))) {
                stacks.add(stack.apply(c));
            }
        }
        ArrayNode labels = ((ObjectNode) charts.get(id)).putArray("labels");
        bars.forEach(labels::add);
        for (String st : stacks) {
            ArrayNode values = datasets.addObject().put("label", st).putArray("values");
            for (String b : bars) {
                long n = counts.stream().filter(c -> label(c.namespace(), bar.apply(c)).equals(b)
                        && stack.apply(c).equals(st)).mapToLong(ReportModel.Count::samples).sum();
                if (n == 0) {
                    values.addNull();
                } else {
                    values.add(n);
                }
            }
        }
        StringBuilder t = table(groupName, labelName, "n");
        t.append("</tr></thead><tbody>\n");
        for (ReportModel.Count c : counts) {
            t.append("<tr><th>").append(esc(label(c.namespace(), c.group()))).append("</th><td>")
                    .append(esc(c.label())).append("</td>")
                    .append(cell(id + ":" + key(c.namespace(), c.group()) + ":" + c.label(),
                            Long.toString(c.samples()))).append("</tr>\n");
        }
        return canvas(id, caption) + t.append("</tbody></table>\n");
    }

    private String checks() {
        if (model.checks().isEmpty()) {
            return empty("No probe documents given (write one with vpcanary probe --json FILE and give it with "
                    + "--probe FILE).");
        }
        StringBuilder t = table("file", "API", "check", "access path", "region", "from", "status", "class",
                "total ms", "result");
        t.append("</tr></thead><tbody>\n");
        long passed = 0;
        for (ReportModel.CheckRow c : model.checks()) {
            passed += c.passed() ? 1 : 0;
            String cls = c.errorClass() == null ? "-" : c.errorClass();
            if (c.expectedErrorClass() != null) {
                cls += " (want " + c.expectedErrorClass() + ")";
            }
            t.append("<tr class=\"").append(c.passed() ? "pass" : "fail").append("\"><td>").append(esc(c.file()))
                    .append("</td><td>").append(esc(c.api())).append("</td><td>").append(esc(c.check()))
                    .append("</td><td>").append(esc(c.accessPath())).append("</td><td>").append(esc(c.region()))
                    .append("</td><td>").append(esc(c.vantage())).append("</td><td>")
                    .append(esc(c.status() == null ? "-" : c.status())).append("</td><td>").append(esc(cls))
                    .append("</td><td class=\"num\">").append(c.totalMs() == null ? "-" : figure(c.totalMs()))
                    .append("</td><td>").append(c.passed() ? "PASS" : "FAIL").append("</td></tr>\n");
        }
        t.append("</tbody></table>\n");
        return "<p class=\"summary\"><span data-figure=\"checks:passed\">" + passed + "</span> of <span "
                + "data-figure=\"checks:n\">" + model.checks().size() + "</span> checks passed.</p>\n" + t;
    }

    private ArrayNode chart(String id, String type) {
        return charts.putObject(id).put("type", type).putArray("datasets");
    }

    private static String canvas(String id, String caption) {
        return "<figure><div class=\"chart\" data-chart=\"" + id + "\" data-drawn=\"false\"><canvas "
                + "aria-label=\"" + esc(caption) + "\" role=\"img\"></canvas></div><figcaption>" + esc(caption)
                + "</figcaption></figure>\n";
    }

    private static String empty(String text) {
        return "<p class=\"empty\" data-empty=\"true\">" + esc(text) + "</p>\n";
    }

    private static StringBuilder table(String... headers) {
        StringBuilder t = new StringBuilder("<table><thead><tr>");
        for (String header : headers) {
            t.append("<th>").append(esc(header)).append("</th>");
        }
        return t;
    }

    private static String cell(String figure, String text) {
        return "<td class=\"num\" data-figure=\"" + esc(figure) + "\">" + esc(text) + "</td>";
    }

    private String label(String namespace, String name) {
        return namespaced ? name + " (" + namespace + ")" : name;
    }

    private static String key(String namespace, String name) {
        return namespace + ":" + name;
    }

    /** A chart value: the figure the table shows, so chart and table agree. */
    private static double num(double v) {
        return Double.parseDouble(figure(v));
    }

    static String pLabel(double p) {
        return "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p));
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The vendored library, without its sourceMappingURL comment (the map is not bundled). */
    private static String chartJs() {
        return resource("vendor/chartjs/chart.umd.min.js").replaceAll("(?m)^//# sourceMappingURL=.*$", "");
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
