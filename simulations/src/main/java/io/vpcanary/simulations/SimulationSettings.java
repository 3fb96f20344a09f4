package io.vpcanary.simulations;

import io.vpcanary.core.Durations;
import io.vpcanary.core.TargetMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What a load run is told through system properties (set by {@code simulations/pom.xml}, overridable with
 * {@code -Dname=value} on the Maven command line). An empty value counts as not given. Bad values fail with a message
 * that names the property and an example of a good value.
 *
 * <ul>
 *   <li>{@code rate}: users started per second on every API × access path × region, each sending one request
 *       (default {@value #DEFAULT_RATE});</li>
 *   <li>{@code duration}: how long users are started: {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms} or ISO-8601
 *       such as {@code PT1M} (default {@value #DEFAULT_DURATION});</li>
 *   <li>{@code warmUp}: how long each request name is driven, at a rate rising from 1 user/s to {@code rate}, under the name
 *       {@code "warm-up {name}"} before the measured {@code duration} starts, so that connection pools, the JIT and the
 *       lab's caches are warm; not asserted; {@code 0s} for none (default {@value #DEFAULT_WARM_UP});</li>
 *   <li>{@code vpcanary.labEnv}: environment file of a running lab ({@code vpcanary lab --env-file F}); when given,
 *       no lab is started;</li>
 *   <li>{@code vpcanary.estate}: estate file to serve in an embedded lab (default: the bundled demo estate);</li>
 *   <li>{@code vpcanary.labState}: state folder of the embedded lab (CA, trust store, principal);</li>
 *   <li>{@code vpcanary.overheadMs}: latency allowed on top of the integration's p99 for the client, TLS and the
 *       front door (default {@value #DEFAULT_OVERHEAD_MS});</li>
 *   <li>{@code vpcanary.invocationDir}: the folder relative paths are resolved against (the Maven invocation folder,
 *       since Gatling runs in a forked JVM whose working folder is the module).</li>
 * </ul>
 *
 * @param rate         users per second per request name, &gt; 0
 * @param duration     injection duration, &gt; 0
 * @param warmUp       warm-up duration before it, &gt;= 0
 * @param labEnv       environment file of a running lab, if given
 * @param estate       estate file for an embedded lab, if given
 * @param labState     state folder of an embedded lab
 * @param overheadMs   latency budget on top of the integration's p99, in milliseconds, &gt;= 0
 * @param target       {@code lab} (default) or {@code aws}: a real estate ({@code vpcanary.estate}) as it is
 * @param vantages     {@code vpcanary.vantage}: where the client stands, comma-separated VPC names or ids or
 *                     {@code on-premises}; required with {@code aws}; with {@code lab} empty means every view
 * @param resolvers    {@code vpcanary.resolver}: {@code HOST:PORT} with one vantage, else {@code VANTAGE=HOST:PORT}
 *                     for each, comma-separated; empty with one vantage means the system resolver ({@code aws} only)
 * @param port         {@code vpcanary.port}: HTTPS port of every URL ({@code aws}; default 443)
 * @param trustStore   {@code vpcanary.trustStore}: CA certificates to trust, a PEM bundle or PKCS12 ({@code aws};
 *                     default the JDK's trust store)
 * @param trustStorePasswordEnv {@code vpcanary.trustStorePasswordEnv}: the environment variable holding the PKCS12
 *                     password (never a password on a command line); default {@value #DEFAULT_TRUST_PASSWORD_ENV}
 * @param profile      {@code vpcanary.profile}: AWS profile to sign with instead of the SDK's default chain, or null
 */
public record SimulationSettings(double rate, Duration duration, Duration warmUp, Optional<Path> labEnv, Optional<Path> estate,
                                 Path labState, long overheadMs, TargetMode target, List<String> vantages,
                                 List<String> resolvers, Integer port, Optional<Path> trustStore,
                                 String trustStorePasswordEnv, String profile) {

    public static final String DEFAULT_RATE = "10";
    public static final String DEFAULT_DURATION = "30s";
    public static final String DEFAULT_WARM_UP = "10s";
    public static final String DEFAULT_OVERHEAD_MS = "250";
    public static final String DEFAULT_TRUST_PASSWORD_ENV = "VPCANARY_TRUSTSTORE_PASSWORD";

    public SimulationSettings {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("warmUp must be 0s or more, such as 5s; got " + warmUp);
        }
        Objects.requireNonNull(labEnv, "labEnv");
        Objects.requireNonNull(estate, "estate");
        Objects.requireNonNull(labState, "labState");
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number of users per second, such as 20; got " + rate);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, such as 30s; got " + duration);
        }
        if (rate * duration.toMillis() / 1000.0 < 1.0) {
            throw new IllegalArgumentException("rate x duration must start at least one user per request name; got rate "
                    + rate + " for " + duration);
        }
        if (overheadMs < 0) {
            throw new IllegalArgumentException("vpcanary.overheadMs must be >= 0; got " + overheadMs);
        }
        Objects.requireNonNull(target, "target");
        vantages = List.copyOf(vantages);
        resolvers = List.copyOf(resolvers);
        Objects.requireNonNull(trustStore, "trustStore");
        if (target == TargetMode.AWS) {
            if (estate.isEmpty()) {
                throw new IllegalArgumentException("vpcanary.target=aws needs vpcanary.estate, the estate file to drive");
            }
            if (labEnv.isPresent()) {
                throw new IllegalArgumentException("vpcanary.labEnv names a lab; with vpcanary.target=aws leave it empty");
            }
            if (vantages.isEmpty()) {
                throw new IllegalArgumentException("vpcanary.target=aws needs vpcanary.vantage: where this client stands "
                        + "(a VPC name or id of the estate, or on-premises)");
            }
        } else if (!resolvers.isEmpty() || port != null || trustStore.isPresent()) {
            throw new IllegalArgumentException("vpcanary.resolver, vpcanary.port and vpcanary.trustStore apply to "
                    + "vpcanary.target=aws; a lab names its own");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("vpcanary.port must be in 1..65535; got " + port);
        }
        if (labEnv.isPresent() && estate.isPresent()) {
            throw new IllegalArgumentException("give either vpcanary.labEnv (a running lab) or vpcanary.estate (an estate "
                    + "for an embedded lab), not both: a running lab already serves its own estate");
        }
    }

    /** The settings from {@link System#getProperties()}. */
    public static SimulationSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    /** The settings from {@code props}; see the type's documentation for names and defaults. */
    public static SimulationSettings from(Properties props) {
        Map<String, String> map = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(n -> map.put(n, props.getProperty(n)));
        return from(map);
    }

    /** The settings from a map of property names to values. */
    public static SimulationSettings from(Map<String, String> props) {
        Path base = Path.of(value(props, "vpcanary.invocationDir").orElse(System.getProperty("user.dir")));
        double rate = parseRate(value(props, "rate").orElse(DEFAULT_RATE));
        Duration duration = parseDuration("duration", value(props, "duration").orElse(DEFAULT_DURATION));
        Duration warmUp = parseDuration("warmUp", value(props, "warmUp").orElse(DEFAULT_WARM_UP));
        Optional<Path> labEnv = value(props, "vpcanary.labEnv").map(v -> base.resolve(v).normalize());
        Optional<Path> estate = value(props, "vpcanary.estate").map(v -> base.resolve(v).normalize());
        Path labState = value(props, "vpcanary.labState").map(v -> base.resolve(v).normalize())
                .orElse(base.resolve("target").resolve("lab-state"));
        long overhead = parseLong("vpcanary.overheadMs", value(props, "vpcanary.overheadMs").orElse(DEFAULT_OVERHEAD_MS));
        TargetMode target = TargetMode.parse("vpcanary.target", value(props, "vpcanary.target").orElse("lab"));
        List<String> vantages = list(value(props, "vpcanary.vantage"));
        List<String> resolvers = list(value(props, "vpcanary.resolver"));
        Integer port = value(props, "vpcanary.port").map(v -> (int) parseLong("vpcanary.port", v)).orElse(null);
        Optional<Path> trustStore = value(props, "vpcanary.trustStore").map(v -> base.resolve(v).normalize());
        String passwordEnv = value(props, "vpcanary.trustStorePasswordEnv").orElse(DEFAULT_TRUST_PASSWORD_ENV);
        String profile = value(props, "vpcanary.profile").orElse(null);
        return new SimulationSettings(rate, duration, warmUp, labEnv, estate, labState, overhead, target, vantages,
                resolvers, port, trustStore, passwordEnv, profile);
    }

    /** Users started per request name over the whole run (rounded down, as Gatling's constant rate injects). */
    public long usersPerRequestName() {
        return (long) Math.floor(rate * duration.toMillis() / 1000.0);
    }

    private static Optional<String> value(Map<String, String> props, String name) {
        String v = props.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static List<String> list(Optional<String> value) {
        return value.map(v -> java.util.Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .toList()).orElse(List.of());
    }

    private static double parseRate(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate must be a number of users per second, such as 20 or 2.5; got '" + text + "'");
        }
    }

    private static long parseLong(String name, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, such as 250; got '" + text + "'");
        }
    }

    /** Parses a duration in the one grammar of every runner ({@link Durations}). */
    static Duration parseDuration(String name, String text) {
        return Durations.parse(name, text);
    }
}
