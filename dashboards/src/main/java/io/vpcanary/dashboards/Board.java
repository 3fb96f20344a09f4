package io.vpcanary.dashboards;

import java.util.List;
import java.util.Map;

/**
 * What a dashboard shows, before it is drawn by CloudWatch ({@link CloudWatchDashboards}) or Grafana
 * ({@link GrafanaDashboards}): sections of text and graphs, each graph with its region and its queries. Built by
 * {@link BoardPlanner}; both renderers place widgets with the same {@link Grid}.
 */
final class Board {

    private Board() {
    }

    /** How a graph is drawn. */
    enum View { TIME_SERIES, SINGLE_VALUE }

    /** The unit of a graph's values, for the y axis (Grafana) and the title. */
    enum Unit { RATIO, MILLISECONDS, COUNT, DAYS }

    /**
     * A section of a dashboard: the overview, or one API.
     *
     * @param title   its heading
     * @param api     the API it shows, or null for the overview
     * @param blocks  its widgets in blocks, each starting on a new row (one per region); the first block opens with
     *                the text saying what the section shows and what to do when it is red
     */
    record Section(String title, String api, List<List<Widget>> blocks) {
        Section {
            blocks = blocks.stream().<List<Widget>>map(List::copyOf).toList();
        }

        /** Every widget, in order. */
        List<Widget> widgets() {
            return blocks.stream().flatMap(List::stream).toList();
        }
    }

    /** A text or a graph, with its size on the 24-column grid. */
    sealed interface Widget permits Text, Graph {
        int width();

        int height();
    }

    /** A markdown text widget. */
    record Text(String markdown, int width, int height) implements Widget {
    }

    /**
     * A graph of one region's metrics.
     *
     * @param title   its title
     * @param region  the region whose CloudWatch holds the series (the API region for per-target series)
     * @param view    line graph or single value
     * @param stacked whether lines stack (error classes, served regions)
     * @param unit    the values' unit
     * @param queries one line (or, for a SEARCH, one line per series found) each
     */
    record Graph(String title, String region, View view, boolean stacked, Unit unit, List<Query> queries, int width,
                 int height) implements Widget {
        Graph {
            queries = List.copyOf(queries);
        }
    }

    /** One line of a graph. */
    sealed interface Query permits MetricQuery, SearchQuery {
        String label();
    }

    /**
     * One statistic of one catalogue series.
     *
     * @param metric     the metric name (a {@code ProbeMetrics} constant)
     * @param dimensions its dimensions, in catalogue order
     * @param stat       {@code Average}, {@code Sum}, {@code Minimum} or a percentile such as {@code p99.9}
     * @param label      the line's label
     */
    record MetricQuery(String metric, Map<String, String> dimensions, String stat, String label) implements Query {
        MetricQuery {
            dimensions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dimensions));
        }
    }

    /**
     * A CloudWatch SEARCH over series whose dimension values are known only at run time (error classes, serving
     * regions).
     *
     * @param metric     the metric searched for
     * @param schema     the dimension names of the series (the exact set searched)
     * @param fixed      the dimension values the search pins
     * @param stat       the statistic
     * @param label      the label of each series found (dynamic labels such as {@code ${PROP('Dim.ErrorClass')}})
     */
    record SearchQuery(String metric, List<String> schema, Map<String, String> fixed, String stat, String label)
            implements Query {
        SearchQuery {
            schema = List.copyOf(schema);
            fixed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fixed));
        }

        /** {@code SEARCH('{"ns",A,B} MetricName="M" A="v"', 'Sum', 60)}: names and values quoted, exact matches. */
        String expression(String namespace, int periodSeconds) {
            StringBuilder s = new StringBuilder("SEARCH('{\"").append(namespace).append('"');
            schema.forEach(d -> s.append(',').append(d));
            s.append("} MetricName=\"").append(metric).append('"');
            fixed.forEach((k, v) -> s.append(' ').append(k).append("=\"").append(v).append('"'));
            return s.append("', '").append(stat).append("', ").append(periodSeconds).append(')').toString();
        }
    }
}
