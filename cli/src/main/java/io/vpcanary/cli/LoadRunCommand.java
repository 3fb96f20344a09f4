package io.vpcanary.cli;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.simulations.GatlingTrustStore;
import io.vpcanary.simulations.LoadMix;
import io.vpcanary.simulations.SimulationSettings;

import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary load run}: one Gatling simulation in this process, by default the whole estate's mixed traffic
 * ({@code EstateLoadSimulation}), against the embedded lab or a real estate. The flags become the system properties the
 * simulations read ({@link SimulationSettings}, {@link LoadMix}, the simulations' metrics), so a run from the command,
 * from the container image and from {@code ./mvnw gatling:test} is configured by the same code. The estate comes from
 * {@code --estate}, else from {@value #ESTATE_ENV} (gzip, then base64: how an ECS task is handed its estate), else
 * the demo estate. CloudWatch is written in the process's own region (the AWS SDK's chain) and endpoint
 * ({@code AWS_ENDPOINT_URL_CLOUDWATCH}).
 *
 * <p>Exit codes: 0 the run and its assertions passed, 1 they did not (Gatling's summary says which), 2 bad input.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run a load simulation in this process with Gatling (default: the whole estate's mixed "
                + "traffic), against the embedded lab (default) or a real estate (--target aws).",
                "Progress every --progress; Gatling's summary and report at the end."})
final class LoadRunCommand implements Callable<Integer> {

    /** The environment variable holding the estate, gzip then base64, when no --estate is given. */
    static final String ESTATE_ENV = io.vpcanary.gameday.load.RunSettings.ESTATE_ENV;

    /** The package the simulations live in; a short --simulation name is looked up there. */
    static final String SIMULATIONS = "io.vpcanary.simulations.";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--estate", paramLabel = "FILE",
            description = "Estate file: served by the embedded lab (--target lab) or driven (--target aws). "
                    + "Default: $" + ESTATE_ENV + " (gzip+base64) when set, else the demo estate.")
    Path estate;

    @Option(names = "--target", paramLabel = "lab|aws", defaultValue = "lab",
            description = "lab: an embedded lab serving the estate (or --lab); aws: the real estate. Default: "
                    + "${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--lab", paramLabel = "FILE",
            description = "Environment file of a running lab (vpcanary lab --env-file FILE) instead of an embedded one.")
    Path labEnv;

    @Option(names = "--vantage", paramLabel = "VPC",
            description = "Where this injector stands: a VPC of the estate (name or id) or on-premises. Repeatable. "
                    + "Required with --target aws; with a lab the default is every view.")
    List<String> vantages = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION",
            description = "Estate regions to drive. Repeatable. Default: every region. (CloudWatch is written in "
                    + "this process's own region.)")
    List<String> regions = new ArrayList<>();

    @Option(names = "--rate", paramLabel = "N", defaultValue = SimulationSettings.DEFAULT_RATE,
            description = "Users per second, one request each, over the whole estate, shared by --weight "
                    + "(other simulations: per request name). Default: ${DEFAULT-VALUE}.")
    String rate;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = SimulationSettings.DEFAULT_DURATION,
            description = "How long users are started: 30s, 10m, 1h. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = SimulationSettings.DEFAULT_WARM_UP,
            description = "Driven first at a rising rate, neither asserted nor published; 0s for none. "
                    + "Default: ${DEFAULT-VALUE}.")
    String warmUp;

    @Option(names = "--weight", paramLabel = "API[:CHECK]=W",
            description = "Relative weight of an API's or a check's request names (default 1; 0 leaves them out). "
                    + "Repeatable.")
    List<String> weights = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "DURATION", defaultValue = LoadMix.DEFAULT_PROGRESS,
            description = "How often a progress line is printed. Default: ${DEFAULT-VALUE}.")
    String progress;

    @Option(names = "--publish", paramLabel = "cloudwatch|emf|local", converter = ProbeCommand.DestinationConverter.class,
            description = "Publish every response's metrics (docs/metrics.md) to CloudWatch, as EMF on stdout, or as "
                    + "JSON lines to --metrics-file. Repeatable. Default: record only.")
    List<MetricsOutput.Destination> publish = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = ProbeMetrics.LOAD_NAMESPACE,
            description = "Metric namespace. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--metrics-file", paramLabel = "FILE", description = "JSON-lines file of --publish local.")
    Path metricsFile;

    @Option(names = "--resolution", paramLabel = "60|1", defaultValue = "60",
            description = "Interval of the published metrics in seconds. Default: ${DEFAULT-VALUE}.")
    String resolution;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Adds the dimension Run=ID to every metric published; the injectors of one run share it, "
                    + "so CloudWatch merges their distributions.")
    String runId;

    @Option(names = "--simulation", paramLabel = "NAME", defaultValue = "EstateLoadSimulation",
            description = "The simulation: EstateLoad (default), EstateChecks, AccessPaths, WebSocket, Routing, "
                    + "or a class name.")
    String simulation;

    @Option(names = "--results", paramLabel = "DIR",
            description = "Gatling's results folder (reports, simulation.log). Default: a new temporary folder.")
    Path results;

    @Option(names = "--reports", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write Gatling's HTML report at the end (default: on; --no-reports for injectors).")
    boolean reports;

    @Option(names = "--resolver", paramLabel = "[VANTAGE=]HOST:PORT",
            description = "With --target aws: the DNS server of a vantage (default: the system resolver). Repeatable.")
    List<String> resolvers = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "With --target aws: HTTPS port of every URL.")
    String port;

    @Option(names = "--truststore", paramLabel = "FILE",
            description = "With --target aws: trust these CAs (PEM bundle or PKCS12) instead of the JDK's.")
    Path truststore;

    @Option(names = "--truststore-password-env", paramLabel = "VAR",
            description = "Environment variable holding the password of a PKCS12 --truststore.")
    String truststorePasswordEnv;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "With --target aws: sign IAM requests with this AWS profile instead of the default chain.")
    String profile;

    /** The process environment; replaced by tests. */
    java.util.function.Function<String, String> getenv = System::getenv;

    /** The JVM flag Gatling's stats writer needs (as the Gatling Maven plugin passes it); the image and jar set it. */
    static final String ADD_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("vpcanary-load-");
        Map<String, String> props = properties(work);
        SimulationSettings settings = SimulationSettings.from(props);
        LoadMix mix = LoadMix.from(props);
        String simulationClass = simulationClass(simulation);
        // the estate is read before anything starts, so a bad one is one line and exit 2
        mix.check(settings.estate().isPresent() ? EstateLoader.load(settings.estate().get()) : EstateLoader.demo());

        if (!Object.class.getModule().isOpen("java.lang", LoadRunCommand.class.getModule())) {
            throw new IllegalArgumentException("vpcanary load run needs the JVM flag " + ADD_OPENS + " (Gatling reads "
                    + "java.lang internals); bin/vpcanary, the jar's manifest and the container image set it");
        }
        Path trustStore = work.resolve("gatling-trust.p12");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        spec.commandLine().getOut().println(GatlingTrustStore.write(settings, trustStore, password.toCharArray()));
        spec.commandLine().getOut().flush();
        props.put("gatling.ssl.useInsecureTrustManager", "false");
        props.put("gatling.ssl.trustStore.type", "PKCS12");
        props.put("gatling.ssl.trustStore.file", trustStore.toString());
        props.put("gatling.ssl.trustStore.password", password);
        props.put("gatling.http.enableHostnameVerification", "true");
        props.forEach(System::setProperty);

        Path resultsDir = Files.createDirectories(results != null ? results : work.resolve("gatling"));
        List<String> args = new ArrayList<>(List.of("--simulation", simulationClass,
                "--results-folder", resultsDir.toString()));
        if (!reports) {
            args.add("--no-reports");
        }
        int status = io.gatling.app.Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
        if (status != 0) {
            spec.commandLine().getErr().println("vpcanary: the load run failed (Gatling status " + status
                    + "): see its summary above; results in " + resultsDir);
            return 1;
        }
        return 0;
    }

    /** The system properties of the run: the names {@link SimulationSettings}, {@link LoadMix} and the metrics read. */
    Map<String, String> properties(Path work) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("rate", rate);
        p.put("duration", duration);
        p.put("warmUp", warmUp);
        p.put("vpcanary.target", target);
        p.put("vpcanary.invocationDir", System.getProperty("user.dir"));
        p.put("vpcanary.labState", work.resolve("lab-state").toString());
        Path estateFile = estate;
        String fromEnv = getenv.apply(ESTATE_ENV);
        if (estateFile == null && fromEnv != null && !fromEnv.isBlank()) {
            estateFile = Files.writeString(work.resolve("estate.yaml"), io.vpcanary.gameday.load.RunSettings.decodeEstate(fromEnv));
        }
        put(p, "vpcanary.estate", estateFile == null ? null : estateFile.toAbsolutePath().toString());
        put(p, "vpcanary.labEnv", labEnv == null ? null : labEnv.toAbsolutePath().toString());
        put(p, "vpcanary.vantage", String.join(",", vantages));
        put(p, "vpcanary.regions", String.join(",", regions));
        put(p, "vpcanary.weights", String.join(",", weights));
        put(p, "vpcanary.progress", progress);
        put(p, "vpcanary.resolver", String.join(",", resolvers));
        put(p, "vpcanary.port", port);
        put(p, "vpcanary.trustStore", truststore == null ? null : truststore.toAbsolutePath().toString());
        put(p, "vpcanary.trustStorePasswordEnv", truststorePasswordEnv);
        put(p, "vpcanary.profile", profile);
        put(p, "vpcanary.publish", String.join(",", publish.stream().map(MetricsOutput.Destination::label).toList()));
        put(p, "vpcanary.namespace", namespace);
        put(p, "vpcanary.resolution", resolution);
        put(p, "vpcanary.runId", runId);
        if (publish.contains(MetricsOutput.Destination.LOCAL)) {
            if (metricsFile == null) {
                throw new IllegalArgumentException("--publish local needs --metrics-file FILE");
            }
        }
        put(p, "vpcanary.metricsFile", metricsFile == null ? null : metricsFile.toAbsolutePath().toString());
        return p;
    }

    /** The class of {@code name}: a class name, or a simulation of this project with or without its suffix. */
    static String simulationClass(String name) {
        String cls = name.contains(".") ? name : SIMULATIONS + (name.endsWith("Simulation") ? name : name + "Simulation");
        try {
            Class<?> c = Class.forName(cls, false, LoadRunCommand.class.getClassLoader());
            if (io.gatling.javaapi.core.Simulation.class.isAssignableFrom(c)) {
                return cls;
            }
        } catch (ClassNotFoundException e) {
            // answered below
        }
        throw new IllegalArgumentException("--simulation " + name + " is not a simulation; give EstateLoad, "
                + "EstateChecks, AccessPaths, WebSocket, Routing or a Gatling simulation's class name");
    }

    private static void put(Map<String, String> p, String name, String value) {
        if (value != null && !value.isBlank()) {
            p.put(name, value);
        }
    }
}
