package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.LabEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load run against a real estate ({@code vpcanary.target=aws}), with a lab standing in for AWS seen from VPC
 * canary-east: the demo estate file used as a user's own, the lab's canary-east resolver, its HTTPS port and its CA
 * (PEM) given as a real estate's would be, the lab principal's keys in {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} of Gatling's environment. Only canary-east's checks are driven (signed ones and
 * refusals included), with no KO; the lab simulations drive nothing in AWS mode.
 */
class EstateChecksAwsModeTest {

    @TempDir
    Path work;

    @Test
    void canaryEastsChecksRunWithNoKo() throws Exception {
        try (Lab lab = Lab.startDemo(Lab.Options.ephemeral(work.resolve("aws-lab-state")))) {
            LabEnvironment env = lab.environment();
            GatlingRun run = GatlingRun.run(EstateChecksSimulation.class, work, Map.of(
                            "rate", "2", "duration", "3s", "warmUp", "1s", "vpcanary.target", "aws",
                            "vpcanary.estate", env.estate(), "vpcanary.vantage", "canary-east",
                            "vpcanary.resolver", env.resolvers().get("canary-east"),
                            "vpcanary.port", String.valueOf(env.httpsPort()), "vpcanary.trustStore", env.ca()),
                    Map.of("AWS_ACCESS_KEY_ID", env.credentials().accessKeyId(),
                            "AWS_SECRET_ACCESS_KEY", env.credentials().secretAccessKey()),
                    Duration.ofSeconds(120));
            String out = run.out();
            assertThat(run.exitCode()).as(out).isZero();
            long[] counts = run.requestCount();
            assertThat(counts[0]).isPositive();
            assertThat(counts[2]).as("KO").isZero();
            assertThat(out).contains("from [canary-east]").contains("ledger list-entries PRIVATE_DNS us-east-1")
                    .contains("orders bare-endpoint-refused VPCE_HOST_HEADER us-east-1")
                    .contains("left to vantage canary-west")
                    .doesNotContain("orders list-orders PRIVATE_DNS us-west-2");
        }
    }
}
