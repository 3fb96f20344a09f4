package io.vpcanary.cli;

import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.PortTakenException;
import io.vpcanary.labenv.LabEnvironment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vpcanary lab}: serves an estate (the demo by default) on loopback until interrupted. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        subcommands = LabFaultCommand.class,
        description = {
                "Runs the lab: a local two-region private API estate on loopback addresses (DNS resolver views and HTTPS front doors).",
                "Runs until interrupted (Ctrl-C), then stops cleanly."})
public final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate file to serve (default: the bundled demo estate).")
    Path estateFile;

    @Option(names = "--env-file", paramLabel = "FILE", description = "Write the lab environment (CA, resolvers, endpoints, credentials) as JSON to FILE.")
    Path envFile;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Folder of the lab CA and principal (default: $VPCANARY_LAB_STATE or ~/.vpcanary/lab).")
    Path stateDir;

    @Option(names = "--https-port", paramLabel = "PORT", description = "Port of every HTTPS front door (default: lab.ports.https of the estate, 8443; 0 = ephemeral).")
    Integer httpsPort;

    @Option(names = "--dns-port", paramLabel = "PORT", description = "Port of every DNS resolver view (default: lab.ports.dns of the estate, 8053; 0 = ephemeral).")
    Integer dnsPort;

    /** Counted down when the lab has started; tests wait on it. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Counted down to stop the lab (by the shutdown hook, or by tests). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Lab.Options options = new Lab.Options(stateDir != null ? stateDir : Lab.Options.defaultStateDir(), httpsPort, dnsPort, null);
        Lab lab;
        try {
            if (estateFile == null) {
                lab = Lab.startDemo(options);
            } else {
                lab = Lab.start(EstateLoader.load(estateFile), estateFile, options);
            }
        } catch (EstateException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        } catch (PortTakenException e) {
            err.println(portTaken(e));
            err.flush();
            return 2;
        }
        // On SIGTERM or Ctrl-C the JVM halts as soon as its shutdown hooks return, so the hook waits (bounded) until
        // this thread has stopped every server of the lab.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vpcanary-lab-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            try (lab) {
                LabEnvironment env = lab.environment();
                if (envFile != null) {
                    lab.writeEnvironment(envFile);
                }
                printSummary(out, env, lab.routing().describe());
                started.countDown();
                stop.await();
                out.println("lab: stopping");
                out.flush();
            }
            out.println("lab: stopped");
            out.flush();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already running the hook
            }
        }
        return 0;
    }

    /** One line naming the taken port, what was binding it, and the fix. */
    static String portTaken(PortTakenException e) {
        String option = e.service().equals("DNS") ? "--dns-port" : "--https-port";
        return "vpcanary lab: the " + e.service() + " port " + e.port() + " is taken (" + e.getMessage()
                + "); stop what uses it, choose another with " + option + " N, or pass --https-port 0 --dns-port 0"
                + " for free ports";
    }

    static void printSummary(PrintWriter out, LabEnvironment env) {
        printSummary(out, env, null);
    }

    /** The summary, with the lab's Route 53 line ({@code routing}, or null for none). */
    static void printSummary(PrintWriter out, LabEnvironment env, String routing) {
        out.println("lab: serving " + env.estate());
        out.println("lab: CA " + env.ca() + "  trust store " + env.trustStore() + " (password " + env.trustStorePassword() + ")");
        out.println("lab: HTTPS port " + env.httpsPort());
        out.println("lab: resolver views");
        env.resolvers().forEach((view, addr) -> out.printf("  %-14s %s%n", view, addr));
        out.println("lab: endpoints");
        for (LabEnvironment.Endpoint e : env.endpoints()) {
            String headers = e.headers().isEmpty() ? "" : "  " + e.headers();
            out.printf("  %-10s %-9s %-18s %-10s %s%s  (view %s)%n", e.api(), e.type(), e.accessPath(), e.region(), e.url(), headers, e.view());
        }
        out.println("lab: access key " + env.credentials().accessKeyId() + " of " + env.credentials().principalArn()
                + " (secret in the environment file)");
        if (env.identityProvider() != null) {
            out.println("lab: identity provider " + env.identityProvider().issuer() + "  token endpoint "
                    + env.identityProvider().tokenEndpoint());
            for (LabEnvironment.Client c : env.identityProvider().clients()) {
                out.printf("  client %-18s api %-10s scopes %s (secret in the environment file)%n", c.clientId(),
                        c.api(), c.scopes());
            }
        }
        for (LabEnvironment.Token t : env.tokens()) {
            out.printf("  token authorizer of %s: header %s (token in the environment file)%n", t.api(),
                    t.identitySource());
        }
        if (routing != null) {
            out.println("lab: " + routing);
        }
        if (env.control() != null) {
            out.println("lab: control channel " + env.control().url() + " (faults: vpcanary lab fault; token in the "
                    + "environment file)");
        }
        out.println("lab: ready; Ctrl-C to stop");
        out.flush();
    }
}
