package io.vpcanary.cli;

import io.vpcanary.estate.EstateLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vpcanary demo-estate}: prints the demo estate bundled with vpcanary, a starting point for your own. */
@Command(name = "demo-estate",
        description = "Print the bundled demo estate (YAML): a starting point for your own estate file.",
        mixinStandardHelpOptions = true)
public final class DemoEstateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(EstateLoader.demoText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
