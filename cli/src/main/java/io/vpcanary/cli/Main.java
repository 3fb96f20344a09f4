package io.vpcanary.cli;

import io.vpcanary.estate.EstateException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vpcanary} command. Exit codes: 0 success, 1 a check failed (or an unexpected failure), 2 bad input or
 * usage. Every failure is answered with one line on standard error, {@code vpcanary: <message>}; the stack trace
 * only with {@code --debug} or {@code VPCANARY_DEBUG=1}.
 */
@Command(name = "vpcanary",
        mixinStandardHelpOptions = true,
        version = "vpcanary 0.1.0",
        description = "Synthetic monitoring and load testing of private APIs on Amazon API Gateway.",
        subcommands = {
                CommandLine.HelpCommand.class,
                LabCommand.class,
                ProbeCommand.class,
                RoutingCommand.class,
                ValidateCommand.class,
                SchemaCommand.class,
                DemoEstateCommand.class,
                CostCommand.class,
                LambdaCommand.class,
                DashboardsCommand.class,
                AlarmsCommand.class,
                ReportCommand.class,
                GameDayCommand.class,
                LoadCommand.class,
        })
public final class Main implements Runnable {

    /**
     * java.util.logging loggers that print request headers (an {@code Authorization} SigV4 signature, a bearer token)
     * at FINE: the JDK's HttpURLConnection, which the AWS SDK's url-connection client uses for CloudWatch, and the
     * JDK's HTTP client. Pinned to INFO whatever logging configuration the JVM is given (slf4j loggers are pinned in
     * {@code simplelogger.properties}). Held here so that the pinned loggers are never collected and reset.
     */
    static final List<java.util.logging.Logger> PINNED_JUL = java.util.stream.Stream.of(
                    "sun.net.www.protocol.http.HttpURLConnection", "jdk.internal.httpclient.debug",
                    "jdk.httpclient.HttpClient")
            .map(java.util.logging.Logger::getLogger).toList();

    static {
        PINNED_JUL.forEach(l -> l.setLevel(java.util.logging.Level.INFO));
    }

    /** The environment variable that, set to {@code 1}, makes failures print their stack trace. */
    static final String DEBUG_ENV = "VPCANARY_DEBUG";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "On a failure, print the stack trace as well (or set " + DEBUG_ENV + "=1).")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line; tests call {@link CommandLine#execute(String...)} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(t -> 2);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine sub = ex.getCommandLine();
            sub.getErr().println("vpcanary: " + ex.getMessage() + " (see '" + sub.getCommandSpec().qualifiedName()
                    + " --help')");
            if (debug(ex.getCommandLine().getParseResult())) {
                ex.printStackTrace(sub.getErr());
            }
            sub.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, sub, parseResult) -> {
            PrintWriter err = sub.getErr();
            err.println("vpcanary: " + message(ex));
            if (debug(parseResult)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return badInput(ex) ? 2 : 1;
        });
        return cl;
    }

    /** Whether {@code --debug} was given on any command of the line, or {@code VPCANARY_DEBUG=1} is set. */
    static boolean debug(CommandLine.ParseResult parseResult) {
        if ("1".equals(System.getenv(DEBUG_ENV))) {
            return true;
        }
        int depth = 0;
        for (CommandLine.ParseResult p = parseResult; p != null && depth < 16; p = p.subcommand(), depth++) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** A failure the user can fix by changing what they gave: arguments, files, ports. */
    static boolean badInput(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
            if (c instanceof IllegalArgumentException || c instanceof EstateException
                    || c instanceof FileSystemException || c instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** The exception's message on one line, or its type when it has none. */
    static String message(Throwable t) {
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
