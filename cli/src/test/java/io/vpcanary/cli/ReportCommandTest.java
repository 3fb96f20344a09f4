package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpcanary report}'s bad input: one line, exit 2, nothing written. The page itself: ReportInChromiumTest. */
class ReportCommandTest {

    @TempDir
    Path dir;

    private void badInput(String expected, String... args) {
        CliRun r = run(args);
        assertThat(r.exit()).as("exit; stderr %s", r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("vpcanary: ").contains(expected).doesNotContain("\n");
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        String out = dir.resolve("r.html").toString();
        badInput("give at least one --probe FILE", "report", "--out", out);
        badInput("Missing required option: '--out=FILE'", "report", "--probe", "x.json");
        badInput(dir.resolve("none.jsonl").toString(), "report", "--out", out, "--metrics",
                dir.resolve("none.jsonl").toString());
        Path garbage = Files.writeString(dir.resolve("g.jsonl"), "not json\n");
        badInput(garbage + ":1: not a vpcanary metrics line", "report", "--out", out, "--metrics",
                garbage.toString());
        Path notProbe = Files.writeString(dir.resolve("p.json"), "[1, 2]");
        badInput(notProbe + ": not a vpcanary probe JSON document", "report", "--out", out, "--probe",
                notProbe.toString());
        Path probe = Files.writeString(dir.resolve("ok.json"), "{\"checks\": []}");
        badInput("no-such-dir", "report", "--out", dir.resolve("no-such-dir/r.html").toString(), "--probe",
                probe.toString());
    }
}
