package io.vpcanary.cli;

import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.labenv.LabControlJson;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vpcanary lab fault add|list|clear}: a thin command over {@link LabControl}, the control channel the running
 * lab's environment file names (docs/lab.md#faults).
 */
@Command(name = "fault",
        mixinStandardHelpOptions = true,
        description = "Sets, lists and clears faults of a running lab (over the control channel its environment file names).",
        subcommands = {LabFaultCommand.Add.class, LabFaultCommand.ListFaults.class, LabFaultCommand.Clear.class})
public final class LabFaultCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every verb takes. */
    abstract static class Verb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--lab", paramLabel = "FILE", required = true,
                description = "The running lab's environment file (vpcanary lab --env-file FILE).")
        Path lab;

        LabControl control() {
            try {
                return LabControl.of(LabEnvironment.read(lab));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the lab environment file " + lab + ": "
                        + e.getMessage());
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
            "Sets a fault; it expires by itself after --duration. Prints its id.",
            "Kinds and targets: REGION_OUTAGE region; BLACKHOLE region or VPC endpoint id; ERROR_RATE and LATENCY"
                    + " region or api/region; DNS_SERVFAIL a DNS name or *; ENDPOINT_DOWN VPC endpoint id;"
                    + " HEALTH_CHECK_FAILING domain/setIdentifier or health alarm name."})
    static final class Add extends Verb {
        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "One of ${COMPLETION-CANDIDATES}.")
        FaultSpec.Kind kind;

        @Option(names = "--target", required = true, paramLabel = "TARGET", description = "What the fault breaks (see above).")
        String target;

        @Option(names = "--rate", paramLabel = "R", description = "ERROR_RATE: share of requests answered 502/503/504, above 0 and at most 1.")
        Double rate;

        @Option(names = "--latency-ms", paramLabel = "MS", description = "LATENCY: milliseconds added to every answer.")
        Long latencyMs;

        @Option(names = "--duration", required = true, paramLabel = "DURATION",
                converter = ProbeCommand.DurationConverter.class,
                description = "How long until it expires by itself: 30s, 5m, 1h (at most 24h).")
        Duration duration;

        @Override
        public Integer call() {
            Fault f = control().add(new FaultSpec(kind, target, rate, latencyMs, duration));
            out().println(f.id() + "  " + describe(f));
            out().flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the faults in force.")
    static final class ListFaults extends Verb {
        @Option(names = "--json", description = "Print the faults as JSON.")
        boolean json;

        @Override
        public Integer call() {
            List<Fault> faults = control().list();
            if (json) {
                out().println(LabControlJson.faults(faults).toPrettyString());
            } else if (faults.isEmpty()) {
                out().println("no faults");
            } else {
                faults.forEach(f -> out().println(f.id() + "  " + describe(f)));
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Clears one fault by id, or every fault with --all.")
    static final class Clear extends Verb {
        @Parameters(arity = "0..1", paramLabel = "ID", description = "The fault's id (as add and list print it).")
        String id;

        @Option(names = "--all", description = "Clear every fault.")
        boolean all;

        @Override
        public Integer call() {
            if (all == (id != null)) {
                throw new IllegalArgumentException("give a fault id or --all");
            }
            if (all) {
                out().println("cleared " + control().clearAll());
            } else if (control().clear(id)) {
                out().println("cleared " + id);
            } else {
                throw new IllegalArgumentException("no fault " + id + " in force (see 'vpcanary lab fault list')");
            }
            out().flush();
            return 0;
        }
    }

    static String describe(Fault f) {
        FaultSpec s = f.spec();
        return s.kind() + " " + s.target() + (s.rate() == null ? "" : " rate " + s.rate())
                + (s.latencyMs() == null ? "" : " +" + s.latencyMs() + " ms") + " until " + f.expires();
    }
}
