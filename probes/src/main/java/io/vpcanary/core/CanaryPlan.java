package io.vpcanary.core;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The targets a client runs: every check × access path × region of the estate ({@link TargetPlanner}, at the
 * client's HTTPS port) whose vantage is one the client stands in. What it leaves out is counted and said: targets of
 * other vantages ({@link #leftToOthers()}), and APIs no check can test ({@link #notPlanned()}: none today; WebSocket
 * APIs are planned with {@code wss://} targets, probed by the probe engine's WebSocket probe).
 *
 * @param targets      the targets to run, in estate order
 * @param vantages     the vantages the client stands in
 * @param leftToOthers per vantage not stood in, how many targets it would run (sorted by name)
 * @param notPlanned   one line per API left out, with the reason
 */
public record CanaryPlan(List<Target> targets, Set<String> vantages, Map<String, Integer> leftToOthers,
                         List<String> notPlanned) {

    public CanaryPlan {
        targets = List.copyOf(targets);
        vantages = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(vantages));
        leftToOthers = java.util.Collections.unmodifiableMap(new TreeMap<>(leftToOthers));
        notPlanned = List.copyOf(notPlanned);
    }

    /** The plan of every target of {@code estate} for {@code client}. */
    public static CanaryPlan of(Estate estate, ClientEnvironment client) {
        return of(estate, client, t -> true);
    }

    /**
     * The plan of the targets of {@code estate} that {@code filter} keeps (by API or check name, say) for
     * {@code client}.
     */
    public static CanaryPlan of(Estate estate, ClientEnvironment client, Predicate<Target> filter) {
        Objects.requireNonNull(filter, "filter");
        List<Target> out = new ArrayList<>();
        Map<String, Integer> others = new TreeMap<>();
        List<String> notPlanned = new ArrayList<>();
        for (Target t : planned(estate, new TargetPlanner(estate, client.httpsPort()), notPlanned)) {
            if (!filter.test(t)) {
                continue;
            }
            if (client.vantages().contains(t.vantage())) {
                out.add(t);
            } else {
                others.merge(t.vantage(), 1, Integer::sum);
            }
        }
        return new CanaryPlan(out, client.vantages(), others, notPlanned);
    }

    /**
     * The targets every vantage of {@code estate} would run on AWS (port 443), by vantage: the estate's VPCs that have
     * at least one target, in estate order, then {@code on-premises} if it has any. The same planning as
     * {@link #of}. Deployment generators (one canary per VPC) and cost models use it.
     */
    public static Map<String, List<Target>> byVantage(Estate estate) {
        Map<String, List<Target>> found = new LinkedHashMap<>();
        for (Target t : onAws(estate)) {
            found.computeIfAbsent(t.vantage(), v -> new ArrayList<>()).add(t);
        }
        Map<String, List<Target>> out = new LinkedHashMap<>();
        for (String v : Vantages.all(estate)) {
            List<Target> ts = found.get(v);
            if (ts != null) {
                out.put(v, List.copyOf(ts));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Every target of {@code estate} on AWS (port 443), of every vantage, in estate order: the same planning as
     * {@link #of}. Dashboards list these targets' series.
     */
    public static List<Target> onAws(Estate estate) {
        return List.copyOf(planned(estate, TargetPlanner.forAws(estate), new ArrayList<>()));
    }

    /**
     * Every target {@code planner} makes of the estate's checks, in estate order; one line per API left out (none
     * today) would be added to {@code notPlanned}.
     */
    private static List<Target> planned(Estate estate, TargetPlanner planner, List<String> notPlanned) {
        List<Target> out = new ArrayList<>();
        for (Api api : estate.apis()) {
            for (var check : api.checks()) {
                out.addAll(planner.targets(api, check));
            }
        }
        return out;
    }

    /** How many targets other vantages run. */
    public int leftToOthersCount() {
        return leftToOthers.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * The lines a run starts with: where it stands, how many targets it runs, how many it leaves to which vantages,
     * and what it does not plan.
     */
    public List<String> header() {
        List<String> lines = new ArrayList<>();
        lines.add("standing in " + String.join(", ", vantages) + ": " + targets.size()
                + " target" + (targets.size() == 1 ? "" : "s") + (leftToOthers.isEmpty() ? ""
                : "; " + leftToOthersCount() + " left to other vantages " + describeOthers()));
        notPlanned.forEach(lines::add);
        return lines;
    }

    private String describeOthers() {
        Map<String, Integer> sorted = new LinkedHashMap<>(new TreeMap<>(leftToOthers));
        List<String> parts = new ArrayList<>();
        sorted.forEach((v, n) -> parts.add(v + " " + n));
        return "(" + String.join(", ", parts) + ")";
    }
}
