package io.vpcanary.cli;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.metrics.MetricsOutput;
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import io.vpcanary.routing.ChiSquare;
import io.vpcanary.routing.RoutingVerification;
import io.vpcanary.routing.RoutingVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.X509TrustManager;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vpcanary routing verify}: a thin runner of {@link RoutingVerifier} (docs/routing.md). */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {
                "Verifies a routing domain from a vantage: samples resolutions and requests, attributes each to a "
                        + "region (the resolved address and the region the answer names), and judges the split: "
                        + "FAILOVER and LATENCY all on the expected region, WEIGHTED by a chi-square goodness-of-fit "
                        + "test at alpha 0.01.",
                "Exit 0 on PASS, 1 on FAIL or INCONCLUSIVE, 2 on bad input."})
public final class RoutingVerifyCommand implements Callable<Integer> {

    /** Where the estate comes from: a running lab, or real AWS. */
    static final class Source {
        @Option(names = "--lab", paramLabel = "FILE", required = true,
                description = "Environment file of a running lab: its estate, port, resolver views and trust store.")
        Path lab;

        @Option(names = "--estate", paramLabel = "FILE", required = true,
                description = "Estate file; verifies real AWS on port 443 through the system resolver and the JDK "
                        + "trust store unless --port, --resolver or --truststore say otherwise.")
        Path estate;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--domain", required = true, paramLabel = "NAME", description = "The routing domain to verify.")
    String domain;

    @Option(names = "--vantage", paramLabel = "V", description = "Where the client stands: a VPC name, or "
            + "on-premises. With --lab the default is the estate's first VPC; with --estate it is required.")
    String vantage;

    @Option(names = "--resolver", paramLabel = "HOST:PORT", description = "With --estate: the DNS server to ask "
            + "(default: the system's).")
    String resolver;

    @Option(names = "--port", paramLabel = "PORT", description = "With --estate: HTTPS port. Default 443.")
    Integer port;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "With --estate: sign requests to IAM APIs with this profile of the AWS config files instead "
                    + "of the SDK's default credentials chain.")
    String profile;

    java.util.function.Function<String, String> getenv = System::getenv;

    @Option(names = "--truststore", paramLabel = "FILE", description = "With --estate: CA certificates to trust "
            + "(PEM, or PKCS12 without password). Default: the JDK's.")
    Path truststore;

    @Option(names = "--samples", paramLabel = "N", description = "Samples to take. Default: for WEIGHTED the sample "
            + "size that detects --deviation, else " + RoutingVerifier.DEFAULT_SAMPLES + ".")
    Integer samples;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "20",
            description = "Samples per second. Default ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--deviation", paramLabel = "SHARE", defaultValue = "0.1",
            description = "WEIGHTED: the share of traffic moved between two records that the test must detect "
                    + "(with power 0.8 at alpha 0.01). Default ${DEFAULT-VALUE}.")
    double deviation;

    @Option(names = "--honour-ttl", description = "Keep each answer until its TTL runs out, as a caching client "
            + "does (default: ask the resolver for every sample).")
    boolean honourTtl;

    @Option(names = "--path", paramLabel = "PATH", description = "Path to request. Default: the path of the first "
            + "check of the record's API that must succeed.")
    String path;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = ProbeCommand.DurationConverter.class,
            description = "Bound of each resolution and request. Default ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Option(names = "--publish", paramLabel = "cloudwatch|emf|local",
            converter = ProbeCommand.DestinationConverter.class,
            description = "Publish the ServedRegion counts: to CloudWatch, as EMF on stdout, or as JSON lines to "
                    + "--metrics-file. Repeatable.")
    List<MetricsOutput.Destination> publish = new ArrayList<>();

    @Option(names = "--metrics-file", paramLabel = "FILE", description = "With --publish local: the JSON lines file.")
    Path metricsFile;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "vpcanary",
            description = "Metric namespace. Default ${DEFAULT-VALUE}.")
    String namespace;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Estate estate;
        InetSocketAddress dns;
        int httpsPort;
        X509TrustManager trust;
        String where;
        io.vpcanary.probe.AuthMaterial auth;
        if (source.lab != null) {
            if (resolver != null || port != null || truststore != null || profile != null) {
                throw new IllegalArgumentException("--resolver, --port, --truststore and --profile apply to --estate;"
                        + " with --lab they come from the environment file");
            }
            LabEnvironment env;
            try {
                env = LabEnvironment.read(source.lab);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the lab environment file " + source.lab + ": "
                        + e.getMessage());
            }
            estate = load(Path.of(env.estate()));
            if (vantage == null) {
                vantage = estate.vantagePoints().getFirst();
            }
            String view = env.resolvers().get(vantage);
            if (view == null) {
                throw new IllegalArgumentException("the lab has no resolver view for vantage '" + vantage
                        + "'; its views are " + env.resolvers().keySet());
            }
            dns = Resolvers.parseHostPort(view);
            httpsPort = env.httpsPort();
            trust = TrustStores.fromFile(Path.of(env.trustStore()), env.trustStorePassword().toCharArray());
            where = "the lab (" + vantage + "'s resolver " + view + ")";
            auth = io.vpcanary.probe.AuthMaterial.lab(env, getenv);
        } else {
            estate = load(source.estate);
            if (vantage == null) {
                throw new IllegalArgumentException("--vantage is required with --estate: where does this client stand?");
            }
            dns = resolver == null ? null : Resolvers.parseHostPort(resolver);
            httpsPort = port == null ? 443 : port;
            trust = truststore == null ? TrustStores.jdkDefault() : TrustStores.fromFile(truststore, null);
            where = "AWS from " + vantage + " (" + (resolver == null ? "the system resolver" : resolver) + ")";
            auth = io.vpcanary.probe.AuthMaterial.aws(io.vpcanary.probe.AuthMaterial.awsCredentials(profile), getenv);
        }
        if (publish.contains(MetricsOutput.Destination.LOCAL) != (metricsFile != null)) {
            throw new IllegalArgumentException(metricsFile == null ? "--publish local needs --metrics-file FILE"
                    : "--metrics-file applies to --publish local");
        }
        RoutingDomain d = RoutingVerifier.domain(estate, domain);
        String vantageRegion = estate.network().vpcs().stream().filter(v -> v.name().equals(vantage))
                .map(v -> v.region()).findFirst().orElse(null);
        long n = samples != null ? samples : RoutingVerifier.sampleSize(d, vantageRegion, deviation);
        out.println("vpcanary routing verify: " + d.domain() + " (" + d.policy() + ", TTL " + d.ttlSeconds()
                + " s) against " + where + ": " + n + " samples at " + rate + "/s"
                + (honourTtl ? ", answers kept for their TTL" : ", a fresh resolution per sample"));
        if (d.policy() == io.vpcanary.estate.RoutingPolicy.WEIGHTED) {
            out.println("  sample size " + RoutingVerifier.sampleSize(d, vantageRegion, deviation) + " detects "
                    + deviation + " of the traffic moved between the two largest records at alpha " + ChiSquare.ALPHA
                    + " with power " + ChiSquare.POWER);
        }
        out.flush();
        MetricsOutput metrics = publish.isEmpty() ? null : MetricsOutput.create(new MetricsOutput.Settings(
                EnumSet.copyOf(publish), namespace, null, null, metricsFile, 60, null), out, Clock.systemUTC());
        RoutingVerification r;
        try {
            r = RoutingVerifier.run(new RoutingVerifier.Settings(estate, domain, vantage, dns, httpsPort, trust, path,
                    samples, rate, honourTtl, deviation, timeout, auth), metrics == null ? null : metrics.recorder(),
                    Clock.systemUTC());
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
        out.println("  resolved " + r.resolved() + " (" + r.resolutions() + " fresh answers), served " + r.served()
                + (r.errors().isEmpty() ? "" : ", errors " + r.errors()) + ", expected " + shares(r.expected()));
        if (r.statistic() != null) {
            out.printf(java.util.Locale.ROOT, "  chi-square %.3f, df %d, p-value %.4g (alpha %s)%n", r.statistic(),
                    r.degreesOfFreedom(), r.pValue(), r.alpha());
        }
        r.warnings().forEach(w -> out.println("  WARNING: " + w));
        out.println(r.verdict() + ": " + r.message());
        out.flush();
        if (json != null) {
            Files.writeString(json, r.toJson(), StandardCharsets.UTF_8);
        }
        return r.passed() ? 0 : 1;
    }

    private static String shares(Map<String, Double> shares) {
        StringBuilder b = new StringBuilder("{");
        shares.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.3f", v)));
        return b.append('}').toString();
    }

    private static Estate load(Path file) {
        try {
            return EstateLoader.load(file);
        } catch (EstateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
