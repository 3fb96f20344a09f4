package io.vpcanary.dashboards.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.metrics.LocalJsonReader;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a report is made of: the documents of {@code vpcanary probe --json} and the JSON-lines files of
 * {@code --publish local} (probes and load runs alike), read as given. A file that is not what it should be is an
 * {@link IllegalArgumentException} naming the file (and, for metric files, the line), which the command reports as
 * bad input.
 *
 * @param probeRuns   one per probe JSON file, in the order given
 * @param metricFiles one per metric file, in the order given
 */
public record ReportInputs(List<ProbeRunFile> probeRuns, List<MetricFile> metricFiles, List<GameDayFile> gameDays) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One probe JSON document ({@code docs/probe.md}, "JSON"): its file name and parsed content. */
    public record ProbeRunFile(String name, JsonNode document) {
    }

    /** One metric file: its file name and every line, as {@link LocalJsonReader} rebuilds them. */
    public record MetricFile(String name, List<LocalJsonReader.Entry> entries) {
    }

    /**
     * One report of {@code vpcanary gameday run --json}.
     *
     * @param name     the file's name
     * @param document the report
     */
    public record GameDayFile(String name, JsonNode document) {
    }

    public ReportInputs {
        probeRuns = List.copyOf(probeRuns);
        metricFiles = List.copyOf(metricFiles);
        gameDays = List.copyOf(gameDays);
    }

    /** Probe runs and metric files, no game days. */
    public ReportInputs(List<ProbeRunFile> probeRuns, List<MetricFile> metricFiles) {
        this(probeRuns, metricFiles, List.of());
    }

    /** As {@link #read(List, List, List)} without game days. */
    public static ReportInputs read(List<Path> probeFiles, List<Path> metricFiles) throws IOException {
        return read(probeFiles, metricFiles, List.of());
    }

    /**
     * Reads every file.
     *
     * @throws IllegalArgumentException when no file is given, or a file is not a probe document / metric file
     * @throws FileSystemException      when a file is missing or unreadable (bad input too)
     * @throws IOException              on any other read failure
     */
    public static ReportInputs read(List<Path> probeFiles, List<Path> metricFiles, List<Path> gameDayFiles)
            throws IOException {
        if (probeFiles.isEmpty() && metricFiles.isEmpty() && gameDayFiles.isEmpty()) {
            throw new IllegalArgumentException("give at least one --probe FILE (vpcanary probe --json), --metrics "
                    + "FILE (--publish local --metrics-file) or --gameday FILE (vpcanary gameday run --json)");
        }
        List<GameDayFile> gameDays = new ArrayList<>();
        for (Path p : gameDayFiles) {
            JsonNode doc;
            try {
                doc = JSON.readTree(Files.readString(p));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(p + ": not a vpcanary gameday run --json report: "
                        + e.getOriginalMessage(), e);
            }
            if (doc == null || !doc.has("rtoSeconds") || !doc.path("seconds").isArray()) {
                throw new IllegalArgumentException(p + ": not a vpcanary gameday run --json report (no rtoSeconds "
                        + "and seconds)");
            }
            gameDays.add(new GameDayFile(p.getFileName().toString(), doc));
        }
        List<ProbeRunFile> runs = new ArrayList<>();
        for (Path p : probeFiles) {
            runs.add(new ProbeRunFile(p.getFileName().toString(), probeDocument(p)));
        }
        List<MetricFile> files = new ArrayList<>();
        for (Path p : metricFiles) {
            if (!Files.isRegularFile(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such metrics file");
            }
            try {
                files.add(new MetricFile(p.getFileName().toString(), LocalJsonReader.read(p)));
            } catch (FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new ReportInputs(runs, files, gameDays);
    }

    private static JsonNode probeDocument(Path p) throws IOException {
        String text = Files.readString(p);
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(p + ": not a vpcanary probe JSON document: "
                    + e.getOriginalMessage(), e);
        }
        if (doc == null || !doc.isObject() || !doc.path("checks").isArray()) {
            throw new IllegalArgumentException(p + ": not a vpcanary probe JSON document (no \"checks\" array; "
                    + "write one with vpcanary probe --json FILE)");
        }
        return doc;
    }
}
