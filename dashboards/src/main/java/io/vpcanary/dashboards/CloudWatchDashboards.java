package io.vpcanary.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CloudWatch dashboards of an estate's canary metrics, generated from the estate and the metric catalogue.
 *
 * <h2>Contract of {@link #generate}</h2>
 * <ul>
 *   <li>Returns at least one {@link Dashboard}. The first is always named {@link DashboardSettings#name()} and starts
 *       with the overview (per region: success ratio and p99 latency per API from the {Api, Region} rollups, errors
 *       by class through a SEARCH); then a section per API of the estate (success per target, latency percentiles
 *       and the phase breakdown per access path, errors by class, certificate days to expiry, and the served-region
 *       split for APIs in routing domains), each section opened by a text widget saying what it shows and what to do
 *       when it is red.</li>
 *   <li>When everything fits in one dashboard (at most {@value #MAX_WIDGETS} widgets) the list holds that one.
 *       Otherwise it holds the overview, with a text widget linking to the others, then one dashboard per API named
 *       {@code {name}-{api}} (characters CloudWatch refuses in a name replaced by {@code _}), each linking back.</li>
 *   <li>Every body keeps CloudWatch's limits, checked by {@link #limitViolations} before it is returned (CloudWatch
 *       emulators such as moto accept anything): at most {@value #MAX_WIDGETS} widgets, every widget within the
 *       24-column grid, every metric widget naming its {@code region} (one dashboard spans regions that way) and a
 *       period that is a positive multiple of 60, at most {@value BoardPlanner#MAX_LINES} lines per graph.</li>
 *   <li>{@link Dashboard#bodyJson()} is what PutDashboard takes as {@code DashboardBody}: compact JSON, the same text
 *       for the same estate and settings, so a deployer can compare it with GetDashboard's body to stay
 *       idempotent.</li>
 *   <li>Metrics are read in {@link DashboardSettings#namespace()}; every series read is a series of the catalogue
 *       ({@code ProbeMetrics}) with its exact dimension set, the per-target ones listed from the estate's targets
 *       ({@code CanaryPlan.onAws}).</li>
 * </ul>
 * Bad settings are refused by {@link DashboardSettings}; an API too large for a dashboard of its own is an
 * {@link IllegalArgumentException} naming it.
 */
public final class CloudWatchDashboards {

    /** CloudWatch's limit of widgets per dashboard. */
    public static final int MAX_WIDGETS = 500;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CloudWatchDashboards() {
    }

    /**
     * One CloudWatch dashboard.
     *
     * @param name     the dashboard name (PutDashboard's {@code DashboardName})
     * @param bodyJson the dashboard body (PutDashboard's {@code DashboardBody}), compact JSON
     */
    public record Dashboard(String name, String bodyJson) {

        /** How many widgets the body holds. */
        public int widgetCount() {
            try {
                return JSON.readTree(bodyJson).path("widgets").size();
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The body indented, as the checked-in examples hold it. */
        public String prettyJson() {
            try {
                return PRETTY.writeValueAsString(JSON.readTree(bodyJson)) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The dashboards of {@code estate}; see the class comment for the contract. */
    public static List<Dashboard> generate(Estate estate, DashboardSettings settings) {
        BoardPlanner planner = new BoardPlanner(estate, settings);
        Section overview = planner.overview();
        List<Section> apis = planner.apiSections();
        int total = overview.widgets().size() + apis.stream().mapToInt(s -> s.widgets().size()).sum();
        List<Dashboard> out = new ArrayList<>();
        if (total <= MAX_WIDGETS) {
            List<Section> all = new ArrayList<>();
            all.add(overview);
            all.addAll(apis);
            out.add(render(settings.name(), all, settings));
        } else {
            List<String> names = apiDashboardNames(settings.name(), apis);
            StringBuilder links = new StringBuilder("## Per-API dashboards\nThis estate needs more than "
                    + MAX_WIDGETS + " widgets, so each API has a dashboard of its own:\n");
            for (int i = 0; i < apis.size(); i++) {
                links.append(i == 0 ? "" : " · ").append(link(apis.get(i).api(), names.get(i)));
            }
            Text linkText = new Text(links.toString(), Grid.COLUMNS, 2 + (apis.size() + 7) / 8);
            out.add(render(settings.name(), List.of(withText(overview, linkText)), settings));
            for (int i = 0; i < apis.size(); i++) {
                Section s = apis.get(i);
                if (s.widgets().size() + 1 > MAX_WIDGETS) {
                    throw new IllegalArgumentException("API " + s.api() + " needs " + (s.widgets().size() + 1)
                            + " widgets, more than CloudWatch's " + MAX_WIDGETS + " for one dashboard");
                }
                Text back = new Text("Part of " + link("the overview", settings.name()) + ".", Grid.COLUMNS, 1);
                out.add(render(names.get(i), List.of(withText(s, back)), settings));
            }
        }
        for (Dashboard d : out) {
            List<String> problems = limitViolations(d.bodyJson());
            if (!problems.isEmpty()) {
                throw new IllegalStateException("dashboard " + d.name() + " breaks CloudWatch's limits: "
                        + String.join("; ", problems));
            }
        }
        return List.copyOf(out);
    }

    /**
     * What in a dashboard body CloudWatch would refuse: more than {@value #MAX_WIDGETS} widgets, a widget off the
     * 24-column grid, a metric widget without a region, a period that is not a positive multiple of 60, a graph of
     * more than {@value BoardPlanner#MAX_LINES} lines. Empty when the body keeps every limit.
     */
    public static List<String> limitViolations(String bodyJson) {
        JsonNode body;
        try {
            body = JSON.readTree(bodyJson);
        } catch (JsonProcessingException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        JsonNode widgets = body.path("widgets");
        if (!widgets.isArray()) {
            return List.of("no widgets array");
        }
        if (widgets.size() > MAX_WIDGETS) {
            problems.add(widgets.size() + " widgets, more than " + MAX_WIDGETS);
        }
        for (int i = 0; i < widgets.size(); i++) {
            JsonNode w = widgets.get(i);
            String at = "widget " + i;
            int x = w.path("x").asInt(-1);
            int width = w.path("width").asInt(-1);
            if (x < 0 || width < 1 || x + width > Grid.COLUMNS || w.path("y").asInt(-1) < 0
                    || w.path("height").asInt(-1) < 1) {
                problems.add(at + " is off the " + Grid.COLUMNS + "-column grid (x " + x + ", width " + width + ")");
            }
            if ("metric".equals(w.path("type").asText())) {
                JsonNode p = w.path("properties");
                if (p.path("region").asText("").isBlank()) {
                    problems.add(at + " names no region");
                }
                int period = p.path("period").asInt(0);
                if (period < 60 || period % 60 != 0) {
                    problems.add(at + " has period " + p.path("period") + ", not a positive multiple of 60");
                }
                if (p.path("metrics").size() > BoardPlanner.MAX_LINES) {
                    problems.add(at + " has " + p.path("metrics").size() + " lines, more than "
                            + BoardPlanner.MAX_LINES);
                }
            }
        }
        return problems;
    }

    /** The section with {@code text} in a block of its own after the section's opening block. */
    private static Section withText(Section s, Text text) {
        List<List<Widget>> blocks = new ArrayList<>(s.blocks());
        blocks.add(1, List.of(text));
        return new Section(s.title(), s.api(), blocks);
    }

    private static String link(String text, String dashboard) {
        return "[" + text + "](#dashboards:name=" + dashboard + ")";
    }

    /** {@code {name}-{api}}, with characters CloudWatch refuses in a name replaced, made unique. */
    static List<String> apiDashboardNames(String name, List<Section> apis) {
        Set<String> taken = new HashSet<>(Set.of(name));
        List<String> out = new ArrayList<>();
        for (Section s : apis) {
            String base = name + "-" + s.api().replaceAll("[^A-Za-z0-9_-]", "_");
            String n = base;
            for (int i = 2; !taken.add(n); i++) {
                n = base + "-" + i;
            }
            out.add(n);
        }
        return out;
    }

    private static Dashboard render(String name, List<Section> sections, DashboardSettings settings) {
        Grid grid = new Grid();
        ArrayNode widgets = F.arrayNode();
        for (Section s : sections) {
            for (List<Widget> block : s.blocks()) {
                for (Widget w : block) {
                    Grid.Position p = grid.place(w.width(), w.height());
                    ObjectNode node = widgets.addObject();
                    node.put("type", w instanceof Text ? "text" : "metric");
                    node.put("x", p.x()).put("y", p.y()).put("width", p.width()).put("height", p.height());
                    node.set("properties", switch (w) {
                        case Text t -> F.objectNode().put("markdown", t.markdown());
                        case Graph g -> graph(g, settings);
                    });
                }
                grid.newRow();
            }
        }
        ObjectNode body = F.objectNode();
        body.put("start", "-PT3H");
        body.put("periodOverride", "inherit");
        body.set("widgets", widgets);
        try {
            return new Dashboard(name, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode graph(Graph g, DashboardSettings settings) {
        ObjectNode p = F.objectNode();
        p.put("title", g.title());
        p.put("region", g.region());
        p.put("view", g.view() == Board.View.SINGLE_VALUE ? "singleValue" : "timeSeries");
        p.put("stacked", g.stacked());
        p.put("period", settings.periodSeconds());
        ArrayNode metrics = p.putArray("metrics");
        int expressions = 0;
        for (Query q : g.queries()) {
            switch (q) {
                case MetricQuery m -> {
                    ArrayNode line = metrics.addArray().add(settings.namespace()).add(m.metric());
                    m.dimensions().forEach((k, v) -> line.add(k).add(v));
                    line.addObject().put("stat", m.stat()).put("label", m.label());
                }
                case SearchQuery s -> metrics.addArray().addObject()
                        .put("expression", s.expression(settings.namespace(), settings.periodSeconds()))
                        .put("label", s.label()).put("id", "e" + (++expressions));
            }
        }
        if (g.unit() == Board.Unit.RATIO) {
            p.putObject("yAxis").putObject("left").put("min", 0).put("max", 1);
        } else if (g.view() == Board.View.TIME_SERIES) {
            p.putObject("yAxis").putObject("left").put("min", 0).put("label", label(g.unit())).put("showUnits", false);
        }
        return p;
    }

    private static String label(Board.Unit unit) {
        return switch (unit) {
            case RATIO -> "ratio";
            case MILLISECONDS -> "ms";
            case COUNT -> "count";
            case DAYS -> "days";
        };
    }
}
