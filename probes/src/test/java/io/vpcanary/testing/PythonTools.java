package io.vpcanary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Python tools the tests run (moto_server, cfn-lint), at the versions {@code python-tools.txt} pins, through
 * {@code bin/python-tools}: the one on PATH when its version matches, else one installed into a virtual environment
 * in the build cache. Asked once per command and JVM.
 */
public final class PythonTools {

    private static final Map<String, Path> FOUND = new ConcurrentHashMap<>();

    private PythonTools() {
    }

    /** The executable to run for {@code command}; fails with bin/python-tools' message when it cannot provide one. */
    public static Path path(String command) {
        return FOUND.computeIfAbsent(command, PythonTools::ask);
    }

    /** Runs {@code bin/python-tools} with {@code args} in {@code env} (null: this JVM's environment). */
    public static Result run(Map<String, String> env, List<String> args) {
        Path script = Repository.root().resolve("bin/python-tools");
        try {
            Path err = Files.createTempFile("python-tools-", ".log");
            try {
                List<String> command = new ArrayList<>(List.of(script.toString()));
                command.addAll(args);
                ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
                if (env != null) {
                    pb.environment().clear();
                    pb.environment().putAll(env);
                }
                Process p = pb.start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exit = p.waitFor();
                return new Result(exit, out, Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path ask(String command) {
        Result r = run(null, List.of(command));
        System.err.print(r.stderr());
        if (r.exit() != 0 || r.stdout().isBlank()) {
            throw new IllegalStateException("bin/python-tools could not provide " + command + " (exit " + r.exit()
                    + "):\n" + r.stderr());
        }
        return Path.of(r.stdout().strip());
    }

    /** What bin/python-tools said. */
    public record Result(int exit, String stdout, String stderr) {
    }
}
