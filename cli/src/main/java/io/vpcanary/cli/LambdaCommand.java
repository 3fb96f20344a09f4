package io.vpcanary.cli;

import io.vpcanary.deploy.SamTemplate;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary lambda}: the Lambda canary's deployment. {@code vpcanary lambda template} writes the AWS SAM
 * template of one canary function per VPC of an estate ({@link SamTemplate}); bad input (an invalid estate, a rate
 * or rounds that do not fit, an unwritable file) is one line and exit 2 through {@link Main}'s handler.
 */
@Command(name = "lambda",
        description = "The Lambda canary's deployment: one function per VPC of the estate.",
        mixinStandardHelpOptions = true,
        subcommands = {LambdaCommand.Template.class})
public final class LambdaCommand extends CommandGroup {


    /** {@code vpcanary lambda template}. */
    @Command(name = "template",
            description = "Write the AWS SAM template of the estate's Lambda canaries (one function per VPC with "
                    + "checks), to deploy with sam deploy in each region.",
            mixinStandardHelpOptions = true)
    public static final class Template implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        EstateFileOption estateOption;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the template here instead of to stdout.")
        Path out;

        @CommandLine.Mixin
        CanaryScheduleOptions scheduleOptions;

        @Option(names = "--code-uri", paramLabel = "PATH", defaultValue = SamTemplate.DEFAULT_CODE_URI,
                description = "The canary package as SAM resolves it: relative to the template's directory, or an "
                        + "s3:// URI. Default ${DEFAULT-VALUE} (right for lambda/template.yaml).")
        String codeUri;

        @Override
        public Integer call() throws IOException, EstateException {
            Estate estate = estateOption.load();
            String label = estateOption.label();
            String text = SamTemplate.render(estate, label,
                    new SamTemplate.Settings(scheduleOptions.schedule(), codeUri));
            if (out == null) {
                PrintWriter w = spec.commandLine().getOut();
                w.print(text);
                w.flush();
            } else {
                Files.writeString(out, text, StandardCharsets.UTF_8);
                spec.commandLine().getErr().println("vpcanary lambda template: wrote " + out);
            }
            return 0;
        }
    }
}
