package io.vpcanary.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.dashboards.CloudWatchDashboards.Dashboard;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.ProbeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CloudWatchDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TARGET_DIMS = Set.copyOf(ProbeMetrics.targetDimensions("a", "c", "p", "r", "v")
            .keySet());
    private static final Set<String> API_REGION_DIMS = Set.copyOf(ProbeMetrics.apiRegionDimensions("a", "r").keySet());

    /** One plotted line: the widget's region, the metric, its dimensions and statistic. */
    record Line(String region, String namespace, String metric, Map<String, String> dims, String stat) {
    }

    static List<JsonNode> widgets(Dashboard d) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(d.bodyJson()).path("widgets").forEach(out::add);
        return out;
    }

    static List<Line> lines(Dashboard d) throws Exception {
        List<Line> out = new ArrayList<>();
        for (JsonNode w : widgets(d)) {
            JsonNode p = w.path("properties");
            for (JsonNode m : p.path("metrics")) {
                if (m.get(0).isObject()) {
                    continue;
                }
                Map<String, String> dims = new LinkedHashMap<>();
                for (int i = 2; i + 1 < m.size(); i += 2) {
                    dims.put(m.get(i).asText(), m.get(i + 1).asText());
                }
                out.add(new Line(p.path("region").asText(), m.get(0).asText(), m.get(1).asText(), dims,
                        m.get(m.size() - 1).path("stat").asText()));
            }
        }
        return out;
    }

    static List<String> searches(Dashboard d) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode w : widgets(d)) {
            for (JsonNode m : w.path("properties").path("metrics")) {
                if (m.get(0).isObject()) {
                    out.add(w.path("properties").path("region").asText() + " " + m.get(0).path("expression").asText());
                }
            }
        }
        return out;
    }

    @Test
    void theDemoFitsOneDashboardWithinCloudWatchsLimits() throws Exception {
        List<Dashboard> ds = CloudWatchDashboards.generate(EstateLoader.demo(), DashboardSettings.defaults());
        assertThat(ds).hasSize(1);
        Dashboard d = ds.get(0);
        assertThat(d.name()).isEqualTo("vpcanary");
        assertThat(CloudWatchDashboards.limitViolations(d.bodyJson())).isEmpty();
        List<JsonNode> ws = widgets(d);
        assertThat(d.widgetCount()).isEqualTo(ws.size()).isBetween(10, CloudWatchDashboards.MAX_WIDGETS);
        for (JsonNode w : ws) {
            assertThat(w.path("x").asInt() + w.path("width").asInt()).isLessThanOrEqualTo(24);
            if (w.path("type").asText().equals("metric")) {
                assertThat(w.path("properties").path("period").asInt()).isEqualTo(60);
                assertThat(w.path("properties").path("region").asText()).isIn("us-east-1", "us-west-2");
            }
        }
        // widgets never overlap
        Set<String> cells = new TreeSet<>();
        for (JsonNode w : ws) {
            for (int x = w.path("x").asInt(); x < w.path("x").asInt() + w.path("width").asInt(); x++) {
                for (int y = w.path("y").asInt(); y < w.path("y").asInt() + w.path("height").asInt(); y++) {
                    assertThat(cells.add(x + "," + y)).as("cell %d,%d used twice", x, y).isTrue();
                }
            }
        }
    }

    @Test
    void everyTargetOfThePlanHasItsSuccessLatencyAndPhaseLinesInItsApiRegion() throws Exception {
        Estate demo = EstateLoader.demo();
        List<Line> lines = lines(CloudWatchDashboards.generate(demo, DashboardSettings.defaults()).get(0));
        List<Target> targets = CanaryPlan.onAws(demo);
        assertThat(targets).hasSizeGreaterThan(20);
        for (Target t : targets) {
            Map<String, String> dims = ProbeMetrics.targetDimensions(t.api(), t.check(), t.accessPath().name(),
                    t.region(), t.vantage());
            assertThat(lines).as(t.id()).contains(new Line(t.region(), "vpcanary", ProbeMetrics.SUCCESS, dims,
                    "Average"));
            for (String p : List.of("p50", "p90", "p99", "p99.9")) {
                assertThat(lines).as(t.id()).contains(new Line(t.region(), "vpcanary", ProbeMetrics.LATENCY, dims, p));
            }
            for (String phase : List.of(ProbeMetrics.DNS, ProbeMetrics.CONNECT, ProbeMetrics.TLS, ProbeMetrics.TTFB)) {
                assertThat(lines).as(t.id()).contains(new Line(t.region(), "vpcanary", phase, dims, "p50"));
            }
            assertThat(lines).contains(new Line(t.region(), "vpcanary", ProbeMetrics.CERT_DAYS,
                    Map.of(ProbeMetrics.D_HOST, t.url().getHost()), "Minimum"));
        }
        // the overview: success ratio and p99 of each API and region's rollup
        for (Target t : targets) {
            Map<String, String> rollup = ProbeMetrics.apiRegionDimensions(t.api(), t.region());
            assertThat(lines).contains(new Line(t.region(), "vpcanary", ProbeMetrics.SUCCESS, rollup, "Average"),
                    new Line(t.region(), "vpcanary", ProbeMetrics.LATENCY, rollup, "p99"));
        }
    }

    @Test
    void everySeriesReadIsACatalogueSeriesAndNoPercentileIsOfPercentiles() throws Exception {
        Dashboard d = CloudWatchDashboards.generate(Estates.demoWithOrdersFailover(), DashboardSettings.defaults())
                .get(0);
        for (Line l : lines(d)) {
            Set<String> dims = l.dims().keySet();
            switch (l.metric()) {
                case ProbeMetrics.LATENCY, ProbeMetrics.SUCCESS ->
                        assertThat(dims).as(l.toString()).isIn(TARGET_DIMS, API_REGION_DIMS);
                case ProbeMetrics.DNS, ProbeMetrics.CONNECT, ProbeMetrics.TLS, ProbeMetrics.TTFB,
                     ProbeMetrics.MESSAGE_ROUND_TRIP, ProbeMetrics.PUSH_LATENCY, ProbeMetrics.STREAM_FIRST_BYTE,
                     ProbeMetrics.STREAM_LAST_BYTE, ProbeMetrics.STREAM_MAX_GAP ->
                        assertThat(dims).as(l.toString()).isEqualTo(TARGET_DIMS);
                case ProbeMetrics.CERT_DAYS -> assertThat(dims).isEqualTo(Set.of(ProbeMetrics.D_HOST));
                default -> throw new AssertionError("not a series the dashboard should read directly: " + l);
            }
            if (l.stat().startsWith("p")) {
                assertThat(l.metric()).as("percentiles only of latency distributions")
                        .isIn(ProbeMetrics.LATENCY, ProbeMetrics.DNS, ProbeMetrics.CONNECT, ProbeMetrics.TLS,
                                ProbeMetrics.TTFB, ProbeMetrics.MESSAGE_ROUND_TRIP, ProbeMetrics.PUSH_LATENCY,
                                ProbeMetrics.STREAM_FIRST_BYTE, ProbeMetrics.STREAM_LAST_BYTE,
                                ProbeMetrics.STREAM_MAX_GAP);
            }
            if (l.dims().containsKey(ProbeMetrics.D_REGION)) {
                assertThat(l.region()).as("a widget reads its series in the API region").isEqualTo(l.dims()
                        .get(ProbeMetrics.D_REGION));
            }
        }
        // the only expressions are SEARCHes of the exact dimension sets of Errors, ServedRegion and CloseCodes: no
        // metric math
        assertThat(searches(d)).isNotEmpty().allSatisfy(s -> assertThat(s).matches(
                "\\S+ SEARCH\\('\\{\"vpcanary\",(Api,ErrorClass,Region\\} MetricName=\"Errors\""
                        + "|Api,Check,ServingRegion\\} MetricName=\"ServedRegion\""
                        + "|Api,CloseCode,Region\\} MetricName=\"CloseCodes\").*', 'Sum', 60\\)"));
    }

    @Test
    void errorsBySearchPerRegionAndServedRegionOnlyForRoutedApis() throws Exception {
        List<String> plain = searches(CloudWatchDashboards.generate(Estates.demoWithoutRouting(),
                DashboardSettings.defaults()).get(0));
        assertThat(plain).noneMatch(s -> s.contains("ServedRegion"));
        assertThat(plain).contains("us-east-1 SEARCH('{\"vpcanary\",Api,ErrorClass,Region} MetricName=\"Errors\" "
                + "Api=\"ledger\" Region=\"us-east-1\"', 'Sum', 60)");
        List<String> routed = searches(CloudWatchDashboards.generate(Estates.demoWithOrdersFailover(),
                DashboardSettings.defaults()).get(0));
        assertThat(routed.stream().filter(s -> s.contains("ServedRegion")).toList()).containsExactly(
                "us-east-1 SEARCH('{\"vpcanary\",Api,Check,ServingRegion} MetricName=\"ServedRegion\" Api=\"orders\"',"
                        + " 'Sum', 60)",
                "us-west-2 SEARCH('{\"vpcanary\",Api,Check,ServingRegion} MetricName=\"ServedRegion\" Api=\"orders\"',"
                        + " 'Sum', 60)");
    }

    @Test
    void eachSectionOpensWithATextSayingWhatToDoWhenRed() throws Exception {
        List<JsonNode> ws = widgets(CloudWatchDashboards.generate(EstateLoader.demo(), DashboardSettings.defaults())
                .get(0));
        List<String> texts = ws.stream().filter(w -> w.path("type").asText().equals("text"))
                .map(w -> w.path("properties").path("markdown").asText()).toList();
        assertThat(texts).hasSize(6);
        assertThat(texts.get(0)).startsWith("# vpcanary: overview");
        assertThat(texts.subList(1, 6)).extracting(t -> t.lines().findFirst().orElseThrow()).containsExactly(
                "## orders (REST, PRIVATE)", "## inventory (REST, REGIONAL)", "## ledger (REST, PRIVATE)",
                "## payments (HTTP, REGIONAL)", "## live (WEBSOCKET, REGIONAL)");
        assertThat(texts).allSatisfy(t -> assertThat(t.toLowerCase()).contains("red"));
        assertThat(texts.get(1)).contains("above the checks' budget of 2000 ms");
    }

    @Test
    void anEstateTooLargeForOneDashboardIsSplitIntoAnOverviewAndLinkedPerApiDashboards() throws Exception {
        Estate large = Estates.demoWithApis(60);
        List<Dashboard> ds = CloudWatchDashboards.generate(large, DashboardSettings.defaults());
        assertThat(ds).hasSize(61);
        int total = ds.stream().mapToInt(Dashboard::widgetCount).sum();
        assertThat(total).as("the estate needs more than one dashboard").isGreaterThan(CloudWatchDashboards.MAX_WIDGETS);
        for (Dashboard d : ds) {
            assertThat(CloudWatchDashboards.limitViolations(d.bodyJson())).as(d.name()).isEmpty();
        }
        assertThat(ds.get(0).name()).isEqualTo("vpcanary");
        String overview = ds.get(0).bodyJson();
        for (int i = 0; i < 60; i++) {
            Dashboard api = ds.get(i + 1);
            String apiName = large.apis().get(i).name();
            assertThat(api.name()).isEqualTo("vpcanary-" + apiName);
            assertThat(overview).contains("(#dashboards:name=" + api.name() + ")");
            assertThat(api.bodyJson()).contains("(#dashboards:name=vpcanary)").contains("## " + apiName + " (");
        }
        // the overview has one success line per API and region, in graphs of at most 100 lines
        long rollups = lines(ds.get(0)).stream().filter(l -> l.metric().equals(ProbeMetrics.SUCCESS)).count();
        assertThat(rollups).isEqualTo(CanaryPlan.onAws(large).stream().map(t -> t.api() + t.region()).distinct()
                .count());
    }

    @Test
    void limitViolationsNamesWhatCloudWatchWouldRefuse() {
        String body = "{\"widgets\":[{\"type\":\"metric\",\"x\":20,\"y\":0,\"width\":6,\"height\":6,"
                + "\"properties\":{\"period\":90,\"metrics\":[]}}]}";
        assertThat(CloudWatchDashboards.limitViolations(body)).containsExactly(
                "widget 0 is off the 24-column grid (x 20, width 6)", "widget 0 names no region",
                "widget 0 has period 90, not a positive multiple of 60");
        StringBuilder many = new StringBuilder("{\"widgets\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"x\":0,\"y\":").append(i)
                    .append(",\"width\":24,\"height\":1,\"properties\":{\"markdown\":\"x\"}}");
        }
        assertThat(CloudWatchDashboards.limitViolations(many + "]}")).containsExactly("501 widgets, more than 500");
    }

    @Test
    void theNamespaceIsTheOneGiven() throws Exception {
        Dashboard d = CloudWatchDashboards.generate(EstateLoader.demo(),
                new DashboardSettings(ProbeMetrics.LOAD_NAMESPACE, "load", 300)).get(0);
        assertThat(lines(d)).allMatch(l -> l.namespace().equals("vpcanary/load"));
        assertThat(searches(d)).allMatch(s -> s.contains("SEARCH('{\"vpcanary/load\",") && s.endsWith(", 300)"));
    }

    @Test
    void settingsCloudWatchWouldRefuseAreOneLine() {
        assertThatThrownBy(() -> new DashboardSettings("vpcanary", "vpcanary", 90))
                .hasMessage("the period must be a positive multiple of 60 seconds, got 90");
        assertThatThrownBy(() -> new DashboardSettings("vpcanary", "my board", 60))
                .hasMessage("the dashboard name may hold only letters, digits, - and _ (1 to 180), got 'my board'");
        assertThatThrownBy(() -> new DashboardSettings(" ", "vpcanary", 60))
                .hasMessage("the metric namespace must not be blank");
    }

    /**
     * A WebSocket API gets its round trips and pushes per target and its close codes per region; a streaming API its
     * stream series; other APIs neither (the demo's live API, the full demo's feed API).
     */
    @Test
    void webSocketAndStreamingApisGetTheirOwnSeries() throws Exception {
        Dashboard demo = CloudWatchDashboards.generate(EstateLoader.demo(), DashboardSettings.defaults()).get(0);
        List<Line> demoLines = lines(demo);
        assertThat(demoLines).filteredOn(l -> l.metric().equals(ProbeMetrics.MESSAGE_ROUND_TRIP))
                .isNotEmpty().allSatisfy(l -> assertThat(l.dims().get("Api")).isEqualTo("live"))
                .extracting(Line::stat).containsOnly("p50", "p99");
        assertThat(demoLines).filteredOn(l -> l.metric().equals(ProbeMetrics.PUSH_LATENCY))
                .as("only the check that pushes").isNotEmpty()
                .allSatisfy(l -> assertThat(l.dims().get("Check")).isEqualTo("echo-and-push"));
        assertThat(searches(demo)).filteredOn(q -> q.contains("CloseCodes")).containsExactly(
                "us-east-1 SEARCH('{\"vpcanary\",Api,CloseCode,Region} MetricName=\"CloseCodes\" Api=\"live\" "
                        + "Region=\"us-east-1\"', 'Sum', 60)");
        assertThat(demoLines).noneMatch(l -> l.metric().startsWith("Stream"));

        List<Line> full = lines(CloudWatchDashboards.generate(EstateLoader.fullDemo(), DashboardSettings.defaults())
                .get(0));
        assertThat(full).filteredOn(l -> l.metric().startsWith("Stream")).isNotEmpty()
                .allSatisfy(l -> assertThat(l.dims().get("Api")).isEqualTo("feed"))
                .extracting(Line::metric).containsOnly(ProbeMetrics.STREAM_FIRST_BYTE, ProbeMetrics.STREAM_LAST_BYTE,
                        ProbeMetrics.STREAM_MAX_GAP);
        assertThat(full).noneMatch(l -> l.metric().equals(ProbeMetrics.MESSAGE_ROUND_TRIP));
    }
}
