package io.vpcanary.cli;

import io.vpcanary.estate.EstateSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vpcanary schema}: prints the JSON Schema of the estate file, generated from the model; the same text is
 * committed as {@code docs/estate.schema.json}.
 */
@Command(name = "schema",
        description = "Print the JSON Schema (draft 2020-12) of the estate file, for editors and other tools.",
        mixinStandardHelpOptions = true)
public final class SchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(EstateSchema.generate());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
