package io.vpcanary.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vpcanary routing}: the routing domains of an estate, seen from the client's side. */
@Command(name = "routing",
        mixinStandardHelpOptions = true,
        description = "Routing domains (Route 53 failover, weighted, latency) seen from the client's side.",
        subcommands = {RoutingVerifyCommand.class})
public final class RoutingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
