package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@code vpcanary} command answers when it fails: one line, exit 2 for bad input, a trace only in debug. */
class MainTest {

    @TempDir
    Path dir;

    @Test
    void aFailureIsOneLineAndTheStackTraceOnlyWithDebug() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("state"), "a file");

        CliRun r = CliRun.run("lab", "--state-dir", notADirectory.toString(), "--https-port", "0", "--dns-port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString().startsWith("vpcanary: ").contains(notADirectory.toString());

        CliRun debug = CliRun.run("--debug", "lab", "--state-dir", notADirectory.toString(), "--https-port", "0",
                "--dns-port", "0");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err().lines().findFirst()).contains(r.err().strip());
        assertThat(debug.err()).contains("\tat ");

        CliRun debugAfter = CliRun.run("lab", "--debug", "--state-dir", notADirectory.toString(), "--https-port", "0",
                "--dns-port", "0");
        assertThat(debugAfter.err()).contains("\tat ");
    }

    @Test
    void aBadOptionIsOneLineNamingTheHelp() {
        CliRun r = CliRun.run("cost", "--resolution", "sixty");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("vpcanary: Invalid value for option '--resolution'")
                .endsWith("(see 'vpcanary cost --help')");
    }

    @Test
    void badInputAndOtherFailuresHaveTheirExitStatus() {
        assertThat(Main.badInput(new IllegalArgumentException("x"))).isTrue();
        assertThat(Main.badInput(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("f")))).isTrue();
        assertThat(Main.badInput(new IllegalStateException("bug"))).isFalse();
        assertThat(Main.message(new IllegalStateException("two\nlines"))).isEqualTo("two; lines");
        assertThat(Main.message(new NullPointerException())).isEqualTo("java.lang.NullPointerException");
    }
}
