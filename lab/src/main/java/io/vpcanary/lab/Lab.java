package io.vpcanary.lab;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.AuthType;
import io.vpcanary.lab.auth.LabIdentityProvider;
import io.vpcanary.lab.auth.LabPrincipals;
import io.vpcanary.lab.dns.LabDnsServer;
import io.vpcanary.lab.faults.LabControlServer;
import io.vpcanary.lab.faults.LabFaults;
import io.vpcanary.lab.route53.LabRouting;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.vpcanary.lab.http.LabAuthorizers;
import io.vpcanary.lab.http.LabFrontDoors;
import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A running lab: the DNS resolver views and the HTTPS front doors of every region of an estate, the API authorizers
 * (IAM for the lab principal {@link #principalArn}, JWT/Cognito with an embedded OIDC identity provider on
 * 127.0.0.1, Lambda token authorizers), with a CA, the lab principal and the authorizer secrets kept in a state
 * folder. Start it with {@link #start}, describe it to clients with
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
     * @param clock      the time the authorizers check signatures and token lifetimes against; null for the system
     *                   clock
     */
    public record Options(Path stateDir, Integer httpsPort, Integer dnsPort, LabFrontDoors.Options frontDoors,
                          Clock clock) {
        public Options {
            Objects.requireNonNull(stateDir, "stateDir");
            if (frontDoors == null) {
                frontDoors = LabFrontDoors.Options.defaults();
            }
            if (clock == null) {
                clock = Clock.systemUTC();
            }
        }

        /** Options with the system clock. */
        public Options(Path stateDir, Integer httpsPort, Integer dnsPort, LabFrontDoors.Options frontDoors) {
            this(stateDir, httpsPort, dnsPort, frontDoors, null);
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
    private final LabIdentityProvider identityProvider;
    private final LabEnvironment environment;

    /** How often expired faults are dropped (and refused addresses listened on again). */
    static final long EXPIRY_TICK_MS = 100;

    private final LabFaults faults;
    private final LabRouting routing;
    private final LabControlServer control;
    private final ScheduledExecutorService expiry;

    private Lab(Estate estate, LabAddressPlan plan, LabCa ca, LabDnsServer dns, LabFrontDoors frontDoors,
                LabIdentityProvider identityProvider, LabEnvironment environment, LabFaults faults,
                LabRouting routing, LabControlServer control, ScheduledExecutorService expiry) {
        this.faults = faults;
        this.routing = routing;
        this.control = control;
        this.expiry = expiry;
        this.identityProvider = identityProvider;
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
        Map<String, java.util.Set<String>> clientScopes = clientScopes(estate);
        LabAuthSecrets secrets = LabAuthSecrets.loadOrCreate(options.stateDir(), clientScopes.keySet(),
                tokenApis(estate));
        Map<String, LabIdentityProvider.Client> clients = new LinkedHashMap<>();
        clientScopes.forEach((id, s) -> clients.put(id, new LabIdentityProvider.Client(id,
                secrets.clientSecrets().get(id), List.copyOf(s))));
        int httpsPort = options.httpsPort() != null ? options.httpsPort() : estate.lab().ports().https();
        int dnsPort = options.dnsPort() != null ? options.dnsPort() : estate.lab().ports().dns();
        LabPrincipals principals = LabPrincipals.of(LabPrincipals.Principal.of(credentials.accessKeyId(),
                credentials.secretAccessKey(), estate.account(), principalArn(estate)), List.of());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            LabIdentityProvider idp = null;
            if (!clients.isEmpty()) {
                LabIdentityProvider.Builder b = LabIdentityProvider.builder();
                clients.values().forEach(b::client);
                idp = b.build();
                started.add(idp);
                idp.start(InetAddress.getByName("127.0.0.1"), 0);
            }
            LabAuthorizers authorizers = new LabAuthorizers(estate, principals, idp == null ? null : idp.issuer(),
                    secrets.tokens(), options.clock());
            LabFaults faults = new LabFaults(estate, estate.lab().route53().namespace(), options.clock());
            LabFrontDoors doors = LabFrontDoors.start(estate, plan, ca, httpsPort, options.frontDoors(), authorizers,
                    faults);
            started.add(doors);
            LabRouting routing = new LabRouting(estate, plan, faults, doors.port(), options.clock(),
                    options.frontDoors().seed());
            started.add(routing);
            LabDnsServer dns = LabDnsServer.start(estate, plan, dnsPort, routing, faults);
            started.add(dns);
            LabControlServer control = LabControlServer.start(faults, routing);
            started.add(control);
            ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vpcanary-lab-faults");
                t.setDaemon(true);
                return t;
            });
            started.add(expiry::shutdownNow);
            expiry.scheduleWithFixedDelay(faults::expire, EXPIRY_TICK_MS, EXPIRY_TICK_MS, TimeUnit.MILLISECONDS);
            routing.start();
            LabEnvironment env = describe(estate, plan, estateFile, ca, dns, doors.port(), credentials, idp, secrets)
                    .withControl(control.control());
            return new Lab(estate, plan, ca, dns, doors, idp, env, faults, routing, control, expiry);
        } catch (IOException | RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * The ARN of the lab principal of {@code estate}: {@code arn:aws:iam::{account}:role/vpcanary-lab-canary}. Requests
     * signed with the lab credentials reach resource policies as this principal.
     */
    public static String principalArn(Estate estate) {
        return "arn:aws:iam::" + estate.account() + ":role/" + PRINCIPAL_ROLE;
    }

    /** The role name of the lab principal. */
    public static final String PRINCIPAL_ROLE = "vpcanary-lab-canary";

    /**
     * One client-credentials client per {@code auth.clientId} of the estate's JWT and COGNITO APIs, granted the union
     * of those APIs' scopes.
     */
    private static Map<String, java.util.Set<String>> clientScopes(Estate estate) {
        Map<String, java.util.Set<String>> scopes = new LinkedHashMap<>();
        for (Api api : estate.apis()) {
            if (api.auth().usesJwt() && api.auth().clientId() != null) {
                scopes.computeIfAbsent(api.auth().clientId(), k -> new java.util.LinkedHashSet<>())
                        .addAll(api.auth().scopes());
            }
        }
        return scopes;
    }

    private static List<String> tokenApis(Estate estate) {
        return estate.apis().stream().filter(a -> a.auth().type() == AuthType.TOKEN).map(Api::name).toList();
    }

    private static LabEnvironment describe(Estate estate, LabAddressPlan plan, Path estateFile, LabCa ca,
                                           LabDnsServer dns, int httpsPort,
                                           LabCredentials credentials, LabIdentityProvider idp,
                                           LabAuthSecrets secrets) {
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
                LabEndpoints.of(estate, plan, httpsPort),
                estateFile == null ? null : estateFile.toAbsolutePath().toString(),
                new LabEnvironment.Credentials(credentials.accessKeyId(), credentials.secretAccessKey(),
                        principalArn(estate)),
                identityProvider(estate, idp),
                tokens(estate, secrets));
    }

    private static LabEnvironment.IdentityProvider identityProvider(Estate estate, LabIdentityProvider idp) {
        if (idp == null) {
            return null;
        }
        Map<String, LabIdentityProvider.Client> byId = new LinkedHashMap<>();
        idp.clients().forEach(c -> byId.put(c.clientId(), c));
        List<LabEnvironment.Client> clients = new ArrayList<>();
        for (Api api : estate.apis()) {
            LabIdentityProvider.Client c = api.auth().usesJwt() ? byId.get(api.auth().clientId()) : null;
            if (c != null) {
                clients.add(new LabEnvironment.Client(api.name(), c.clientId(), c.clientSecret(), c.scopes()));
            }
        }
        return new LabEnvironment.IdentityProvider(idp.issuer(), idp.tokenEndpoint().toString(), clients);
    }

    private static List<LabEnvironment.Token> tokens(Estate estate, LabAuthSecrets secrets) {
        List<LabEnvironment.Token> out = new ArrayList<>();
        for (Api api : estate.apis()) {
            if (api.auth().type() == AuthType.TOKEN) {
                out.add(new LabEnvironment.Token(api.name(), api.auth().identitySource(), api.auth().tokenEnv(),
                        secrets.tokens().get(api.name())));
            }
        }
        return out;
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

    /** The embedded identity provider, present when an API of the estate has a JWT or COGNITO authorizer. */
    public java.util.Optional<LabIdentityProvider> identityProvider() {
        return java.util.Optional.ofNullable(identityProvider);
    }

    /** The faults the lab holds: what its control channel sets. */
    public LabFaults faults() {
        return faults;
    }

    /** The lab's Route 53: routing domains and health checks. */
    public LabRouting routing() {
        return routing;
    }

    /** Stops every server of the lab. Idempotent. */
    @Override
    public void close() {
        expiry.shutdownNow();
        control.close();
        routing.close();
        try {
            frontDoors.close();
        } finally {
            try {
                dns.close();
            } finally {
                if (identityProvider != null) {
                    identityProvider.close();
                }
            }
        }
    }
}
