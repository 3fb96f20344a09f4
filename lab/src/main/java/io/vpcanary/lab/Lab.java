package io.vpcanary.lab;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.AccessPaths;
import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.dns.LabDnsServer;
import io.vpcanary.lab.http.LabFrontDoors;
import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A running lab: the DNS resolver views and the HTTPS front doors of every region of an estate, with a CA and a lab
 * principal kept in a state folder. Start it with {@link #start}, describe it to clients with
 * {@link #environment()}, stop it with {@link #close()}.
 */
public final class Lab implements AutoCloseable {

    /**
     * How to start a lab.
     *
     * @param stateDir   folder of the CA, trust store and lab principal; created when missing, reused after
     * @param httpsPort  port of every front door, or null for {@code lab.ports.https} of the estate (0 = ephemeral)
     * @param dnsPort    port of every resolver view, or null for {@code lab.ports.dns} of the estate (0 = ephemeral)
     * @param frontDoors front door limits and timeouts
     */
    public record Options(Path stateDir, Integer httpsPort, Integer dnsPort, LabFrontDoors.Options frontDoors) {
        public Options {
            Objects.requireNonNull(stateDir, "stateDir");
            if (frontDoors == null) {
                frontDoors = LabFrontDoors.Options.defaults();
            }
        }

        /** A lab in {@code stateDir} on ephemeral ports: what tests and embedded simulations use. */
        public static Options ephemeral(Path stateDir) {
            return new Options(stateDir, 0, 0, null);
        }

        /** The default state folder: {@code $VPCANARY_LAB_STATE}, else {@code ~/.vpcanary/lab}. */
        public static Path defaultStateDir() {
            String env = System.getenv("VPCANARY_LAB_STATE");
            return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".vpcanary", "lab");
        }
    }

    private final Estate estate;
    private final LabAddressPlan plan;
    private final LabCa ca;
    private final LabDnsServer dns;
    private final LabFrontDoors frontDoors;
    private final LabEnvironment environment;

    private Lab(Estate estate, LabAddressPlan plan, LabCa ca, LabDnsServer dns, LabFrontDoors frontDoors,
                LabEnvironment environment) {
        this.estate = estate;
        this.plan = plan;
        this.ca = ca;
        this.dns = dns;
        this.frontDoors = frontDoors;
        this.environment = environment;
    }

    /** Starts the bundled demo estate. */
    public static Lab startDemo(Options options) throws IOException {
        Path file = options.stateDir().resolve("demo-estate.yaml");
        Files.createDirectories(options.stateDir());
        Files.writeString(file, EstateLoader.demoText(), StandardCharsets.UTF_8);
        return start(EstateLoader.demo(), file, options);
    }

    /**
     * Starts a lab for {@code estate}, read from {@code estateFile} (named in the environment so clients load the same
     * estate). Everything started is stopped again when a later step fails.
     */
    public static Lab start(Estate estate, Path estateFile, Options options) throws IOException {
        Files.createDirectories(options.stateDir());
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(options.stateDir());
        LabCredentials credentials = LabCredentials.loadOrCreate(options.stateDir());
        int httpsPort = options.httpsPort() != null ? options.httpsPort() : estate.lab().ports().https();
        int dnsPort = options.dnsPort() != null ? options.dnsPort() : estate.lab().ports().dns();
        LabDnsServer dns = LabDnsServer.start(estate, plan, dnsPort);
        LabFrontDoors doors;
        try {
            doors = LabFrontDoors.start(estate, plan, ca, httpsPort, options.frontDoors());
        } catch (IOException | RuntimeException e) {
            dns.close();
            throw e;
        }
        LabEnvironment env = describe(estate, estateFile, ca, dns, doors.port(), credentials);
        return new Lab(estate, plan, ca, dns, doors, env);
    }

    private static LabEnvironment describe(Estate estate, Path estateFile, LabCa ca, LabDnsServer dns, int httpsPort,
                                           LabCredentials credentials) {
        Map<String, String> resolvers = new LinkedHashMap<>();
        for (Map.Entry<String, InetSocketAddress> e : dns.resolvers().entrySet()) {
            resolvers.put(e.getKey(), e.getValue().getAddress().getHostAddress() + ":" + e.getValue().getPort());
        }
        return new LabEnvironment(
                ca.caPem().toAbsolutePath().toString(),
                ca.trustStore().toAbsolutePath().toString(),
                ca.trustStorePassword(),
                httpsPort,
                resolvers,
                endpoints(estate, httpsPort),
                estateFile == null ? null : estateFile.toAbsolutePath().toString(),
                new LabEnvironment.Credentials(credentials.accessKeyId(), credentials.secretAccessKey()));
    }

    /** One endpoint per API × access path × region: the base URL of the stage, the headers and the view. */
    static List<LabEnvironment.Endpoint> endpoints(Estate estate, int httpsPort) {
        TargetPlanner planner = new TargetPlanner(estate, httpsPort);
        Check root = new Check("endpoint", null, "/", null, null, null, null, null, null, null, null);
        List<LabEnvironment.Endpoint> out = new ArrayList<>();
        for (Api api : estate.apis()) {
            for (AccessPath path : AccessPaths.supported(api)) {
                for (ApiRegion region : api.regions()) {
                    planner.target(api, region, path, root).ifPresent((Target t) -> out.add(new LabEnvironment.Endpoint(
                            api.name(), api.type().name(), region.region(), path.name(), t.url().toString(),
                            t.headers(), t.vantage())));
                }
            }
        }
        return List.copyOf(out);
    }

    public LabEnvironment environment() {
        return environment;
    }

    public Estate estate() {
        return estate;
    }

    public LabAddressPlan plan() {
        return plan;
    }

    public LabCa ca() {
        return ca;
    }

    /** Writes the environment file clients read ({@code vpcanary probe --lab F}). */
    public void writeEnvironment(Path file) {
        try {
            environment.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab environment file " + file, e);
        }
    }

    /** Stops every server of the lab. Idempotent. */
    @Override
    public void close() {
        try {
            frontDoors.close();
        } finally {
            dns.close();
        }
    }
}
