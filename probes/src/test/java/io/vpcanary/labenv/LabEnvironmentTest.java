package io.vpcanary.labenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabEnvironmentTest {

    @Test
    void theFileHoldingClientSecretsIsOwnerOnlyAndReadsBack(@TempDir Path dir) throws IOException {
        LabEnvironment env = new LabEnvironment("ca.pem", "truststore.p12", "vpcanary-lab", 8443, Map.of(), List.of(),
                "estate.yaml", null, new LabEnvironment.IdentityProvider("https://idp", "https://idp/token",
                List.of(new LabEnvironment.Client("orders", "client", "client-secret-1", List.of("read")))));
        Path file = dir.resolve("sub/lab-env.json");
        env.write(file);
        assertThat(LabEnvironment.read(file)).isEqualTo(env);
        assertThat(file).content().contains("client-secret-1");
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }
}
