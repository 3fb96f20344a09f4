package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.RoutingRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmRuleTest {

    static AlarmRule rule(int n, int m, String missing) {
        return new AlarmRule("a", "vpcanary", "Success", Map.of(), "Average", 0.9, "LessThanThreshold", n, m, missing);
    }

    @Test
    void mOfNWithEachTreatmentOfMissingData() {
        assertThat(rule(3, 3, "breaching").evaluate(List.of(0.5, 0.5, 0.5))).isEqualTo(AlarmRule.State.ALARM);
        assertThat(rule(3, 3, "breaching").evaluate(List.of(0.5, 1.0, 0.5))).isEqualTo(AlarmRule.State.OK);
        assertThat(rule(3, 3, "breaching").evaluate(Arrays.asList(null, null, null))).isEqualTo(AlarmRule.State.ALARM);
        assertThat(rule(3, 3, "missing").evaluate(Arrays.asList(null, null, null)))
                .isEqualTo(AlarmRule.State.INSUFFICIENT_DATA);
        assertThat(rule(3, 2, "ignore").evaluate(Arrays.asList(0.1, null, 0.2))).isEqualTo(AlarmRule.State.ALARM);
        assertThat(rule(3, 2, "notBreaching").evaluate(Arrays.asList(0.1, null, null))).isEqualTo(AlarmRule.State.OK);
        assertThat(rule(3, 3, "breaching").evaluate(List.of(0.9, 0.95, 1.0))).as("at the threshold is not below it")
                .isEqualTo(AlarmRule.State.OK);
    }

    @Test
    void theHealthAlarmIsTheOneAlarmsGenerateMakesAndRefusesPercentiles() {
        var estate = EstateLoader.demo();
        AlarmRule h = AlarmRule.health(estate, new RoutingRecord("orders", "us-west-2", "SECONDARY", null, null),
                "vpcanary/staging");
        assertThat(h.name()).isEqualTo("vpcanary-staging-orders-us-west-2-health");
        assertThat(h.statistic()).isEqualTo("Average");
        assertThat(h.threshold()).isEqualTo(0.9);
        assertThat(h.evaluationPeriods()).isEqualTo(3);
        assertThat(h.datapointsToAlarm()).isEqualTo(3);
        assertThatThrownBy(() -> new AlarmRule("a", "n", "Latency", Map.of(), "p99", 1, "GreaterThanThreshold", 1, 1,
                "missing")).hasMessageContaining("not one Route 53 accepts");
    }
}
