package io.vpcanary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RecordSelectionTest {

    private static final RoutingRecord EAST_PRIMARY = new RoutingRecord("orders", "us-east-1", "PRIMARY", null, null);
    private static final RoutingRecord WEST_SECONDARY = new RoutingRecord("orders", "us-west-2", "SECONDARY", null, null);
    private static final RoutingDomain FAILOVER = new RoutingDomain("o.example.com", RoutingPolicy.FAILOVER,
            List.of(EAST_PRIMARY, WEST_SECONDARY));

    private static Predicate<RoutingRecord> healthy(RoutingRecord... healthy) {
        Set<RoutingRecord> set = Set.of(healthy);
        return set::contains;
    }

    private static RoutingRecord weighted(String region, int weight) {
        return new RoutingRecord("orders", region, null, weight, null);
    }

    private static Map<String, Integer> draw(RoutingDomain d, Predicate<RoutingRecord> healthy, int n) {
        RandomGenerator random = new SplittableRandom(7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(RecordSelection.select(d, healthy, null, random).region(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void failoverAnswersThePrimaryWhileHealthyThenTheSecondaryAndThePrimaryWhenBothAreUnhealthy() {
        RandomGenerator r = new SplittableRandom(1);
        assertThat(RecordSelection.select(FAILOVER, healthy(EAST_PRIMARY, WEST_SECONDARY), null, r)).isEqualTo(EAST_PRIMARY);
        assertThat(RecordSelection.select(FAILOVER, healthy(WEST_SECONDARY), null, r)).isEqualTo(WEST_SECONDARY);
        assertThat(RecordSelection.select(FAILOVER, healthy(), null, r)).isEqualTo(EAST_PRIMARY);
        // a primary listed second is still the primary
        RoutingDomain reversed = new RoutingDomain("o.example.com", RoutingPolicy.FAILOVER,
                List.of(WEST_SECONDARY, EAST_PRIMARY));
        assertThat(RecordSelection.select(reversed, healthy(EAST_PRIMARY, WEST_SECONDARY), null, r)).isEqualTo(EAST_PRIMARY);
    }

    @Test
    void weightsAreRelativeAndOnlyHealthyRecordsDrawn() {
        RoutingRecord east = weighted("us-east-1", 3);
        RoutingRecord west = weighted("us-west-2", 1);
        RoutingDomain d = new RoutingDomain("w.example.com", RoutingPolicy.WEIGHTED, List.of(east, west));
        Map<String, Integer> counts = draw(d, healthy(east, west), 4000);
        assertThat(counts.get("us-east-1")).isBetween(2850, 3150);
        assertThat(draw(d, healthy(west), 100)).containsOnlyKeys("us-west-2");
        // every record unhealthy: all treated as healthy, the weights apply again
        assertThat(draw(d, healthy(), 4000).get("us-east-1")).isBetween(2850, 3150);
    }

    @Test
    void weightZeroTakesNoTrafficUnlessEveryNonZeroRecordIsUnhealthyAndAllZeroSplitsEqually() {
        RoutingRecord east = weighted("us-east-1", 5);
        RoutingRecord west = weighted("us-west-2", 0);
        RoutingDomain d = new RoutingDomain("w.example.com", RoutingPolicy.WEIGHTED, List.of(east, west));
        assertThat(draw(d, healthy(east, west), 500)).containsOnlyKeys("us-east-1");
        assertThat(draw(d, healthy(west), 500)).containsOnlyKeys("us-west-2");
        RoutingDomain zeros = new RoutingDomain("w.example.com", RoutingPolicy.WEIGHTED,
                List.of(weighted("us-east-1", 0), weighted("us-west-2", 0)));
        assertThat(draw(zeros, r -> true, 4000).get("us-east-1")).isBetween(1850, 2150);
        assertThat(RecordSelection.expectedShares(zeros, null)).containsExactly(0.5, 0.5);
        assertThat(RecordSelection.expectedShares(d, null)).containsExactly(1.0, 0.0);
    }

    @Test
    void latencyAnswersTheClientsRegionElseAnotherHealthyRecord() {
        RoutingRecord east = new RoutingRecord("orders", "us-east-1", null, null, null);
        RoutingRecord west = new RoutingRecord("orders", "us-west-2", null, null, null);
        RoutingDomain d = new RoutingDomain("l.example.com", RoutingPolicy.LATENCY, List.of(east, west));
        RandomGenerator r = new SplittableRandom(1);
        assertThat(RecordSelection.select(d, healthy(east, west), "us-west-2", r)).isEqualTo(west);
        assertThat(RecordSelection.select(d, healthy(east), "us-west-2", r)).isEqualTo(east);
        assertThat(RecordSelection.select(d, healthy(east, west), null, r)).isEqualTo(east);
        assertThat(RecordSelection.select(d, healthy(), "us-west-2", r)).isEqualTo(west);
    }
}
