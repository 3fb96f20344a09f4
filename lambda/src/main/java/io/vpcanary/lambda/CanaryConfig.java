package io.vpcanary.lambda;

import io.vpcanary.core.Durations;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.metrics.ProbeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The canary's settings, read from the function's environment variables (the table in docs/lambda.md). Reading them
 * touches no file and no network: the estate, the lab's environment file and the trust store are read when the
 * canary is planned ({@link LambdaCanary#plan}).
 *
 * @param estate             {@code VPCANARY_ESTATE}: the estate file, or null for the lab's estate (with
 *                           {@code labEnv}) or the estate bundled in the package ({@link #BUNDLED_ESTATE})
 * @param vantage            {@code VPCANARY_VANTAGE}: VPC name or id (or {@code on-premises}); null only with
 *                           {@code labEnv}, which then stands in every vantage of the lab
 * @param resolver           {@code VPCANARY_RESOLVER}: {@code HOST:PORT} of the DNS server, or null for the system
 *                           resolver (inside a VPC, the VPC's own)
 * @param truststore         {@code VPCANARY_TRUSTSTORE}: PEM bundle, PKCS12 or JKS, or null for the JDK's trust
 * @param truststorePassword {@code VPCANARY_TRUSTSTORE_PASSWORD}, or null; never printed
 * @param port               {@code VPCANARY_PORT}: HTTPS port of every URL, or null for 443
 * @param publish            {@code VPCANARY_PUBLISH}: {@code emf} (default), {@code cloudwatch} or {@code none}
 *                           (empty)
 * @param namespace          {@code VPCANARY_NAMESPACE}, default {@value ProbeMetrics#DEFAULT_NAMESPACE}
 * @param rounds             {@code VPCANARY_ROUNDS}: rounds per invocation, default 1
 * @param roundInterval      {@code VPCANARY_ROUND_INTERVAL}: between the starts of two rounds, default 10 s
 * @param labEnv             {@code VPCANARY_LAB_ENV}: a lab's environment file to rehearse against, or null
 * @param parallelism        {@code VPCANARY_PARALLELISM}: probes in flight, or null for every target of a round at
 *                           once
 */
public record CanaryConfig(Path estate, String vantage, String resolver, Path truststore, char[] truststorePassword,
                           Integer port, Set<MetricsOutput.Destination> publish, String namespace, int rounds,
                           Duration roundInterval, Path labEnv, Integer parallelism) {

    /** Class-path location of the estate the package carries (the zip's {@code io/vpcanary/lambda/estate.yaml}). */
    public static final String BUNDLED_ESTATE = "io/vpcanary/lambda/estate.yaml";
    /** Default time between the starts of two rounds. */
    public static final Duration DEFAULT_ROUND_INTERVAL = Duration.ofSeconds(10);

    public CanaryConfig {
        publish = publish.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(publish));
    }

    /**
     * Reads the settings from {@code getenv} ({@code System::getenv} in the function).
     *
     * @throws CanaryConfigException naming the variable and what is wrong with it
     */
    public static CanaryConfig fromEnvironment(Function<String, String> getenv) {
        Path labEnv = path(getenv, "VPCANARY_LAB_ENV");
        String vantage = text(getenv, "VPCANARY_VANTAGE");
        if (vantage == null && labEnv == null) {
            throw new CanaryConfigException("VPCANARY_VANTAGE is not set: name the VPC (name or id) whose checks this "
                    + "canary runs");
        }
        String resolver = text(getenv, "VPCANARY_RESOLVER");
        Path truststore = path(getenv, "VPCANARY_TRUSTSTORE");
        String password = getenv.apply("VPCANARY_TRUSTSTORE_PASSWORD");
        Integer port = integer(getenv, "VPCANARY_PORT", 1, 65535);
        if (labEnv != null && (resolver != null || truststore != null || port != null)) {
            throw new CanaryConfigException("VPCANARY_RESOLVER, VPCANARY_TRUSTSTORE and VPCANARY_PORT apply to a real "
                    + "estate; with VPCANARY_LAB_ENV they come from the lab's environment file");
        }
        String namespace = text(getenv, "VPCANARY_NAMESPACE");
        Integer rounds = integer(getenv, "VPCANARY_ROUNDS", 1, 10_000);
        Duration interval = DEFAULT_ROUND_INTERVAL;
        String intervalText = text(getenv, "VPCANARY_ROUND_INTERVAL");
        if (intervalText != null) {
            try {
                interval = Durations.parsePositive("VPCANARY_ROUND_INTERVAL", intervalText);
            } catch (IllegalArgumentException e) {
                throw new CanaryConfigException(e.getMessage());
            }
        }
        return new CanaryConfig(path(getenv, "VPCANARY_ESTATE"), vantage, resolver, truststore,
                password == null || password.isEmpty() ? null : password.toCharArray(), port,
                publish(text(getenv, "VPCANARY_PUBLISH")),
                namespace == null ? ProbeMetrics.DEFAULT_NAMESPACE : namespace, rounds == null ? 1 : rounds, interval,
                labEnv, integer(getenv, "VPCANARY_PARALLELISM", 1, 1_000));
    }

    private static Set<MetricsOutput.Destination> publish(String text) {
        if (text == null) {
            return Set.of(MetricsOutput.Destination.EMF);
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> Set.of();
            case "emf" -> Set.of(MetricsOutput.Destination.EMF);
            case "cloudwatch" -> Set.of(MetricsOutput.Destination.CLOUDWATCH);
            default -> throw new CanaryConfigException("VPCANARY_PUBLISH: '" + text
                    + "' is not one of emf, cloudwatch, none");
        };
    }

    private static String text(Function<String, String> getenv, String name) {
        String v = getenv.apply(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path path(Function<String, String> getenv, String name) {
        String v = text(getenv, name);
        try {
            return v == null ? null : Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CanaryConfigException(name + ": '" + v + "' is not a path: " + e.getReason());
        }
    }

    private static Integer integer(Function<String, String> getenv, String name, int min, int max) {
        String v = text(getenv, name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new CanaryConfigException(name + ": '" + v + "' is not a whole number in " + min + ".." + max);
    }

    /** The settings without the trust store password. */
    @Override
    public String toString() {
        return "CanaryConfig[estate=" + estate + ", vantage=" + vantage + ", resolver=" + resolver + ", truststore="
                + truststore + ", truststorePassword=" + (truststorePassword == null ? "unset" : "****") + ", port="
                + port + ", publish=" + publish + ", namespace=" + namespace + ", rounds=" + rounds
                + ", roundInterval=" + roundInterval + ", labEnv=" + labEnv + ", parallelism=" + parallelism + "]";
    }
}
