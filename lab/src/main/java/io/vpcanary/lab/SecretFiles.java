package io.vpcanary.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes the lab's secret files in its state folder: JSON, readable by the owner only, replaced atomically. */
final class SecretFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretFiles() {
    }

    /** Writes {@code value} as JSON to {@code dir/name}; readers never see half a file, others never read it. */
    static void write(Path dir, String name, Object value) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system: keep the platform default
            }
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
