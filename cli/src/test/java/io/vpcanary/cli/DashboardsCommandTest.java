package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.testing.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpcanary dashboards generate} and the checked-in {@code dashboards/examples}. */
class DashboardsCommandTest {

    private static final Path EXAMPLES = Repository.root().resolve("dashboards/examples");
    private static final String REGENERATE = "./mvnw -pl cli -am package -DskipTests && "
            + "bin/vpcanary dashboards generate --out dashboards/examples";

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void theCheckedInExamplesAreTheCommandsOutputForTheDemoEstate(@TempDir Path dir) throws Exception {
        CliRun r = run("dashboards", "generate", "--out", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<Path> written = files(dir);
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("vpcanary.grafana.json", "vpcanary.json");
        for (Path file : written) {
            Path checkedIn = EXAMPLES.resolve(file.getFileName());
            assertThat(checkedIn).as("dashboards/examples lacks %s: regenerate them with %s", file.getFileName(),
                    REGENERATE).exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as("dashboards/examples/%s has drifted from the generator: regenerate them with %s",
                            file.getFileName(), REGENERATE)
                    .isEqualTo(Files.readString(checkedIn, StandardCharsets.UTF_8));
        }
        assertThat(r.out()).contains("vpcanary.json: CloudWatch dashboard vpcanary, 71 widgets")
                .contains("vpcanary.grafana.json: Grafana dashboard vpcanary");
    }

    @Test
    void aLargeEstateIsWrittenAsAnOverviewAndOneDashboardPerApi(@TempDir Path dir) throws Exception {
        // the demo's APIs 15 times over: 75 APIs (without the demo's routing domains, which name orders)
        StringBuilder apis = new StringBuilder();
        String demo = io.vpcanary.testing.DemoEstates.withRoutingDomains("");
        int start = demo.indexOf("\napis:\n") + "\napis:\n".length();
        int end = demo.indexOf("\nlab:\n");
        String block = demo.substring(start, end);
        for (int i = 0; i < 15; i++) {
            apis.append(block.replaceAll("(?m)^  - name: (\\S+)", "  - name: $1-" + i)
                    .replaceAll("(?m)^(\\s+id: \\w{6})\\w{4}$", "$1" + String.format("%04d", i))
                    // a domain maps a base path once: each copy gets its own domain names
                    .replaceAll("(?m)^(\\s+- domain: [a-z0-9-]+)\\.", "$1-" + i + "."));
        }
        String text = demo.substring(0, start) + apis + demo.substring(end);
        Path estate = Files.writeString(dir.resolve("large.yaml"), text);
        Path out = dir.resolve("out");
        CliRun r = run("dashboards", "generate", "--estate", estate.toString(), "--out", out.toString(),
                "--name", "big");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(files(out)).hasSize(77);
        assertThat(out.resolve("big.json")).exists();
        assertThat(out.resolve("big-orders-0.json")).exists();
        assertThat(out.resolve("big.grafana.json")).exists();
        assertThat(r.out().lines().filter(l -> l.contains("CloudWatch dashboard big-"))).hasSize(75);
    }

    @Test
    void badInputIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        CliRun period = run("dashboards", "generate", "--out", dir.toString(), "--period", "90");
        assertThat(period.exit()).isEqualTo(2);
        assertThat(period.err().strip())
                .isEqualTo("vpcanary: the period must be a positive multiple of 60 seconds, got 90");
        CliRun name = run("dashboards", "generate", "--out", dir.toString(), "--name", "my board");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err().lines()).hasSize(1).allMatch(l -> l.startsWith("vpcanary: the dashboard name"));
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "apis: [");
        CliRun estate = run("dashboards", "generate", "--estate", broken.toString(), "--out", dir.toString());
        assertThat(estate.exit()).isEqualTo(2);
        assertThat(estate.err().lines()).hasSize(1).allMatch(l -> l.startsWith("vpcanary: ") && l.contains("broken.yaml"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun out = run("dashboards", "generate", "--out", file.toString());
        assertThat(out.exit()).isEqualTo(2);
        assertThat(out.err().lines()).hasSize(1).allMatch(l -> l.startsWith("vpcanary: "));
        assertThat(files(dir)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("broken.yaml", "a-file");
    }
}
