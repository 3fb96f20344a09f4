package io.vpcanary.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void writesOwnerOnlyFilesCreatingTheFolder() throws IOException {
        Path file = dir.resolve("state/key.pem");
        SecretFiles.write(file, "secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(file).hasContent("secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void replacingAWorldReadableFileLeavesItOwnerOnlyAndNoTemporaryFileBehind() throws IOException {
        Path file = Files.writeString(dir.resolve("lab-env.json"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFiles.write(dir, "lab-env.json", Map.of("secret", "s3cr3t"));
        assertThat(file).hasContent("{\"secret\":\"s3cr3t\"}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
