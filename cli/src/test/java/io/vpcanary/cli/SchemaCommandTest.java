package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.EstateSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpcanary schema} and {@code vpcanary demo-estate}. */
class SchemaCommandTest {

    @Test
    void schemaPrintsTheGeneratedSchemaExactly() {
        CliRun r = CliRun.run("schema");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(EstateSchema.generate()).startsWith("{\n").endsWith("}\n");
    }

    @Test
    void demoEstatePrintsAFileThatValidates(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.run("demo-estate");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(EstateLoader.demoText());
        Path file = Files.writeString(dir.resolve("mine.yaml"), r.out());
        CliRun v = CliRun.run("validate", file.toString());
        assertThat(v.exit()).as(v.err()).isZero();
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("validate").contains("schema").contains("demo-estate");
    }
}
