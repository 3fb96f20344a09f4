package io.vpcanary.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.metrics.MetricsOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanaryConfigTest {

    private static CanaryConfig read(Map<String, String> env) {
        return CanaryConfig.fromEnvironment(env::get);
    }

    @Test
    void defaults() {
        CanaryConfig c = read(Map.of("VPCANARY_VANTAGE", "canary-east"));
        assertThat(c.estate()).isNull();
        assertThat(c.vantage()).isEqualTo("canary-east");
        assertThat(c.resolver()).isNull();
        assertThat(c.port()).isNull();
        assertThat(c.publish()).containsExactly(MetricsOutput.Destination.EMF);
        assertThat(c.namespace()).isEqualTo("vpcanary");
        assertThat(c.rounds()).isEqualTo(1);
        assertThat(c.roundInterval()).isEqualTo(CanaryConfig.DEFAULT_ROUND_INTERVAL);
        assertThat(c.parallelism()).isNull();
    }

    @Test
    void everySetting() {
        CanaryConfig c = read(Map.ofEntries(Map.entry("VPCANARY_VANTAGE", "vpc-0e1a0000000000001"),
                Map.entry("VPCANARY_ESTATE", "/var/task/estate.yaml"), Map.entry("VPCANARY_RESOLVER", "10.0.0.2:53"),
                Map.entry("VPCANARY_TRUSTSTORE", "/var/task/ca.pem"),
                Map.entry("VPCANARY_TRUSTSTORE_PASSWORD", "s3cret-pass"), Map.entry("VPCANARY_PORT", "8443"),
                Map.entry("VPCANARY_PUBLISH", "CloudWatch"), Map.entry("VPCANARY_NAMESPACE", "canaries"),
                Map.entry("VPCANARY_ROUNDS", "6"), Map.entry("VPCANARY_ROUND_INTERVAL", "1.5m"),
                Map.entry("VPCANARY_PARALLELISM", "3")));
        assertThat(c.estate()).isEqualTo(Path.of("/var/task/estate.yaml"));
        assertThat(c.port()).isEqualTo(8443);
        assertThat(c.publish()).containsExactly(MetricsOutput.Destination.CLOUDWATCH);
        assertThat(c.rounds()).isEqualTo(6);
        assertThat(c.roundInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.parallelism()).isEqualTo(3);
        assertThat(new String(c.truststorePassword())).isEqualTo("s3cret-pass");
        assertThat(c.toString()).doesNotContain("s3cret-pass").contains("truststorePassword=****");
        assertThat(read(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_PUBLISH", "none")).publish()).isEqualTo(Set.of());
    }

    @Test
    void aLabRehearsalNeedsNoVantage() {
        CanaryConfig c = read(Map.of("VPCANARY_LAB_ENV", "/tmp/lab-env.json"));
        assertThat(c.vantage()).isNull();
        assertThat(c.labEnv()).isEqualTo(Path.of("/tmp/lab-env.json"));
    }

    @Test
    void badSettingsAreOneLineNamingTheVariable() {
        assertBad(Map.of(), "VPCANARY_VANTAGE is not set");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_ROUND_INTERVAL", "soon"),
                "VPCANARY_ROUND_INTERVAL: 'soon' is not a duration");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_ROUND_INTERVAL", "0s"), "VPCANARY_ROUND_INTERVAL");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_ROUNDS", "0"), "VPCANARY_ROUNDS: '0' is not a whole");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_PORT", "http"), "VPCANARY_PORT");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_PUBLISH", "local"),
                "VPCANARY_PUBLISH: 'local' is not one of emf, cloudwatch, none");
        assertBad(Map.of("VPCANARY_LAB_ENV", "/tmp/e.json", "VPCANARY_RESOLVER", "127.0.0.1:53"),
                "with VPCANARY_LAB_ENV they come from the lab's environment file");
        assertBad(Map.of("VPCANARY_VANTAGE", "v", "VPCANARY_PARALLELISM", "-1"), "VPCANARY_PARALLELISM");
    }

    private static void assertBad(Map<String, String> env, String message) {
        assertThatThrownBy(() -> read(env)).isInstanceOf(CanaryConfigException.class)
                .hasMessageContaining(message).satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    assertThat(e.getStackTrace()).as("no stack trace to print").isEmpty();
                });
    }
}
