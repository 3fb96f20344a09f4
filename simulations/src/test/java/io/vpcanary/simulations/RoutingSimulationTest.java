package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RoutingSimulation} through a region outage: the failover domain (TTL 1 s, HTTPS health checks with threshold
 * 1 on the lab's 60x time scale) is answered by us-east-1, then by us-west-2 while the fault the run sets lasts, then
 * by us-east-1 again; the client re-resolves as the TTL runs out, so the report's request names and the served-region
 * counts show both regions.
 */
class RoutingSimulationTest {

    @TempDir
    Path work;

    @Test
    void theLoadFollowsTheFailoverAndFailbackAsTheTtlRunsOut() throws Exception {
        Path estate = work.resolve("routing.yaml");
        String check = "healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 1}";
        Files.writeString(estate, EstateLoader.demoText()
                .replace("    policy: FAILOVER\n", "    policy: FAILOVER\n    alias: false\n    ttl: 1\n")
                .replace("        role: PRIMARY\n", "        role: PRIMARY\n        " + check + "\n")
                .replace("        role: SECONDARY\n", "        role: SECONDARY\n        " + check + "\n"));
        GatlingRun run = GatlingRun.run(RoutingSimulation.class, work, Map.of(
                "rate", "20", "duration", "9s", "warmUp", "0s", "vpcanary.estate", estate.toString(),
                "vpcanary.vantage", "canary-east", "vpcanary.routingDomain", "orders.internal.example.com",
                "vpcanary.fault", "REGION_OUTAGE us-east-1", "vpcanary.faultAt", "2s", "vpcanary.faultFor", "3s"),
                Duration.ofSeconds(120));
        String out = run.out();
        assertThat(run.exitCode()).as(out).isZero();
        assertThat(out).contains("RoutingSimulation holding 20.0 users/s on orders.internal.example.com (FAILOVER, "
                + "TTL 1 s) from canary-east").contains("set fault").contains("REGION_OUTAGE us-east-1 for PT3S");
        Matcher m = Pattern.compile("served by region \\{us-east-1=(\\d+), us-west-2=(\\d+)}").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("served by the primary before and after").isGreaterThan(40);
        assertThat(Long.parseLong(m.group(2))).as("served by the secondary during the outage").isGreaterThan(10);
        assertThat(out).contains("orders.internal.example.com via us-east-1")
                .contains("orders.internal.example.com via us-west-2");
    }
}
