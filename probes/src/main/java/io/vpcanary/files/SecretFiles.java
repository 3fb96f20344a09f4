package io.vpcanary.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files that may hold secrets (the lab's state folder, the lab environment file): readable and writable by
 * the owner only from their first byte, and replaced atomically, so readers never see half a file and other users
 * never read one. On a file system without POSIX permissions the platform default applies.
 */
public final class SecretFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretFiles() {
    }

    /** Writes {@code value} as JSON to {@code dir/name}. */
    public static void write(Path dir, String name, Object value) throws IOException {
        write(dir.resolve(name), JSON.writeValueAsBytes(value));
    }

    /** Writes {@code bytes} to {@code file} (creating its folder) through an owner-only temporary file beside it. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = Files.createDirectories(target.getParent());
        String prefix = "." + target.getFileName();
        Path tmp = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, prefix, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, prefix, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(bytes);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
