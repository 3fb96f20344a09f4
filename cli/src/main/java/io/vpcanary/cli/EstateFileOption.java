package io.vpcanary.cli;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --estate FILE}, the demo estate when absent, as the generating commands ({@code vpcanary lambda template},
 * {@code vpcanary alarms generate}) take it. A picocli mixin.
 */
final class EstateFileOption {

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate file (default: the demo estate).")
    Path file;

    /** The estate, loaded and validated. */
    Estate load() throws EstateException {
        return file == null ? EstateLoader.demo() : EstateLoader.load(file);
    }

    /** How a generated file names the estate it came from: the file's name, or {@code the demo estate}. */
    String label() {
        return file == null ? "the demo estate" : String.valueOf(file.toAbsolutePath().normalize().getFileName());
    }
}
