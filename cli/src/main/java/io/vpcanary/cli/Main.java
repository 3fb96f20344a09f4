package io.vpcanary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vpcanary} command. Exit codes: 0 success, 1 a check failed, 2 bad input or usage. */
@Command(name = "vpcanary",
        mixinStandardHelpOptions = true,
        version = "vpcanary 0.1.0",
        description = "Synthetic monitoring and load testing of private APIs on Amazon API Gateway.",
        subcommands = {
                CommandLine.HelpCommand.class,
                LabCommand.class,
                ProbeCommand.class,
                ValidateCommand.class,
                SchemaCommand.class,
                DemoEstateCommand.class,
                CostCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests call {@link CommandLine#execute(String...)} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(t -> 2);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("vpcanary: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
