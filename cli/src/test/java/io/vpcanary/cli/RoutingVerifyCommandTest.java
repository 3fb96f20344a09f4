package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpcanary routing verify} against a running demo lab: verdict, output, JSON, metrics and bad input. */
class RoutingVerifyCommandTest {

    @TempDir
    static Path dir;
    static Lab lab;
    static Path env;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void verifiesTheWeightedSplitPrintsTheSampleSizeWritesJsonAndPublishesServedRegions() throws Exception {
        Path json = dir.resolve("verify.json");
        Path metrics = dir.resolve("metrics.jsonl");
        CliRun r = CliRun.run("routing", "verify", "--lab", env.toString(), "--domain",
                "orders-split.internal.example.com", "--rate", "2000", "--json", json.toString(),
                "--publish", "local", "--metrics-file", metrics.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("orders-split.internal.example.com (WEIGHTED, TTL 60 s) against the lab "
                        + "(canary-east's resolver")
                .contains("sample size 246 detects 0.1 of the traffic moved between the two largest records at "
                        + "alpha 0.01 with power 0.8")
                .contains("chi-square").contains("PASS: the split");
        assertThat(Files.readString(json)).contains("\"verdict\" : \"PASS\"", "\"pValue\"", "\"resolved\"",
                "\"served\"", "\"requiredSamples\" : 246");
        assertThat(Files.readString(metrics)).contains("ServedRegion").contains("orders-split.internal.example.com");
    }

    @Test
    void failoverFromTheWestVpcStaysOnThePrimary() {
        CliRun r = CliRun.run("routing", "verify", "--lab", env.toString(), "--domain", "orders.internal.example.com",
                "--vantage", "canary-west", "--samples", "10", "--rate", "1000");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS: all 10 samples went to us-east-1");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        CliRun unknown = CliRun.run("routing", "verify", "--lab", env.toString(), "--domain", "nope.example.com");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().lines()).singleElement().asString()
                .startsWith("vpcanary: no routing domain 'nope.example.com' in the estate");
        CliRun noVantage = CliRun.run("routing", "verify", "--estate", lab.environment().estate(), "--domain",
                "orders.internal.example.com");
        assertThat(noVantage.exit()).isEqualTo(2);
        assertThat(noVantage.err().lines()).singleElement().asString().contains("--vantage is required");
    }
}
