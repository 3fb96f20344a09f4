package io.vpcanary.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the tests run in. */
public final class Repository {

    private Repository() {
    }

    /** The repository root: the first directory upwards from the working directory with mvnw and probes/. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 10 && dir != null; i++, dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("probes"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
