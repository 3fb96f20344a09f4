package io.vpcanary.cli;

import io.vpcanary.dashboards.report.ReportInputs;
import io.vpcanary.dashboards.report.ReportModel;
import io.vpcanary.dashboards.report.ReportPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary report}: one self-contained HTML page over local runs (probe JSON documents and {@code --publish
 * local} metric files), see docs/report.md. Bad input (no file, a missing file, a file that is not what its option
 * says) is one line and exit 2 through {@link Main}'s handler.
 */
@Command(name = "report",
        description = "Write one self-contained HTML report (charts bundled, no network needed to view it) over "
                + "local runs: probe JSON documents and --publish local metric files of probes and load runs.",
        mixinStandardHelpOptions = true)
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The HTML page to write.")
    Path out;

    @Option(names = "--probe", paramLabel = "FILE", description = "A document of vpcanary probe --json (repeatable).")
    List<Path> probes = new ArrayList<>();

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "A JSON-lines file of --publish local --metrics-file, of probes or load runs (repeatable).")
    List<Path> metrics = new ArrayList<>();

    @Option(names = "--gameday", paramLabel = "FILE",
            description = "A report of vpcanary gameday run --json: its failover timeline (repeatable).")
    List<Path> gameDays = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ReportModel model = ReportModel.of(ReportInputs.read(probes, metrics, gameDays));
        String page = ReportPage.render(model, Instant.now());
        Path target = out.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".report", ".html.tmp");
        try {
            Files.writeString(tmp, page, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().printf("vpcanary report: wrote %s (%d bytes) from %d probe document(s) and %d "
                + "metric file(s)%s%n", out, page.getBytes(StandardCharsets.UTF_8).length, probes.size(), metrics.size(),
                gameDays.isEmpty() ? "" : " and " + gameDays.size() + " game day(s)");
        return 0;
    }
}
