package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Latency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationSettingsTest {

    private static Map<String, String> props(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("vpcanary.invocationDir", "/work/project");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsStartTheDemoLabAtTenUsersPerSecondForThirtySeconds() {
        SimulationSettings s = SimulationSettings.from(props("vpcanary.labEnv", "", "vpcanary.estate", " "));
        assertThat(s.rate()).isEqualTo(10.0);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.warmUp()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.labEnv()).isEmpty();
        assertThat(s.estate()).isEmpty();
        assertThat(s.labState()).isEqualTo(Path.of("/work/project/target/lab-state"));
        assertThat(s.overheadMs()).isEqualTo(250);
        assertThat(s.usersPerRequestName()).isEqualTo(300);
    }

    @Test
    void relativeFilesAreResolvedAgainstTheInvocationFolder() {
        SimulationSettings s = SimulationSettings.from(props("vpcanary.labEnv", "lab-env.json", "rate", "2.5",
                "duration", "1.5m", "vpcanary.overheadMs", "100", "warmUp", "0s"));
        assertThat(s.warmUp()).isZero();
        assertThat(s.labEnv()).contains(Path.of("/work/project/lab-env.json"));
        assertThat(s.rate()).isEqualTo(2.5);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.usersPerRequestName()).isEqualTo(225);
        assertThat(s.overheadMs()).isEqualTo(100);
    }

    @Test
    void durationsInEveryDocumentedForm() {
        assertThat(SimulationSettings.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SimulationSettings.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SimulationSettings.parseDuration("d", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(SimulationSettings.parseDuration("d", "PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(SimulationSettings.parseDuration("d", "pt1m")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badValuesNameThePropertyAndAGoodExample() {
        assertThatThrownBy(() -> SimulationSettings.from(props("rate", "fast")))
                .hasMessageContaining("rate").hasMessageContaining("such as 20").hasMessageContaining("'fast'");
        assertThatThrownBy(() -> SimulationSettings.from(props("rate", "-1")))
                .hasMessageContaining("rate must be a positive number");
        assertThatThrownBy(() -> SimulationSettings.from(props("duration", "30 seconds")))
                .hasMessageContaining("duration: '30 seconds' is not a duration such as 500ms, 30s");
        assertThatThrownBy(() -> SimulationSettings.from(props("warmUp", "soon")))
                .hasMessageContaining("warmUp: 'soon' is not a duration");
        assertThatThrownBy(() -> SimulationSettings.from(props("duration", "0s")))
                .hasMessageContaining("duration must be positive");
        assertThatThrownBy(() -> SimulationSettings.from(props("rate", "0.5", "duration", "1s")))
                .hasMessageContaining("at least one user");
        assertThatThrownBy(() -> SimulationSettings.from(props("vpcanary.overheadMs", "1.5")))
                .hasMessageContaining("vpcanary.overheadMs");
        assertThatThrownBy(() -> SimulationSettings.from(props("vpcanary.labEnv", "a.json", "vpcanary.estate", "e.yaml")))
                .hasMessageContaining("not both");
    }

    @Test
    void latencyBudgetFollowsTheIntegrationLatency() {
        LatencyBudget demo = LatencyBudget.of(new Latency(5.0, 20.0), 250);
        assertThat(demo.p50FloorMs()).isEqualTo(4);
        assertThat(demo.p95CeilingMs()).isEqualTo(270);
        LatencyBudget none = LatencyBudget.of(Latency.NONE, 0);
        assertThat(none.p50FloorMs()).isZero();
        assertThat(none.p95CeilingMs()).isZero();
        LatencyBudget slow = LatencyBudget.of(new Latency(120.0, 480.5), 100);
        assertThat(slow.p50FloorMs()).isEqualTo(96);
        assertThat(slow.p95CeilingMs()).isEqualTo(581);
        assertThatThrownBy(() -> LatencyBudget.of(Latency.NONE, -1)).hasMessageContaining("overheadMs");
    }

    @Test
    void awsTargetNeedsAnEstateAndAVantageAndLabTargetRefusesAwsOnlySettings() {
        assertThatThrownBy(() -> SimulationSettings.from(Map.of("vpcanary.target", "aws")))
                .hasMessageContaining("vpcanary.estate");
        assertThatThrownBy(() -> SimulationSettings.from(Map.of("vpcanary.target", "aws", "vpcanary.estate", "e.yaml")))
                .hasMessageContaining("vpcanary.vantage");
        assertThatThrownBy(() -> SimulationSettings.from(Map.of("vpcanary.resolver", "127.0.0.1:53")))
                .hasMessageContaining("vpcanary.target=aws");
        assertThatThrownBy(() -> SimulationSettings.from(Map.of("vpcanary.target", "gcp")))
                .hasMessageContaining("lab or aws");
        SimulationSettings aws = SimulationSettings.from(Map.of("vpcanary.target", "AWS", "vpcanary.estate", "e.yaml",
                "vpcanary.vantage", "canary-east, canary-west", "vpcanary.resolver",
                "canary-east=127.0.1.2:53,canary-west=127.0.2.2:53", "vpcanary.port", "8443"));
        assertThat(aws.vantages()).containsExactly("canary-east", "canary-west");
        assertThat(aws.resolvers()).containsExactly("canary-east=127.0.1.2:53", "canary-west=127.0.2.2:53");
        assertThat(aws.port()).isEqualTo(8443);
    }
}
