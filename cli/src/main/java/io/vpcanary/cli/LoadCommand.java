package io.vpcanary.cli;

import picocli.CommandLine.Command;

/** {@code vpcanary load}: load runs (docs/load.md). */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        description = "Load runs: Gatling simulations in this process, as an injector (docs/load.md).",
        subcommands = {LoadRunCommand.class})
public final class LoadCommand extends CommandGroup {
}
