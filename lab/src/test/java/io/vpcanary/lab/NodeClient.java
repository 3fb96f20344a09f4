package io.vpcanary.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Node.js programs the lab's tests run as independent clients: a folder of the test sources with a
 * {@code package.json} and {@code package-lock.json} is copied into {@code target/} and installed with {@code npm ci};
 * a script runs there with its input in the environment (never on the command line). A test that needs node skips,
 * saying why, only when {@code node} is not on the PATH. Every wait is bounded.
 */
final class NodeClient {

    private NodeClient() {
    }

    /** Copies {@code source} to {@code target/{name}} and runs {@code npm ci} there (at most 5 minutes). */
    static Path install(String name, Path source) throws Exception {
        assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are not on the PATH: the independent-client test needs them (CI has them)");
        Path dir = Path.of("target", name).toAbsolutePath();
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm-ci.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("npm ci in " + dir + " took over 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("npm ci in " + dir + " failed: " + Files.readString(dir.resolve("npm-ci.log")));
        }
        return dir;
    }

    /** Runs {@code node script} in {@code dir} with {@code env} added (at most 30 s); its standard output. */
    static String run(Path dir, String script, Map<String, String> env) throws Exception {
        ProcessBuilder b = new ProcessBuilder("node", script).directory(dir.toFile());
        b.environment().putAll(env);
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        b.redirectError(err.toFile());
        Process p = b.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " took over 30 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("node " + script + " exited " + p.exitValue() + ": " + Files.readString(err));
        }
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

}
