package io.vpcanary.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.dashboards.Board.Graph;
import io.vpcanary.dashboards.Board.MetricQuery;
import io.vpcanary.dashboards.Board.Query;
import io.vpcanary.dashboards.Board.SearchQuery;
import io.vpcanary.dashboards.Board.Section;
import io.vpcanary.dashboards.Board.Text;
import io.vpcanary.dashboards.Board.Widget;
import io.vpcanary.estate.Estate;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The same dashboard as {@link CloudWatchDashboards}, as a Grafana dashboard over Grafana's CloudWatch data source:
 * one dashboard for the whole estate (Grafana has no widget limit), a row per section, a text panel per section, and
 * a panel per graph whose targets are CloudWatch queries ({@code namespace}, {@code metricName}, {@code dimensions},
 * {@code statistic} such as {@code p99}, {@code region}; SEARCH queries as an {@code expression} in code mode).
 *
 * <p>The data source is the dashboard variable {@code datasource} (any data source of type {@code cloudwatch}),
 * chosen when the JSON is imported. Pure: the same estate and settings give the same text.
 */
public final class GrafanaDashboards {

    /** The dashboard JSON schema version written (Grafana 10 and 11 read it). */
    public static final int SCHEMA_VERSION = 39;
    /** The Grafana data source type of every target. */
    public static final String DATASOURCE_TYPE = "cloudwatch";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GrafanaDashboards() {
    }

    /** The Grafana dashboard JSON of {@code estate}, indented. */
    public static String generate(Estate estate, DashboardSettings settings) {
        BoardPlanner planner = new BoardPlanner(estate, settings);
        List<Section> sections = new ArrayList<>();
        sections.add(planner.overview());
        sections.addAll(planner.apiSections());

        ObjectNode d = F.objectNode();
        d.put("title", settings.name());
        String uid = "vpcanary-" + settings.name();
        d.put("uid", uid.length() > 40 ? uid.substring(0, 40) : uid);
        d.putArray("tags").add("vpcanary");
        d.put("timezone", "utc");
        d.put("schemaVersion", SCHEMA_VERSION);
        d.put("version", 1);
        d.put("editable", true);
        d.put("refresh", "1m");
        d.putObject("time").put("from", "now-3h").put("to", "now");
        d.putObject("annotations").putArray("list");
        d.putObject("templating").putArray("list").addObject()
                .put("name", "datasource").put("label", "CloudWatch").put("type", "datasource")
                .put("query", DATASOURCE_TYPE).put("hide", 0).putObject("current");
        ArrayNode panels = d.putArray("panels");
        Grid grid = new Grid();
        int id = 0;
        for (Section s : sections) {
            ObjectNode row = panels.addObject();
            row.put("id", ++id).put("type", "row").put("title", s.title()).put("collapsed", false);
            gridPos(row, grid.place(Grid.COLUMNS, 1));
            row.putArray("panels");
            grid.newRow();
            for (List<Widget> block : s.blocks()) {
                for (Widget w : block) {
                    ObjectNode p = panels.addObject();
                    p.put("id", ++id);
                    switch (w) {
                        case Text t -> {
                            p.put("type", "text").put("title", "");
                            p.putObject("options").put("mode", "markdown").put("content", t.markdown());
                        }
                        case Graph g -> graph(p, g, settings);
                    }
                    gridPos(p, grid.place(w.width(), w.height()));
                }
                grid.newRow();
            }
        }
        try {
            return PRETTY.writeValueAsString(d) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void gridPos(ObjectNode panel, Grid.Position p) {
        panel.putObject("gridPos").put("x", p.x()).put("y", p.y()).put("w", p.width()).put("h", p.height());
    }

    private static ObjectNode datasource() {
        return F.objectNode().put("type", DATASOURCE_TYPE).put("uid", "${datasource}");
    }

    private static void graph(ObjectNode p, Graph g, DashboardSettings settings) {
        boolean single = g.view() == Board.View.SINGLE_VALUE;
        p.put("type", single ? "stat" : "timeseries").put("title", g.title());
        p.set("datasource", datasource());
        ObjectNode defaults = p.putObject("fieldConfig").putObject("defaults");
        p.withObject("fieldConfig").putArray("overrides");
        defaults.put("unit", switch (g.unit()) {
            case RATIO -> "percentunit";
            case MILLISECONDS -> "ms";
            case COUNT -> "short";
            case DAYS -> "none";
        });
        defaults.put("min", 0);
        if (g.unit() == Board.Unit.RATIO) {
            defaults.put("max", 1);
        }
        if (single) {
            ArrayNode steps = defaults.putObject("thresholds").put("mode", "absolute").putArray("steps");
            steps.addObject().put("color", "red").putNull("value");
            steps.addObject().put("color", "green").put("value", BoardPlanner.CERT_RED_DAYS);
            p.putObject("options").putObject("reduceOptions").put("values", false).putArray("calcs").add("min");
        } else {
            defaults.putObject("custom").putObject("stacking").put("mode", g.stacked() ? "normal" : "none");
        }
        ArrayNode targets = p.putArray("targets");
        int n = 0;
        for (Query q : g.queries()) {
            ObjectNode t = targets.addObject();
            t.put("refId", refId(n++));
            t.set("datasource", datasource());
            t.put("queryMode", "Metrics").put("metricQueryType", 0);
            t.put("region", g.region()).put("namespace", settings.namespace());
            t.put("period", String.valueOf(settings.periodSeconds())).put("label", q.label());
            switch (q) {
                case MetricQuery m -> {
                    t.put("metricEditorMode", 0).put("metricName", m.metric()).put("statistic", m.stat());
                    ObjectNode dims = t.putObject("dimensions");
                    m.dimensions().forEach(dims::put);
                    t.put("matchExact", true).put("id", "").put("expression", "");
                }
                case SearchQuery s -> {
                    t.put("metricEditorMode", 1).put("metricName", s.metric()).put("statistic", s.stat());
                    t.putObject("dimensions");
                    t.put("matchExact", true).put("id", "e" + n)
                            .put("expression", s.expression(settings.namespace(), settings.periodSeconds()));
                }
            }
        }
    }

    /** A, B, ..., Z, AA, AB, ...: Grafana's query ids. */
    static String refId(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = n; i >= 0; i = i / 26 - 1) {
            s.insert(0, (char) ('A' + i % 26));
        }
        return s.toString();
    }
}
