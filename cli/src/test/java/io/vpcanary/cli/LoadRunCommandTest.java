package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpcanary load run}: bad input is one line and exit 2 before anything starts; a short whole-estate run in its
 * own JVM (as an injector runs it) against an embedded lab serving the estate handed over in
 * {@code VPCANARY_ESTATE_GZ_B64} passes, shares its rate by the estate's weights, prints progress and publishes with
 * its run id.
 */
class LoadRunCommandTest {

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertBad(CliRun.run("load", "run", "--simulation", "Nope"), "--simulation Nope is not a simulation");
        assertBad(CliRun.run("load", "run", "--region", "mars-north-1"), "vpcanary.regions names mars-north-1");
        assertBad(CliRun.run("load", "run", "--weight", "nosuchapi=2"), "vpcanary.weights names API nosuchapi");
        assertBad(CliRun.run("load", "run", "--weight", "orders"), "vpcanary.weights takes API=W");
        assertBad(CliRun.run("load", "run", "--rate", "fast"), "rate must be a number");
        assertBad(CliRun.run("load", "run", "--target", "aws"), "vpcanary.target=aws needs vpcanary.estate");
        assertBad(CliRun.run("load", "run", "--publish", "local"), "--publish local needs --metrics-file");
        assertBad(CliRun.run("load", "run", "--estate", "/nonexistent/estate.yaml"), "estate.yaml");
    }

    @Test
    void anEstateInTheEnvironmentMustBeGzipBase64() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> io.vpcanary.gameday.load.RunSettings.decodeEstate("not base64!")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VPCANARY_ESTATE_GZ_B64 is not base64");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> io.vpcanary.gameday.load.RunSettings.decodeEstate(
                Base64.getEncoder().encodeToString("plain".getBytes(StandardCharsets.UTF_8)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not gzip+base64");
    }

    @Test
    void aShortRunAgainstTheLabServingTheEstateOfTheEnvironment(@TempDir Path dir) throws Exception {
        String demo = new String(EstateLoader.class.getResourceAsStream("/io/vpcanary/estate/demo-estate.yaml")
                .readAllBytes(), StandardCharsets.UTF_8);
        Path metrics = dir.resolve("metrics.jsonl");
        Path out = dir.resolve("out.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", LoadRunCommand.ADD_OPENS, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "load", "run", "--rate", "20", "--duration", "2s", "--warm-up", "0s", "--region", "us-west-2",
                "--progress", "1s", "--no-reports", "--run-id", "cli-1", "--publish", "local",
                "--metrics-file", metrics.toString(), "--results", dir.resolve("gatling").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        // the estate weighs one check three times the others (its load section)
        String weighted = demo + "\nload:\n  weights:\n    \"orders:bare-endpoint-refused\": 3\n";
        pb.environment().put(LoadRunCommand.ESTATE_ENV, gzipBase64(weighted));
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("load run did not end: " + Files.readString(out));
        }
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("Gatling will trust only the lab CA")
                .containsPattern("EstateLoadSimulation driving an embedded lab serving \\S+/estate.yaml from ")
                .containsPattern("vpcanary: progress \\d+:\\d\\d of 0:02: [\\d,]+ requests, [\\d,]+ errors, ")
                .contains("metrics published to local");
        // us-west-2 has 6 request names, all of orders: 5 of weight 1 and bare-endpoint-refused of weight 3 share 20/s
        assertThat(text).contains("mix 7.5000 users/s, 15 users: orders bare-endpoint-refused VPCE_HOST_HEADER us-west-2")
                .contains("mix 2.5000 users/s, 5 users: orders list-orders PRIVATE_DNS us-west-2");
        assertThat(text).containsPattern("(?m)^  mix .* us-west-2 from ").doesNotContainPattern("(?m)^  mix .* us-east-1 ")
                .doesNotContain("Exception");
        assertThat(Files.readString(metrics)).contains("\"Run\":\"cli-1\"");
    }

    private static void assertBad(CliRun run, String message) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err().lines().toList()).as(run.err()).singleElement().asString().startsWith("vpcanary: ")
                .contains(message);
    }

    private static String gzipBase64(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
