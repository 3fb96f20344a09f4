package io.vpcanary.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard, validated structurally (no Grafana server here). */
class GrafanaDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static void assertValid(JsonNode d) {
        assertThat(d.path("schemaVersion").asInt()).isEqualTo(GrafanaDashboards.SCHEMA_VERSION);
        assertThat(d.path("uid").asText()).isNotBlank().hasSizeLessThanOrEqualTo(40);
        assertThat(d.path("templating").path("list").get(0).path("query").asText()).isEqualTo("cloudwatch");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            JsonNode g = p.path("gridPos");
            assertThat(g.path("x").asInt()).isNotNegative();
            assertThat(g.path("w").asInt()).isPositive();
            assertThat(g.path("h").asInt()).isPositive();
            assertThat(g.path("x").asInt() + g.path("w").asInt()).as(p.path("title").asText()).isLessThanOrEqualTo(24);
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("type").asText()).isEqualTo("cloudwatch");
                assertThat(t.path("region").asText()).as(p.path("title").asText()).isNotBlank();
                assertThat(t.path("namespace").asText()).isNotBlank();
                assertThat(t.path("metricName").asText()).isNotBlank();
                assertThat(t.path("statistic").asText()).isNotBlank();
                assertThat(refIds.add(t.path("refId").asText())).isTrue();
                if (t.path("metricEditorMode").asInt() == 1) {
                    assertThat(t.path("expression").asText()).startsWith("SEARCH(");
                } else {
                    assertThat(t.path("dimensions").size()).isPositive();
                }
            }
            if (p.path("type").asText().matches("timeseries|stat")) {
                assertThat(p.path("targets").size()).isPositive();
            }
        }
    }

    @Test
    void theDemoDashboardIsStructurallyValidAndDrawsTheCloudWatchDashboardsGraphs() throws Exception {
        Estate demo = EstateLoader.demo();
        JsonNode d = JSON.readTree(GrafanaDashboards.generate(demo, DashboardSettings.defaults()));
        assertValid(d);
        assertThat(d.path("title").asText()).isEqualTo("vpcanary");
        List<String> rows = new ArrayList<>();
        List<String> graphs = new ArrayList<>();
        int targets = 0;
        for (JsonNode p : d.path("panels")) {
            switch (p.path("type").asText()) {
                case "row" -> rows.add(p.path("title").asText());
                case "timeseries", "stat" -> {
                    graphs.add(p.path("title").asText());
                    targets += p.path("targets").size();
                }
                default -> assertThat(p.path("type").asText()).isEqualTo("text");
            }
        }
        assertThat(rows).containsExactly("Overview", "orders", "inventory", "ledger", "payments", "live");
        List<String> cwGraphs = new ArrayList<>();
        int cwLines = 0;
        for (JsonNode w : CloudWatchDashboardsTest.widgets(CloudWatchDashboards.generate(demo,
                DashboardSettings.defaults()).get(0))) {
            if (w.path("type").asText().equals("metric")) {
                cwGraphs.add(w.path("properties").path("title").asText());
                cwLines += w.path("properties").path("metrics").size();
            }
        }
        assertThat(graphs).isEqualTo(cwGraphs);
        assertThat(targets).isEqualTo(cwLines);
    }

    @Test
    void percentilesAreGrafanaStatisticsOfOneSeriesAndSearchesKeepTheirRegion() throws Exception {
        JsonNode d = JSON.readTree(GrafanaDashboards.generate(Estates.demoWithOrdersFailover(),
                new DashboardSettings("vpcanary/load", "load-board", 120)));
        assertValid(d);
        Set<String> stats = new HashSet<>();
        List<String> searches = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("namespace").asText()).isEqualTo("vpcanary/load");
                assertThat(t.path("period").asText()).isEqualTo("120");
                stats.add(t.path("statistic").asText());
                if (t.path("metricEditorMode").asInt() == 1) {
                    searches.add(t.path("region").asText() + " " + t.path("expression").asText());
                }
            }
        }
        assertThat(stats).containsExactlyInAnyOrder("Average", "Sum", "Minimum", "p50", "p90", "p99", "p99.9");
        assertThat(searches).contains("us-west-2 SEARCH('{\"vpcanary/load\",Api,Check,ServingRegion} "
                + "MetricName=\"ServedRegion\" Api=\"orders\"', 'Sum', 120)");
    }

    @Test
    void aLargeEstateIsOneGrafanaDashboard() throws Exception {
        JsonNode d = JSON.readTree(GrafanaDashboards.generate(Estates.demoWithApis(60), DashboardSettings.defaults()));
        assertValid(d);
        assertThat(d.path("panels").size()).isGreaterThan(CloudWatchDashboards.MAX_WIDGETS);
    }

    @Test
    void refIdsRunLikeSpreadsheetColumns() {
        assertThat(List.of(0, 1, 25, 26, 27, 51, 52, 701, 702)).extracting(GrafanaDashboards::refId)
                .containsExactly("A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA");
    }
}
