package io.vpcanary.cli;

import io.vpcanary.dashboards.alarms.AlarmPlan;
import io.vpcanary.dashboards.alarms.AlarmTemplate;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.metrics.ProbeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary alarms}: the estate's CloudWatch alarms and Route 53 health checks. {@code vpcanary alarms
 * generate} writes the plan ({@link AlarmPlan}) as JSON and as a CloudFormation template ({@link AlarmTemplate});
 * bad input (an invalid estate, a routing record without checks, an unwritable directory) is one line and exit 2
 * through {@link Main}'s handler.
 */
@Command(name = "alarms",
        description = "The estate's CloudWatch alarms and the Route 53 health checks of its routing domains.",
        mixinStandardHelpOptions = true,
        subcommands = {AlarmsCommand.Generate.class})
public final class AlarmsCommand extends CommandGroup {

    /** The plan's file name in the output directory. */
    static final String PLAN_FILE = "alarms.json";
    /** The template's file name in the output directory. */
    static final String TEMPLATE_FILE = "template.yaml";


    /** {@code vpcanary alarms generate}. */
    @Command(name = "generate",
            description = "Write the alarms and health checks of an estate: " + PLAN_FILE + " (the PutMetricAlarm and "
                    + "CreateHealthCheck fields) and " + TEMPLATE_FILE + " (a CloudFormation template, deployed once "
                    + "per region).",
            mixinStandardHelpOptions = true)
    public static final class Generate implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        EstateOption estateOption;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "Directory to write " + PLAN_FILE + " and " + TEMPLATE_FILE + " into (created when "
                        + "missing). Default: the current directory.")
        Path out;

        @Option(names = "--namespace", paramLabel = "NAME", defaultValue = ProbeMetrics.DEFAULT_NAMESPACE,
                description = "Metric namespace the canaries publish to. Default: ${DEFAULT-VALUE}.")
        String namespace;

        @Override
        public Integer call() throws IOException, EstateException {
            Estate estate = estateOption.load();
            String label = estateOption.label();
            AlarmPlan plan = AlarmPlan.of(estate, new AlarmPlan.Settings(namespace));
            Files.createDirectories(out);
            Path planFile = out.resolve(PLAN_FILE);
            Path templateFile = out.resolve(TEMPLATE_FILE);
            Files.writeString(planFile, plan.toJson(), StandardCharsets.UTF_8);
            Files.writeString(templateFile, AlarmTemplate.render(plan, label), StandardCharsets.UTF_8);
            spec.commandLine().getErr().println("vpcanary alarms generate: " + plan.alarms().size() + " alarms, "
                    + plan.healthChecks().size() + " health checks; wrote " + planFile + " and " + templateFile);
            return 0;
        }
    }
}
