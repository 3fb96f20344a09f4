package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.gameday.load.InjectorStack;
import io.vpcanary.gameday.load.RunId;
import io.vpcanary.gameday.load.RunSettings;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The contract between {@code vpcanary load start}, which sets each injector task's command, and the image's
 * {@code vpcanary load run}, which runs it: every argument start writes is one run accepts, with the values meant.
 */
class InjectorCommandContractTest {

    /** The option's value as given: one value's text, several joined by commas. */
    private static String value(CommandLine.ParseResult run, String option) {
        Object v = run.matchedOption(option).getValue();
        return v instanceof java.util.Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(v);
    }

    @Test
    void theCommandStartGivesEachTaskIsOneLoadRunAccepts() {
        InjectorStack stack = new InjectorStack("us-west-2", "vpcanary-injectors", "c", "td", "injector",
                List.of("subnet-1"), List.of("sg-1"), "canary-west", 3, "vpcanary/load");
        RunId id = RunId.generate(Instant.parse("2026-11-28T10:00:00Z"));
        RunSettings settings = new RunSettings(id, null, "/estate/estate.yaml", null, 12.5, "10m", "30s", null);
        List<String> command = settings.command(stack);

        CommandLine.ParseResult parsed = Main.commandLine().parseArgs(command.toArray(String[]::new));
        CommandLine.ParseResult run = parsed.subcommand().subcommand();
        assertThat(run.commandSpec().qualifiedName()).isEqualTo("vpcanary load run");
        assertThat(value(run, "--target")).isEqualTo("aws");
        assertThat(value(run, "--run-id")).isEqualTo(id.value());
        assertThat(value(run, "--vantage")).isEqualTo("canary-west");
        assertThat(value(run, "--namespace")).isEqualTo("vpcanary/load");
        assertThat(value(run, "--estate")).isEqualTo("/estate/estate.yaml");
        assertThat(value(run, "--duration")).isEqualTo("10m");
        assertThat(value(run, "--warm-up")).isEqualTo("30s");
        assertThat(value(run, "--region")).isEqualTo("us-west-2");
        assertThat(value(run, "--rate")).isEqualTo("12.5");
    }
}
