package io.vpcanary.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code vpcanary} command line, as the tests see it: exit status and captured streams.
 *
 * @param exit the exit status {@code vpcanary} would exit with
 * @param out  what it wrote to standard output
 * @param err  what it wrote to standard error
 */
record CliRun(int exit, String out, String err) {

    /** Runs {@code vpcanary args...} in this JVM and captures its streams. */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
