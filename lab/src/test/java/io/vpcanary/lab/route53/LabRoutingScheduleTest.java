package io.vpcanary.lab.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.HealthCheckStatus;
import io.vpcanary.labenv.LabControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's own health-check schedule on a shortened time scale (60: a 10 s HTTPS interval is 167 ms, threshold 2),
 * watched by {@code dig}, an independent DNS client, against canary-east's resolver view: a region outage flips the
 * failover domain's answer to us-west-2 and clearing it flips it back. Waits on the lab's status-change events.
 */
class LabRoutingScheduleTest {

    @TempDir
    static Path state;
    static Lab lab;
    static final BlockingQueue<HealthCheckStatus> changes = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        String text = EstateLoader.demoText()
                .replace("        role: PRIMARY\n", "        role: PRIMARY\n        healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2}\n")
                .replace("        role: SECONDARY\n", "        role: SECONDARY\n        healthCheck: {type: HTTPS, intervalSeconds: 10, failureThreshold: 2}\n");
        Path file = state.resolve("schedule-estate.yaml");
        Files.writeString(file, text);
        lab = Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(state.resolve("lab")));
        lab.routing().onChange(changes::add);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    static String dig(String name) throws IOException, InterruptedException {
        String[] view = lab.environment().resolvers().get("canary-east").split(":");
        Process p = new ProcessBuilder("dig", "+short", "+tries=1", "+time=5", "@" + view[0], "-p", view[1], name)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    static HealthCheckStatus nextChange() throws InterruptedException {
        HealthCheckStatus s = changes.poll(30, TimeUnit.SECONDS);
        assertThat(s).as("a health check changed status within 30 s").isNotNull();
        return s;
    }

    @Test
    void digSeesTheFailoverAnswerFlipDuringARegionOutageAndFlipBackAfter() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dig"))
                || System.getenv("PATH").contains("dig"), "dig (dnsutils) is installed");
        String before = dig(LabRoutingTest.FAILOVER);
        assertThat(before.lines().toList()).isNotEmpty().allMatch(a -> a.startsWith("127.0.1."));
        LabControl control = LabControl.of(lab.environment());
        assertThat(control.timeScale()).isEqualTo(60);

        Fault outage = control.add(FaultSpec.of(FaultSpec.Kind.REGION_OUTAGE, "us-east-1", Duration.ofMinutes(2)));
        HealthCheckStatus down = nextChange();
        assertThat(List.of(down.domain(), down.region(), down.healthy()))
                .containsExactly(LabRoutingTest.FAILOVER, "us-east-1", false);
        assertThat(dig(LabRoutingTest.FAILOVER).lines().toList()).isNotEmpty().allMatch(a -> a.startsWith("127.0.2."));

        control.clear(outage.id());
        HealthCheckStatus up = nextChange();
        assertThat(List.of(up.region(), up.healthy())).containsExactly("us-east-1", true);
        assertThat(dig(LabRoutingTest.FAILOVER).lines().toList()).isNotEmpty().allMatch(a -> a.startsWith("127.0.1."));
    }
}
