package io.vpcanary.cli;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --estate FILE}, defaulting to the bundled demo estate; a mixin of the generating commands. */
final class EstateOption {

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate file (default: the demo estate).")
    Path file;

    /** The estate given, or the demo; an invalid file is an {@link EstateException} naming it (exit 2). */
    Estate load() throws EstateException {
        return file == null ? EstateLoader.demo() : EstateLoader.load(file);
    }

    /** How a generated file names its source: the file's name, or {@code the demo estate}. */
    String label() {
        return file == null ? "the demo estate" : String.valueOf(file.toAbsolutePath().normalize().getFileName());
    }
}
