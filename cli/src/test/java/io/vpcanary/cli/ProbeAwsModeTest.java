package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.lab.Lab;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpcanary probe --estate} (AWS mode) against a lab standing in for AWS seen from VPC canary-east: the demo
 * estate file used as a user's own estate, the lab's canary-east resolver as the VPC's resolver, the lab CA as a PEM
 * trust file, and the lab principal's keys in the SDK's default chain (its {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} system properties, which the chain reads before the environment). Only canary-east's
 * checks run, every one passes, and no result is labelled with another vantage.
 */
class ProbeAwsModeTest {

    @TempDir
    static Path dir;

    private static Lab lab;
    private static LabEnvironment env;

    @BeforeAll
    static void startLab() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("state")));
        env = lab.environment();
        System.setProperty("aws.accessKeyId", env.credentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", env.credentials().secretAccessKey());
    }

    @AfterAll
    static void stopLab() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void oneVantageRunsOnlyItsChecksAndAllPass() throws Exception {
        Path json = dir.resolve("probe.json");
        Path junit = dir.resolve("probe.xml");
        CliRun r = CliRun.run("probe", "--once", "--no-warmup", "--estate", env.estate(), "--vantage", "canary-east",
                "--resolver", env.resolvers().get("canary-east"), "--port", String.valueOf(env.httpsPort()),
                "--truststore", env.ca(), "--json", json.toString(), "--junit", junit.toString());
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("probe: standing in canary-east: ").contains("left to other vantages")
                .contains("canary-west").contains("on-premises");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("checks").size()).isPositive();
        for (JsonNode o : root.get("checks")) {
            assertThat(o.get("vantage").asText()).as(o.toString()).isEqualTo("canary-east");
            assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
        }
        assertThat(java.nio.file.Files.readString(junit)).contains("<testcase classname=\"canary-east\"")
                .doesNotContain("<failure");
    }

    @Test
    void awsModeWithoutAVantageOrWithTwoVantagesAndOneResolverIsBadInput() {
        CliRun none = CliRun.run("probe", "--once", "--estate", env.estate());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err().strip()).doesNotContain("\n").contains("say where this client stands")
                .contains("canary-east");
        CliRun two = CliRun.run("probe", "--once", "--estate", env.estate(), "--vantage", "canary-east",
                "--vantage", "canary-west", "--resolver", env.resolvers().get("canary-east"));
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).contains("VANTAGE=HOST:PORT");
        CliRun unknown = CliRun.run("probe", "--once", "--estate", env.estate(), "--vantage", "vpc-nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown vantage 'vpc-nope'");
    }

    @Test
    void aStaleEnvironmentFileSaysTheLabIsNotRunningAndAnEstateGivenToLabSaysSo() throws Exception {
        Lab other = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("other-state")));
        Path stale = dir.resolve("stale-env.json");
        other.writeEnvironment(stale);
        other.close();
        CliRun r = CliRun.run("probe", "--once", "--lab", stale.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not running").contains("vpcanary lab --env-file");
        CliRun estate = CliRun.run("probe", "--once", "--lab", env.estate());
        assertThat(estate.exit()).isEqualTo(2);
        assertThat(estate.err()).contains("is an estate file, not a lab environment file").contains("--estate");
    }
}
