package io.vpcanary.dashboards;

import static io.vpcanary.metrics.ProbeMetrics.D_API;
import static io.vpcanary.metrics.ProbeMetrics.D_CHECK;
import static io.vpcanary.metrics.ProbeMetrics.D_ERROR_CLASS;
import static io.vpcanary.metrics.ProbeMetrics.D_HOST;
import static io.vpcanary.metrics.ProbeMetrics.D_REGION;
import static io.vpcanary.metrics.ProbeMetrics.D_SERVED_REGION;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.dashboards.Board.Graph;
import io.vpcanary.dashboards.Board.MetricQuery;
import io.vpcanary.dashboards.Board.Query;
import io.vpcanary.dashboards.Board.SearchQuery;
import io.vpcanary.dashboards.Board.Section;
import io.vpcanary.dashboards.Board.Text;
import io.vpcanary.dashboards.Board.Unit;
import io.vpcanary.dashboards.Board.View;
import io.vpcanary.dashboards.Board.Widget;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.ResponseTransferMode;
import io.vpcanary.estate.WebSocketCheck;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.metrics.ProbeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Plans the sections of an estate's dashboard from the metric catalogue ({@link ProbeMetrics}) and the estate's
 * targets ({@link CanaryPlan#onAws}): an overview, then one section per API.
 *
 * <p>Every latency line is a percentile CloudWatch computes from one published distribution: the {Api, Region}
 * rollup in the overview, a per-target series in an API's section. "Latency by access path" is drawn as the
 * per-target series of that path (one line per check and vantage and percentile), never as a percentile of
 * percentiles, and without a new {Api, AccessPath, Region} series: a path's targets mix negative checks (a 7 ms
 * DNS_FAILURE) with real calls and different vantages, so their merged distribution would describe no client.
 */
final class BoardPlanner {

    /** The percentiles of every latency graph. */
    static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9");
    /** The phases of the breakdown, with their short labels, in request order. */
    static final Map<String, String> PHASES = ProbeMetrics.PHASE_LABELS;
    /** The series of a streamed answer, with their short labels. */
    static final Map<String, String> STREAM = streamLabels();

    private static Map<String, String> streamLabels() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(ProbeMetrics.STREAM_FIRST_BYTE, "first chunk");
        m.put(ProbeMetrics.STREAM_LAST_BYTE, "last byte");
        m.put(ProbeMetrics.STREAM_MAX_GAP, "max gap");
        return java.util.Collections.unmodifiableMap(m);
    }
    /**
     * Lines per graph at most: a graph with more is split in parts. Our own cap for readability; CloudWatch's own
     * per-widget limit is higher.
     */
    static final int MAX_LINES = 100;
    /** Certificates are red below this many days. */
    static final int CERT_RED_DAYS = 14;

    private static final int FULL = 24;
    private static final int HALF = 12;
    private static final int THIRD = 8;
    private static final int GRAPH_HEIGHT = 6;

    private final Estate estate;
    private final DashboardSettings settings;
    private final List<Target> targets;

    BoardPlanner(Estate estate, DashboardSettings settings) {
        this.estate = Objects.requireNonNull(estate, "estate");
        this.settings = Objects.requireNonNull(settings, "settings");
        // a dual-stack name is checked over IPv4 and over IPv6, each its own series (IpFamily=IPv6 on the latter)
        this.targets = io.vpcanary.access.AddressFamilies.byDeclaredFamily(estate, CanaryPlan.onAws(estate));
    }

    /** The targets the dashboard lists, in estate order. */
    List<Target> targets() {
        return targets;
    }

    /** The overview section. */
    Section overview() {
        List<List<Widget>> blocks = new ArrayList<>();
        blocks.add(List.of(new Text(String.join("\n",
                "# " + settings.name() + ": overview",
                "Canary metrics in namespace `" + settings.namespace() + "` for " + estate.apis().size()
                        + " APIs, one row per region; every graph's period is " + settings.periodSeconds() + " s.",
                "* **Success ratio** (Average of `Success` per API and region): 1 when every check met its "
                        + "expectation, refusals that negative checks expect included. **Red** (below 1): open the "
                        + "API's section and find the access path and vantage whose line dropped.",
                "* **p99 latency** (p99 of `Latency` per API and region, computed by CloudWatch over every request of "
                        + "every path): **red** when above the API's latency budget. One slow path in the API's "
                        + "section points at its DNS or endpoint; every path at once, at the integration.",
                "* **Errors by class** (Sum of `Errors`, found by SEARCH since classes appear at run time): what "
                        + "happened on the wire, expected refusals included. **Red**: a class no negative check "
                        + "expects (DNS_CONFLICT, TLS, TIMEOUT, THROTTLED, ...); docs/probe.md explains each."),
                FULL, 5)));
        for (String region : regions(targets)) {
            List<Widget> w = new ArrayList<>();
            List<String> apis = targets.stream().filter(t -> t.region().equals(region)).map(Target::api)
                    .distinct().toList();
            w.addAll(graphs(region + ": success ratio per API", region, View.TIME_SERIES, false, Unit.RATIO, THIRD,
                    apis, api -> List.of(new MetricQuery(ProbeMetrics.SUCCESS, apiRegion(api, region), "Average",
                            api))));
            w.addAll(graphs(region + ": p99 latency per API (all paths)", region, View.TIME_SERIES, false,
                    Unit.MILLISECONDS, THIRD, apis, api -> List.of(new MetricQuery(ProbeMetrics.LATENCY,
                            apiRegion(api, region), "p99", api + " p99"))));
            w.add(new Graph(region + ": errors by class", region, View.TIME_SERIES, true, Unit.COUNT,
                    List.of(new SearchQuery(ProbeMetrics.ERRORS, List.of(D_API, D_ERROR_CLASS, D_REGION),
                            Map.of(D_REGION, region), "Sum", "${PROP('Dim.Api')} ${PROP('Dim.ErrorClass')}")),
                    THIRD, GRAPH_HEIGHT));
            blocks.add(w);
        }
        return new Section("Overview", null, blocks);
    }

    /** One section per API of the estate, in estate order. */
    List<Section> apiSections() {
        return estate.apis().stream().map(this::section).toList();
    }

    private Section section(Api api) {
        List<List<Widget>> blocks = new ArrayList<>();
        List<Target> mine = targets.stream().filter(t -> t.api().equals(api.name())).toList();
        String heading = "## " + api.name() + " (" + api.type() + ", " + api.endpointType() + ")";
        boolean routed = routed(api);
        Long budget = api.checks().stream().map(c -> c.expect().latencyBudgetMs()).filter(Objects::nonNull)
                .min(Long::compare).orElse(null);
        List<String> lines = new ArrayList<>(List.of(heading,
                mine.size() + " targets (check × access path × region, each from its vantage) in "
                        + String.join(", ", regions(mine)) + ".",
                "* **Success by access path and vantage** (Average of `Success` per target): **red** below 1; the "
                        + "line names check, path and vantage: run `vpcanary probe --estate F --vantage V` there for "
                        + "the error class and phases.",
                "* **Latency per access path** (p50, p90, p99, p99.9 of each target's own distribution): **red** "
                        + (budget == null ? "when a path stands apart from the others"
                        : "above the checks' budget of " + budget + " ms") + "; the phases beside it say where the "
                        + "time went.",
                "* **Phases** (p50 of DNS, connect, TLS, time to first byte per target): DNS is the resolver or "
                        + "private DNS, connect the endpoint's network interfaces or security groups, TLS the "
                        + "certificate or endpoint, TTFB the authorizer and integration.",
                "* **Errors by class** (Sum of `Errors`): **red** for a class no negative check of this API expects.",
                "* **Certificate days to expiry** (Minimum per host): **red** below " + CERT_RED_DAYS
                        + " days: renew the certificate of that host."));
        boolean webSocket = api.type() == ApiType.WEBSOCKET;
        boolean streamed = api.integration().responseTransferMode() == ResponseTransferMode.STREAM;
        if (webSocket) {
            lines.add("* **Message round trip** and **push latency** (p50 and p99 of `MessageRoundTrip` and "
                    + "`PushLatency` per target): a route that answers slowly, or pushes through `@connections` that "
                    + "arrive late. **Close codes** (Sum of `CloseCodes`): anything but 1000 is a connection the API "
                    + "closed (1009 too big, 1001 idle or too old, 1006 dropped).");
        }
        if (streamed) {
            lines.add("* **Stream** (p50 of `StreamFirstByte`, `StreamLastByte` and `StreamMaxGap` per target): the "
                    + "time to the first chunk, to the end of the stream, and the longest gap between chunks.");
        }
        if (routed) {
            lines.add("* **Served region** (Sum of `ServedRegion` per check and serving region): **red** when "
                    + "answers come from a region the routing policy should not send them to: check the health "
                    + "alarms and Route 53 records of the routing domain.");
        }
        blocks.add(List.of(new Text(String.join("\n", lines), FULL,
                6 + (routed ? 1 : 0) + (webSocket ? 1 : 0) + (streamed ? 1 : 0))));
        for (String region : regions(mine)) {
            List<Widget> w = new ArrayList<>();
            List<Target> here = mine.stream().filter(t -> t.region().equals(region)).toList();
            String prefix = api.name() + " " + region + ": ";
            w.addAll(graphs(prefix + "success by access path and vantage", region, View.TIME_SERIES, false,
                    Unit.RATIO, HALF, here, t -> List.of(new MetricQuery(ProbeMetrics.SUCCESS, targetDimensions(t),
                            "Average", t.check() + " " + t.accessPath() + " from " + from(t)))));
            w.add(new Graph(prefix + "errors by class", region, View.TIME_SERIES, true, Unit.COUNT,
                    List.of(new SearchQuery(ProbeMetrics.ERRORS, List.of(D_API, D_ERROR_CLASS, D_REGION),
                            apiRegion(api.name(), region), "Sum", "${PROP('Dim.ErrorClass')}")), HALF,
                    GRAPH_HEIGHT));
            Set<AccessPath> paths = new LinkedHashSet<>();
            here.forEach(t -> paths.add(t.accessPath()));
            for (AccessPath path : paths) {
                List<Target> onPath = here.stream().filter(t -> t.accessPath() == path).toList();
                w.addAll(graphs(prefix + path + " latency", region, View.TIME_SERIES, false, Unit.MILLISECONDS,
                        HALF, onPath, t -> PERCENTILES.stream().<Query>map(p -> new MetricQuery(
                                ProbeMetrics.LATENCY, targetDimensions(t), p,
                                t.check() + " from " + from(t) + " " + p)).toList()));
                w.addAll(graphs(prefix + path + " phases (p50)", region, View.TIME_SERIES, false,
                        Unit.MILLISECONDS, HALF, onPath, t -> PHASES.entrySet().stream().<Query>map(e ->
                                new MetricQuery(e.getKey(), targetDimensions(t), "p50",
                                        t.check() + " from " + from(t) + " " + e.getValue())).toList()));
            }
            List<String> hosts = here.stream().map(t -> t.url().getHost()).distinct().toList();
            w.addAll(graphs(prefix + "certificate days to expiry", region, View.SINGLE_VALUE, false, Unit.DAYS,
                    HALF, hosts, h -> List.of(new MetricQuery(ProbeMetrics.CERT_DAYS, Map.of(D_HOST, h), "Minimum",
                            h))));
            if (webSocket) {
                w.addAll(graphs(prefix + "message round trip", region, View.TIME_SERIES, false, Unit.MILLISECONDS,
                        HALF, here, t -> List.of(
                                new MetricQuery(ProbeMetrics.MESSAGE_ROUND_TRIP, targetDimensions(t), "p50",
                                        t.check() + " " + t.accessPath() + " from " + from(t) + " p50"),
                                new MetricQuery(ProbeMetrics.MESSAGE_ROUND_TRIP, targetDimensions(t), "p99",
                                        t.check() + " " + t.accessPath() + " from " + from(t) + " p99"))));
                List<Target> pushing = here.stream().filter(t -> Boolean.TRUE.equals(webSocketCheck(api, t).push())).toList();
                w.addAll(graphs(prefix + "push latency", region, View.TIME_SERIES, false, Unit.MILLISECONDS, HALF,
                        pushing, t -> List.of(
                                new MetricQuery(ProbeMetrics.PUSH_LATENCY, targetDimensions(t), "p50",
                                        t.check() + " " + t.accessPath() + " from " + from(t) + " p50"),
                                new MetricQuery(ProbeMetrics.PUSH_LATENCY, targetDimensions(t), "p99",
                                        t.check() + " " + t.accessPath() + " from " + from(t) + " p99"))));
                w.add(new Graph(prefix + "close codes", region, View.TIME_SERIES, true, Unit.COUNT,
                        List.of(new SearchQuery(ProbeMetrics.CLOSE_CODE, List.of(D_API, ProbeMetrics.D_CLOSE_CODE,
                                D_REGION), apiRegion(api.name(), region), "Sum", "${PROP('Dim.CloseCode')}")),
                        HALF, GRAPH_HEIGHT));
            }
            if (streamed) {
                w.addAll(graphs(prefix + "stream (p50)", region, View.TIME_SERIES, false, Unit.MILLISECONDS, HALF,
                        here, t -> STREAM.entrySet().stream().<Query>map(e -> new MetricQuery(e.getKey(),
                                targetDimensions(t), "p50", t.check() + " " + t.accessPath() + " from "
                                + t.vantage() + " " + e.getValue())).toList()));
            }
            if (routed) {
                w.add(new Graph(prefix + "served region", region, View.TIME_SERIES, true, Unit.COUNT,
                        List.of(new SearchQuery(ProbeMetrics.SERVED_REGION, List.of(D_API, D_CHECK, D_SERVED_REGION),
                                Map.of(D_API, api.name()), "Sum",
                                "${PROP('Dim.Check')} served by ${PROP('Dim.ServingRegion')}")), HALF, GRAPH_HEIGHT));
            }
            blocks.add(w);
        }
        return new Section(api.name(), api.name(), blocks);
    }

    /** The WebSocket exchange of a target's check (the API's default when the check gives none). */
    private static WebSocketCheck webSocketCheck(Api api, Target t) {
        return api.checks().stream().filter(c -> c.name().equals(t.check())).findFirst()
                .map(Check::webSocketOrDefault).orElseThrow();
    }

    /** Whether a routing domain of the estate sends clients to {@code api}. */
    private boolean routed(Api api) {
        for (RoutingDomain d : estate.routingDomains()) {
            for (RoutingRecord r : d.records()) {
                if (api.name().equals(r.api())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One graph of {@code items}' lines, or several parts when they have more than {@link #MAX_LINES}; an item's
     * lines stay in one part.
     */
    private static <T> List<Graph> graphs(String title, String region, View view, boolean stacked, Unit unit,
                                          int width, List<T> items, Function<T, List<Query>> lines) {
        List<List<Query>> parts = new ArrayList<>();
        List<Query> current = new ArrayList<>();
        for (T item : items) {
            List<Query> q = lines.apply(item);
            if (!current.isEmpty() && current.size() + q.size() > MAX_LINES) {
                parts.add(current);
                current = new ArrayList<>();
            }
            current.addAll(q);
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        List<Graph> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String t = parts.size() == 1 ? title : title + " (" + (i + 1) + "/" + parts.size() + ")";
            out.add(new Graph(t, region, view, stacked, unit, parts.get(i), width, GRAPH_HEIGHT));
        }
        return out;
    }

    /** The regions of {@code ts}, in order of first appearance. */
    private static List<String> regions(List<Target> ts) {
        return ts.stream().map(Target::region).distinct().toList();
    }

    private static Map<String, String> apiRegion(String api, String region) {
        return ProbeMetrics.apiRegionDimensions(api, region);
    }

    /** Where a target's client stands, and over which IP version when its name is dual-stack. */
    private static String from(Target t) {
        return t.vantage() + (t.family() == null ? "" : " over " + t.family().label());
    }

    private static Map<String, String> targetDimensions(Target t) {
        return ProbeMetrics.targetDimensions(t);
    }
}
