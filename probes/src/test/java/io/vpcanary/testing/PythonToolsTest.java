package io.vpcanary.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/python-tools, the one place that provides the pinned Python tools (python-tools.txt), in the cases that need no
 * network: the tools at hand are found, and where nothing can be installed (pip pointed at a closed port, its own
 * configuration ignored) it says what to install, or warns when it falls back to another version.
 */
class PythonToolsTest {

    @TempDir
    Path tmp;

    @Test
    void providesEveryPinnedToolAsAnExecutable() {
        PythonTools.Result r = PythonTools.run(null, List.of("moto_server", "cfn-lint"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        List<Path> paths = r.stdout().lines().map(Path::of).toList();
        assertThat(paths).hasSize(2);
        assertThat(paths.get(0).getFileName()).hasToString("moto_server");
        assertThat(paths.get(1).getFileName()).hasToString("cfn-lint");
        assertThat(paths).allSatisfy(p -> assertThat(Files.isExecutable(p)).as(p.toString()).isTrue());
        assertThat(PythonTools.path("moto_server")).isEqualTo(paths.get(0));
    }

    @Test
    void withoutPythonItNamesWhatToInstall() throws IOException {
        Path bin = bin("bash");
        PythonTools.Result r = PythonTools.run(offline(bin), List.of("moto_server"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("no Python 3 on PATH").contains("pip install " + pins());
    }

    @Test
    void whenPipCannotInstallItNamesWhatToInstallAndLeavesNoHalfEnvironment() throws IOException {
        Path bin = bin("bash", "python3");
        PythonTools.Result r = PythonTools.run(offline(bin), List.of("moto_server"));
        assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("moto_server is not on PATH")
                .contains("installing moto[server]==").contains(tmp.resolve("cache").toString())
                .contains("pip failed")
                .contains("moto_server missing and could not be installed. Install the pinned tools: pip install "
                        + pins());
        try (var left = Files.list(tmp.resolve("cache"))) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".lock"));
        }
    }

    @Test
    void anotherVersionOnPathIsReplacedAndUsedWithAWarningOnlyWhenNothingCanBeInstalled() throws IOException {
        Path bin = bin("bash", "python3");
        Path fakePython = Files.writeString(bin.resolve("oldpython"), "#!" + which("bash") + "\necho 0.0.1\n");
        fakePython.toFile().setExecutable(true);
        Path moto = Files.writeString(bin.resolve("moto_server"), "#!" + fakePython + "\n");
        moto.toFile().setExecutable(true);
        PythonTools.Result r = PythonTools.run(offline(bin), List.of("moto_server"));
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).isEqualTo(moto.toString());
        assertThat(r.stderr()).contains("is moto 0.0.1, python-tools.txt pins moto[server]==")
                .contains("using a virtual environment instead").contains("pip failed")
                .contains("WARNING: could not install moto[server]==");
    }

    /** The pins as the install hint quotes them. */
    private static String pins() throws IOException {
        String text = Files.readString(Repository.root().resolve("python-tools.txt"), StandardCharsets.UTF_8);
        return String.join(" ", text.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                .map(l -> "'" + l + "'").toList());
    }

    /** An environment where PATH is only {@code bin}, pip's configuration is ignored and its index is a closed port. */
    private Map<String, String> offline(Path bin) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("HOME", tmp.toString());
        env.put("VPCANARY_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("VPCANARY_PIP_INDEX_URL", "http://127.0.0.1:9/");
        env.put("VPCANARY_PIP_TIMEOUT", "2");
        return env;
    }

    /** A folder holding links to these commands only (python3 to the real interpreter, not a shim). */
    private Path bin(String... commands) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String c : commands) {
            Path target = c.equals("python3") ? realPython() : which(c);
            Files.createSymbolicLink(bin.resolve(c), target);
        }
        return bin;
    }

    private static Path which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException(command + " is not on PATH");
    }

    private static Path realPython() throws IOException {
        Process p = new ProcessBuilder(which("python3").toString(), "-c", "import sys; print(sys.executable)")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(out).as("python3's sys.executable").isNotEmpty();
        return Path.of(out);
    }
}
