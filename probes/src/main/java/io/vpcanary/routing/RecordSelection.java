package io.vpcanary.routing;

import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Route 53's choice of a record for one DNS query of a routing domain, given each record's health (FACTS.md):
 *
 * <ul>
 *   <li>a record without a health check is healthy (the caller's {@code healthy} says so);</li>
 *   <li>when every record is unhealthy, every record is treated as healthy;</li>
 *   <li>FAILOVER: the PRIMARY while it is healthy, else the SECONDARY when it is healthy; with both unhealthy, the
 *       PRIMARY (the rule above);</li>
 *   <li>WEIGHTED: one record drawn with probability weight / sum of the weights of the healthy records; a weight-0
 *       record takes no traffic unless every healthy record has weight 0, and then (as when all weights are 0) the
 *       healthy records are drawn with equal probability;</li>
 *   <li>LATENCY: the healthy record of the client's region, else the first healthy record in estate order (the
 *       lab has no latency between regions to measure; the estate's order stands for it).</li>
 * </ul>
 * Pure but for the random draw of a weighted answer.
 */
public final class RecordSelection {

    private RecordSelection() {
    }

    /**
     * The record Route 53 answers with.
     *
     * @param domain       the routing domain (not empty)
     * @param healthy      each record's health
     * @param clientRegion the region of the resolver asking (LATENCY), or null when outside every region
     * @param random       the draw of a weighted answer
     */
    public static RoutingRecord select(RoutingDomain domain, Predicate<RoutingRecord> healthy, String clientRegion,
                                       RandomGenerator random) {
        List<RoutingRecord> records = domain.records();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("routing domain " + domain.domain() + " has no records");
        }
        List<RoutingRecord> candidates = records.stream().filter(healthy).toList();
        if (candidates.isEmpty()) {
            candidates = records;
        }
        return switch (domain.policy()) {
            case FAILOVER -> failover(records, candidates);
            case WEIGHTED -> weighted(candidates, random);
            case LATENCY -> latency(candidates, clientRegion);
        };
    }

    private static RoutingRecord failover(List<RoutingRecord> records, List<RoutingRecord> candidates) {
        for (String role : List.of("PRIMARY", "SECONDARY")) {
            for (RoutingRecord r : candidates) {
                if (role.equals(r.role())) {
                    return r;
                }
            }
        }
        return records.getFirst();
    }

    private static RoutingRecord weighted(List<RoutingRecord> candidates, RandomGenerator random) {
        long total = 0;
        for (RoutingRecord r : candidates) {
            total += weight(r);
        }
        if (total == 0) {
            return candidates.get(random.nextInt(candidates.size()));
        }
        long draw = random.nextLong(total);
        for (RoutingRecord r : candidates) {
            draw -= weight(r);
            if (draw < 0) {
                return r;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static RoutingRecord latency(List<RoutingRecord> candidates, String clientRegion) {
        for (RoutingRecord r : candidates) {
            if (Objects.equals(r.region(), clientRegion)) {
                return r;
            }
        }
        return candidates.getFirst();
    }

    private static int weight(RoutingRecord r) {
        return r.weight() == null ? 0 : r.weight();
    }

    /**
     * The share of answers each record gets, in record order, when every record is healthy: what a weighted test
     * expects. FAILOVER and LATENCY give the chosen record 1 and the others 0.
     */
    public static List<Double> expectedShares(RoutingDomain domain, String clientRegion) {
        List<Double> out = new ArrayList<>();
        if (domain.policy() == RoutingPolicy.WEIGHTED) {
            long total = domain.records().stream().mapToLong(RecordSelection::weight).sum();
            for (RoutingRecord r : domain.records()) {
                out.add(total == 0 ? 1.0 / domain.records().size() : (double) weight(r) / total);
            }
            return out;
        }
        RoutingRecord chosen = select(domain, r -> true, clientRegion, RandomGenerator.getDefault());
        for (RoutingRecord r : domain.records()) {
            out.add(r == chosen ? 1.0 : 0.0);
        }
        return out;
    }
}
