package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check whose expectation the answers miss: every request is KO, and Gatling's report gives the probe's verdict as
 * the reason (what missed), not a bare "failed"; the run's assertions fail.
 */
class EstateChecksKoTest {

    @TempDir
    Path work;

    @Test
    void aMissedExpectationIsKoWithTheVerdictAsItsReason() throws Exception {
        Path estate = work.resolve("missing-body.yaml");
        String demo = EstateLoader.demoText();
        String expected = "bodyContains: '\"api\":\"inventory\"'";
        assertThat(demo).contains(expected);
        Files.writeString(estate, demo.replace(expected, "bodyContains: 'no-such-text'"));
        GatlingRun run = GatlingRun.run(EstateChecksSimulation.class, work, Map.of(
                "rate", "2", "duration", "2s", "warmUp", "0s", "vpcanary.estate", estate.toString(),
                "vpcanary.vantage", "on-premises"), Duration.ofSeconds(90));
        assertThat(run.exitCode()).as("assertions failed").isNotZero();
        long[] counts = run.requestCount();
        assertThat(counts[2]).as("KO: the list-items requests").isPositive();
        assertThat(run.out()).contains("bodyString.find.vpcanary").contains("body does not contain 'no-such-text'");
    }
}
