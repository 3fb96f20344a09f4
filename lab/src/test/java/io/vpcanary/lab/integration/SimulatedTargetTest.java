package io.vpcanary.lab.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.IntegrationType;
import io.vpcanary.estate.Latency;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedTargetTest {

    private static final SimulatedTarget.Invocation INV =
            new SimulatedTarget.Invocation("prod", "GET", "/orders/7", "/orders/{id}", "vpce-1", "req-1");

    @Test
    void latencySamplesMatchTheConfiguredMedianAndP99() {
        LatencyModel m = LatencyModel.of(new Latency(20.0, 80.0));
        Random r = new Random(42);
        int n = 20_000;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ms[i] = m.sampleNanos(r) / 1e6;
        }
        Arrays.sort(ms);
        assertThat(ms[n / 2]).isCloseTo(20.0, within(2.0));
        assertThat(ms[(int) (n * 0.99)]).isCloseTo(80.0, within(12.0));
        assertThat(ms[0]).isPositive();
    }

    @Test
    void zeroMedianMeansNoLatencyAndEqualP99MeansConstant() {
        Random r = new Random(1);
        assertThat(LatencyModel.of(Latency.NONE).none()).isTrue();
        assertThat(LatencyModel.of(Latency.NONE).sampleNanos(r)).isZero();
        assertThat(LatencyModel.of(new Latency(7.0, null)).sampleNanos(r)).isEqualTo(7_000_000L);
        assertThatThrownBy(() -> LatencyModel.of(new Latency(10.0, 5.0))).hasMessageContaining("p99");
        assertThatThrownBy(() -> LatencyModel.of(new Latency(-1.0, 5.0))).hasMessageContaining("median");
    }

    @Test
    void errorRateIsAppliedWithApiGatewayBodies() throws Exception {
        SimulatedTarget t = new SimulatedTarget("orders", "ordrseast1", "us-east-1", IntegrationType.ALB, "orders-alb",
                LatencyModel.of(Latency.NONE), 0.2, 7);
        Map<Integer, Integer> statuses = new HashMap<>();
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            SimulatedTarget.Response resp = t.invoke(INV);
            statuses.merge(resp.status(), 1, Integer::sum);
            if (resp.status() != 200) {
                assertThat(resp.error()).startsWith("integration.");
                assertThat(new ObjectMapper().readTree(resp.body()).has("message")).isTrue();
            }
        }
        assertThat(statuses.keySet()).containsExactlyInAnyOrder(200, 502, 503, 504);
        double errors = 1.0 - statuses.get(200) / (double) n;
        assertThat(errors).isCloseTo(0.2, within(0.03));
        assertThatThrownBy(() -> new SimulatedTarget("a", "b", "c", IntegrationType.NLB, "t",
                LatencyModel.of(Latency.NONE), 1.5, 0)).hasMessageContaining("errorRate");
    }

    @Test
    void successNamesTheServingRegionAndApiAndIsReproducibleFromTheSeed() throws Exception {
        SimulatedTarget a = new SimulatedTarget("orders", "ordrswest2", "us-west-2", IntegrationType.CLOUD_MAP,
                "orders-svc", LatencyModel.of(new Latency(5.0, 50.0)), 0.5, 99);
        SimulatedTarget b = new SimulatedTarget("orders", "ordrswest2", "us-west-2", IntegrationType.CLOUD_MAP,
                "orders-svc", LatencyModel.of(new Latency(5.0, 50.0)), 0.5, 99);
        for (int i = 0; i < 50; i++) {
            SimulatedTarget.Response x = a.invoke(INV);
            SimulatedTarget.Response y = b.invoke(INV);
            assertThat(x.delayNanos()).isEqualTo(y.delayNanos());
            assertThat(x.status()).isEqualTo(y.status());
            if (x.status() == 200) {
                JsonNode j = new ObjectMapper().readTree(x.body());
                assertThat(j.get("region").asText()).isEqualTo("us-west-2");
                assertThat(j.get("api").asText()).isEqualTo("orders");
                assertThat(j.get("apiId").asText()).isEqualTo("ordrswest2");
                assertThat(j.get("path").asText()).isEqualTo("/orders/7");
                assertThat(j.get("resource").asText()).isEqualTo("/orders/{id}");
                assertThat(j.get("integration").asText()).isEqualTo("CLOUD_MAP");
                assertThat(j.get("target").asText()).isEqualTo("orders-svc");
                assertThat(j.get("vpcEndpoint").asText()).isEqualTo("vpce-1");
                assertThat(j.get("requestId").asText()).isEqualTo("req-1");
            }
        }
    }
}
