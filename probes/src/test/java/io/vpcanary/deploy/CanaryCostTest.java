package io.vpcanary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.CanaryPrices;
import io.vpcanary.metrics.ProbeMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CanaryCost} against figures computed by hand from the prices file. */
class CanaryCostTest {

    private static final List<Target> CANARY_EAST = CanaryPlan.byVantage(EstateLoader.demo()).get("canary-east");

    private static BigDecimal cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }

    @Test
    void theDemosCanaryEastByHand() {
        CanaryPrices prices = CanaryPrices.bundled();
        assertThat(prices.lambdaGbSecondArm64()).isEqualByComparingTo("0.0000133334");
        assertThat(prices.syntheticsPerRun()).isEqualByComparingTo("0.0012");
        CanaryCost.Settings s = new CanaryCost.Settings(CanarySchedule.DEFAULT, 512, 47_000, 2_000);
        CanaryCost c = CanaryCost.of("canary-east", CANARY_EAST, s, prices, 730);

        assertThat(c.targets()).isEqualTo(12);
        // 730 h × 60 invocations an hour
        assertThat(c.invocations()).isEqualTo(43_800);
        // 43,800 × 47 s × 0.5 GB = 1,029,300 GB-s; × $0.0000133334 = $13.7240686
        assertThat(c.gbSeconds()).isEqualByComparingTo("1029300");
        assertThat(c.lambdaCompute()).isEqualByComparingTo("13.72406862");
        // 43,800 × $0.20 / 1,000,000
        assertThat(c.lambdaRequests()).isEqualByComparingTo("0.00876");
        long bytes = CanaryCost.emfBytesPerInvocation(CANARY_EAST, 4) + CanaryCost.OTHER_LOG_BYTES;
        assertThat(c.logBytesPerInvocation()).isEqualTo(bytes);
        // bytes × 43,800 / 2^30 GB × $0.50
        BigDecimal logs = BigDecimal.valueOf(bytes * 43_800L).multiply(new BigDecimal("0.50"))
                .divide(BigDecimal.valueOf(1L << 30), 10, RoundingMode.HALF_UP);
        assertThat(cents(c.logs())).isEqualByComparingTo(cents(logs));

        // orders, inventory, ledger and live are checked from canary-east: four Synthetics canaries, 175,200 runs
        assertThat(c.checkGroups()).isEqualTo(4);
        assertThat(c.syntheticsRuns()).isEqualTo(175_200);
        // 175,200 × $0.0012 = $210.24
        assertThat(c.syntheticsRunsCost()).isEqualByComparingTo("210.24");
        // 175,200 × 2 s × 960/1024 GB = 328,500 GB-s × $0.0000166667 = $5.47501095; + 175,200 × $0.0000002 = $0.03504
        assertThat(c.syntheticsLambda()).isEqualByComparingTo("5.51005095");
        // 175,200 PUTs × $0.005 / 1,000
        assertThat(c.syntheticsS3()).isEqualByComparingTo("0.876");
        assertThat(cents(c.syntheticsTotal())).isEqualByComparingTo("216.63");
        assertThat(cents(c.canaryTotal())).isEqualByComparingTo(cents(new BigDecimal("13.72406862")
                .add(new BigDecimal("0.00876")).add(c.logs())));
    }

    @Test
    void theDefaultDurationIsTheWaitsBetweenRoundsAndOneRound() {
        assertThat(CanaryCost.Settings.defaultDurationMs(CanarySchedule.DEFAULT, 2_000)).isEqualTo(47_000);
        assertThat(CanaryCost.Settings.defaultDurationMs(new CanarySchedule(Duration.ofMinutes(5), 1), 1_500))
                .isEqualTo(1_500);
        assertThatThrownBy(() -> new CanaryCost.Settings(CanarySchedule.DEFAULT, 512, 61_000, 2_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule's 60 s");
        assertThatThrownBy(() -> new CanaryCost.Settings(CanarySchedule.DEFAULT, 64, 47_000, 2_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128 to 10240 MB");
    }

    /** The bytes are those of real EMF lines: every per-target Latency series carries one value per round. */
    @Test
    void emfBytesAreTheEncodersLinesForEveryRound() throws Exception {
        long one = CanaryCost.emfBytesPerInvocation(CANARY_EAST, 1);
        long four = CanaryCost.emfBytesPerInvocation(CANARY_EAST, 4);
        assertThat(four).isGreaterThan(one);

        long lines = 0;
        ObjectMapper json = new ObjectMapper();
        long counted = 0;
        int perTarget = 0;
        String text = CanaryCost.emfLines(CANARY_EAST, 4);
        for (String line : text.split("\n")) {
            JsonNode e = json.readTree(line);
            lines++;
            counted += line.getBytes(StandardCharsets.UTF_8).length + 1 + CanaryCost.LOG_EVENT_OVERHEAD_BYTES;
            if (e.has("Vantage") && e.has(ProbeMetrics.LATENCY)) {
                assertThat(e.get("Vantage").asText()).isEqualTo("canary-east");
                assertThat(e.get(ProbeMetrics.LATENCY)).hasSize(4);
                perTarget++;
            }
        }
        assertThat(perTarget).as("one event per target").isEqualTo(CANARY_EAST.size());
        assertThat(lines).isGreaterThan(perTarget);
        assertThat(counted).isEqualTo(four);
    }
}
