package io.vpcanary.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image jib:buildTar built, as a container runtime would run it, without one: its layers unpacked in order into a
 * root file system, then its entrypoint run there with {@code chroot} (the build runs as root) in the image's own
 * environment and nothing of this machine's beyond the kernel. The entrypoint is the vpcanary command; the simulations
 * and Gatling are in the image; {@code load run} runs a short whole-estate run against an embedded lab inside it.
 */
class ImageIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path root;
    static JsonNode config;

    @BeforeAll
    static void unpack() throws Exception {
        // chroot needs root, which the build and CI run as; elsewhere the test is skipped, except under CI=true
        boolean isRoot = run(List.of("id", "-u"), Map.of(), 10).strip().equals("0");
        if (!"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(isRoot, "ImageIT runs the image with chroot, which needs root");
        }
        assertThat(isRoot).as("ImageIT runs the image with chroot, which needs root").isTrue();
        Path tar = Path.of(System.getProperty("vpcanary.imageTar", "target/vpcanary-image.tar"));
        assertThat(tar).as("the image tar (jib:buildTar, bound to package)").exists();
        Path image = Files.createDirectories(dir.resolve("image"));
        run(List.of("tar", "-xf", tar.toString(), "-C", image.toString()), Map.of(), 60);
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        root = Files.createDirectories(dir.resolve("root"));
        for (JsonNode layer : manifest.get("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(),
                    "-C", root.toString()), Map.of(), 120);
        }
    }

    @Test
    void theEntrypointIsTheVpcanaryCommandOnTheImagesOwnJava() {
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
        assertThat(entrypoint).startsWith("java").endsWith("io.vpcanary.cli.Main")
                .contains("--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file");
        assertThat(config.get("Cmd")).as("no default arguments: the task's command is vpcanary's").isNull();
        assertThat(environment()).containsEntry("PATH", "/opt/java/bin:/usr/bin:/bin");
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isExecutable();
    }

    @Test
    void theSimulationsAndGatlingAreInTheImage() throws IOException {
        List<String> classPath = List.of(Files.readString(root.resolve("app/jib-classpath-file")).strip().split(":"));
        assertThat(classPath).anySatisfy(e -> assertThat(e).matches("/app/libs/vpcanary-simulations-.*\\.jar"))
                .anySatisfy(e -> assertThat(e).matches("/app/libs/vpcanary-cli-.*\\.jar"))
                .anySatisfy(e -> assertThat(e).matches("/app/libs/gatling-app-.*\\.jar"))
                .noneSatisfy(e -> assertThat(e).contains("logback-classic"));
        Path simulations = root.resolve(classPath.stream().filter(e -> e.contains("vpcanary-simulations-"))
                .findFirst().orElseThrow().substring(1));
        try (ZipFile jar = new ZipFile(simulations.toFile())) {
            for (String simulation : List.of("EstateLoad", "EstateChecks", "AccessPaths", "WebSocket", "Routing")) {
                assertThat(jar.getEntry("io/vpcanary/simulations/" + simulation + "Simulation.class"))
                        .as(simulation).isNotNull();
            }
            assertThat(jar.getEntry("gatling.conf")).isNotNull();
        }
    }

    @Test
    void helpRunsInTheImage() throws Exception {
        String help = entrypoint("--help");
        assertThat(help).startsWith("Usage: vpcanary ").contains("lab ", "probe ", "load ");
        assertThat(entrypoint("load", "run", "--help")).startsWith("Usage: vpcanary load run ")
                .contains("--estate=FILE", "--run-id=ID", "--simulation=NAME");
    }

    /** The image as an injector: a 2-second whole-estate run against a lab embedded in the same container. */
    @Test
    void aLoadRunRunsInTheImage() throws Exception {
        String out = entrypoint("load", "run", "--rate", "10", "--duration", "2s", "--warm-up", "0s",
                "--region", "us-west-2", "--no-reports", "--publish", "local", "--metrics-file", "/tmp/m.jsonl",
                "--run-id", "image-1");
        assertThat(out).contains("EstateLoadSimulation driving an embedded lab serving the demo estate")
                .containsPattern("vpcanary: progress \\d+:\\d\\d of 0:02: [1-9][\\d,]* requests")
                .contains("metrics published to local");
        assertThat(Files.readString(root.resolve("tmp/m.jsonl"))).contains("\"Run\":\"image-1\"");
    }

    /** Runs the image's entrypoint with {@code args} in the unpacked root, in the image's environment only. */
    private static String entrypoint(String... args) throws Exception {
        String chroot = Files.isExecutable(Path.of("/usr/sbin/chroot")) ? "/usr/sbin/chroot" : "chroot";
        List<String> cmd = new ArrayList<>(List.of(chroot, root.toString()));
        config.get("Entrypoint").forEach(n -> cmd.add(n.asText()));
        cmd.addAll(List.of(args));
        return run(cmd, environment(), 180);
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>();
        config.get("Env").forEach(n -> {
            String kv = n.asText();
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        });
        return env;
    }

    private static String run(List<String> cmd, Map<String, String> env, int seconds) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not end within " + seconds + " s: " + Files.readString(out));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(cmd + ":\n" + text).isZero();
        return text;
    }
}
