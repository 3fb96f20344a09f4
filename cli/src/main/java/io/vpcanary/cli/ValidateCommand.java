package io.vpcanary.cli;

import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vpcanary validate FILE...}: loads each estate file and reports every problem as
 * {@code file:line:column: field: message} on standard error, in file order. Exit status 0 when every file is valid, 2 when any
 * file is missing, unreadable or invalid (all files are checked either way).
 */
@Command(name = "validate",
        description = {
                "Check estate files: syntax, unknown fields, types, required fields, formats and references.",
                "Prints '<file>: ok (...)' for each valid file; each problem of an invalid one as "
                        + "file:line:column: field: message on standard error."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every file is valid", "2:a file is missing, unreadable or invalid; or bad usage"},
        mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Estate files (YAML).")
    List<Path> files = List.of();

    @Option(names = "--demo", description = "Validate the demo estate bundled with vpcanary.")
    boolean demo;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.isEmpty() && !demo) {
            err.println("vpcanary validate: name at least one estate file, or --demo");
            spec.commandLine().usage(err);
            return 2;
        }
        boolean allValid = true;
        if (demo) {
            allValid &= report(Path.of("demo-estate.yaml"), () -> EstateLoader.parse(Path.of("demo-estate.yaml"),
                    EstateLoader.demoText()), out, err);
        }
        for (Path file : files) {
            if (!Files.exists(file)) {
                err.println(file + ": no such file");
                allValid = false;
            } else if (Files.isDirectory(file)) {
                err.println(file + ": is a directory, not an estate file");
                allValid = false;
            } else {
                allValid &= report(file, () -> EstateLoader.load(file), out, err);
            }
        }
        out.flush();
        err.flush();
        return allValid ? 0 : 2;
    }

    private interface Load {
        Estate get() throws EstateException;
    }

    private static boolean report(Path file, Load load, PrintWriter out, PrintWriter err) {
        try {
            out.println(file + ": ok (" + summary(load.get()) + ")");
            return true;
        } catch (EstateException e) {
            // In file order, so that a reader can walk down the file; problems at one place keep their order.
            e.problems().stream()
                    .sorted(Comparator.comparingInt(EstateException.Problem::line)
                            .thenComparingInt(EstateException.Problem::column))
                    .forEach(err::println);
            return false;
        }
    }

    /** Such as {@code 2 APIs, 3 regions, 6 checks, 27 targets}. */
    static String summary(Estate estate) {
        int checks = estate.apis().stream().mapToInt(a -> a.checks().size()).sum();
        return count(estate.apis().size(), "API") + ", " + count(estate.regions().size(), "region") + ", "
                + count(checks, "check") + ", " + count(TargetPlanner.forAws(estate).targets().size(), "target");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
