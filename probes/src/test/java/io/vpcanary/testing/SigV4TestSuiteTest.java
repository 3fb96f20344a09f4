package io.vpcanary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.testing.SigV4TestSuite.Case;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite reader finds every case in the repository's own test resources, from a directory and from a jar. */
class SigV4TestSuiteTest {

    @Test
    void v4CasesAreAllThere() {
        List<Case> cases = SigV4TestSuite.v4();
        assertThat(cases).hasSize(38);
        assertThat(cases).extracting(Case::name).contains("get-vanilla", "post-sts-header-after",
                "get-space-unnormalized", "post-x-www-form-urlencoded-parameters").isSorted();
        Case vanilla = SigV4TestSuite.v4("get-vanilla");
        assertThat(vanilla.region()).isEqualTo("us-east-1");
        assertThat(vanilla.request().method()).isEqualTo("GET");
        assertThat(vanilla.request().host()).isEqualTo("example.amazonaws.com");
        assertThat(vanilla.expectedAuthorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    }

    @Test
    void v4aCasesAreReadable() {
        List<Case> cases = SigV4TestSuite.v4a();
        assertThat(cases).hasSize(40).allSatisfy(c -> {
            assertThat(c.version()).isEqualTo("v4a");
            assertThat(c.request().method()).isNotBlank();
            assertThat(c.region()).isNotBlank();
        });
        // Two cases (get-vanilla-query-order-key, -value) hold only a request and its context.
        assertThat(cases).filteredOn(c -> c.files().containsKey("header-signed-request.txt")).hasSize(38)
                .allSatisfy(c -> assertThat(c.read("public-key.json")).contains("\"X\"", "\"Y\""));
    }

    @Test
    void readsTheSameCasesFromInsideAJar(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("suite.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, SigV4TestSuite.RESOURCE + "/SOURCE", "test");
            for (Case c : SigV4TestSuite.v4()) {
                for (var f : c.files().entrySet()) {
                    put(out, SigV4TestSuite.RESOURCE + "/v4/" + c.name() + "/" + f.getKey(), f.getValue());
                }
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(loader.getResource(SigV4TestSuite.RESOURCE + "/SOURCE").getProtocol()).isEqualTo("jar");
            List<Case> fromJar = SigV4TestSuite.read(loader, "v4");
            assertThat(fromJar).hasSize(SigV4TestSuite.v4().size());
            for (int i = 0; i < fromJar.size(); i++) {
                assertThat(fromJar.get(i).name()).isEqualTo(SigV4TestSuite.v4().get(i).name());
                assertThat(fromJar.get(i).files()).isEqualTo(SigV4TestSuite.v4().get(i).files());
            }
        }
    }

    @Test
    void saysWhereTheSuiteShouldBeWhenItIsMissing(@TempDir Path tmp) throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> SigV4TestSuite.read(empty, "v4"))
                    .hasMessageContaining("not on the class path").hasMessageContaining("probes/src/test/resources");
        }
    }

    private static void put(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
