package io.vpcanary.cli;

import io.vpcanary.estate.EstateLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpcanary demo-estate [--full]}: prints a demo estate bundled with vpcanary, a starting point for your own:
 * the default one the lab serves, or the full one with API Gateway's features since 2024.
 */
@Command(name = "demo-estate",
        description = "Print the bundled demo estate (YAML): a starting point for your own estate file.",
        mixinStandardHelpOptions = true)
public final class DemoEstateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--full", description = "The full demo: private custom domains shared across accounts with their"
            + " own policy, base path mappings, VPC endpoint policies (serve it with vpcanary lab --estate).")
    boolean full;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(full ? EstateLoader.fullDemoText() : EstateLoader.demoText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
