package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.metrics.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users run it ({@code bin/vpcanary} is {@code java -jar cli/target/vpcanary.jar}): a lab in one
 * process, the probe in another, and the lab stopping cleanly on SIGTERM. Catches what in-process tests cannot: a
 * class missing from the jar, a service file lost by shading, a JVM that does not exit.
 */
class PackagedJarIT {

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("vpcanary.jar", "target/vpcanary.jar"));
        assertThat(jar).as("the shaded jar (built by mvn package)").exists();
        return jar;
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void labAndProbeRunFromTheJarAndTheLabStopsOnSigterm() throws Exception {
        Path env = dir.resolve("lab-env.json");
        Path labOut = dir.resolve("lab.out");
        Process lab = new ProcessBuilder(java("lab", "--https-port", "0", "--dns-port", "0",
                "--state-dir", dir.resolve("state").toString(), "--env-file", env.toString()))
                .redirectErrorStream(true).redirectOutput(labOut.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(env) && lab.isAlive() && System.nanoTime() < deadline) {
            try {
                lab.onExit().get(100, TimeUnit.MILLISECONDS); // returns early only if the lab dies
            } catch (java.util.concurrent.TimeoutException stillStarting) {
                // the lab is still starting: look for the environment file again
            }
        }
        assertThat(env).as("lab environment file; lab output:%n%s", read(labOut)).exists();
        LabEnvironment e = LabEnvironment.read(env);

        Path json = dir.resolve("probe.json");
        String probeOut;
        try (MotoServer moto = MotoServer.start()) {
            // CloudWatch is found through the SDK's own endpoint setting (no --endpoint), as every AWS client of
            // vpcanary finds its service: AWS_ENDPOINT_URL_CLOUDWATCH, with region and credentials from the SDK chains
            ProcessBuilder pb = new ProcessBuilder(java("probe", "--once", "--lab", env.toString(), "--json",
                    json.toString(), "--publish", "cloudwatch", "--namespace", "vpcanary-jar-e2e"))
                    .redirectErrorStream(true);
            pb.environment().put("AWS_ENDPOINT_URL_CLOUDWATCH", moto.uri().toString());
            pb.environment().put("AWS_REGION", "us-east-1");
            pb.environment().put("AWS_ACCESS_KEY_ID", MotoServer.FAKE.resolveCredentials().accessKeyId());
            pb.environment().put("AWS_SECRET_ACCESS_KEY", MotoServer.FAKE.resolveCredentials().secretAccessKey());
            Process probe = pb.start();
            probeOut = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(probe.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(probe.exitValue()).as(probeOut).isZero();
            assertThat(moto.client().listMetrics(r -> r.namespace("vpcanary-jar-e2e")).metrics())
                    .as("metrics in moto, reached through AWS_ENDPOINT_URL_CLOUDWATCH").isNotEmpty()
                    .anySatisfy(m -> assertThat(m.dimensions()).anySatisfy(d -> assertThat(d.name())
                            .isEqualTo("Vantage")));
        }
        assertThat(probeOut).contains("0 failed").contains("publish cloudwatch: sent ")
                .doesNotContain(e.credentials().secretAccessKey());
        assertThat(Files.readString(json)).contains("\"passed\" : true");

        // repeat mode stopped by a signal (as by Ctrl-C): the final summary is printed all the same
        Path repeatOut = dir.resolve("repeat.out");
        Process repeat = new ProcessBuilder(java("probe", "--lab", env.toString(), "--interval", "1s", "--check",
                "list-orders", "--no-auth-matrix")).redirectErrorStream(true).redirectOutput(repeatOut.toFile())
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!read(repeatOut).contains("run 2 at") && repeat.isAlive() && System.nanoTime() < until) {
            try {
                repeat.onExit().get(100, TimeUnit.MILLISECONDS); // returns early only if the probe dies
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // look at the output again
            }
        }
        assertThat(read(repeatOut)).as("the repeating probe ran twice").contains("run 2 at");
        repeat.destroy(); // SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does
        assertThat(repeat.waitFor(30, TimeUnit.SECONDS)).as("probe exits after SIGTERM").isTrue();
        assertThat(read(repeatOut)).containsPattern("probe summary: [2-9][0-9]* runs, [0-9]+ checks, 0 failed");

        lab.destroy(); // SIGTERM: the shutdown hook stops the lab
        assertThat(lab.waitFor(30, TimeUnit.SECONDS)).as("lab exits after SIGTERM").isTrue();
        assertThat(read(labOut)).contains("lab: ready").contains("lab: stopping").contains("lab: stopped")
                .doesNotContain(e.credentials().secretAccessKey());
    }

    @Test
    void aMalformedEstateExitsTwoFromTheJar() throws Exception {
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, "account: \"111122223333\"\napiz: []\n");
        Process p = new ProcessBuilder(java("validate", estate.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("estate.yaml:2:").contains("apiz");
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
