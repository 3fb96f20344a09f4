package io.vpcanary.routing;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.Vpc;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.probe.ProbeEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Verifies a routing domain from the client's side (docs/routing.md): from one vantage, it resolves the domain and
 * sends a request to the answered address, {@code samples} times at a fixed rate, and attributes each answer to a
 * region twice: by the resolved address (against the addresses of each record's target, resolved through the same
 * resolver) and by the {@code region} the response names ({@code ServingRegion} in the metrics).
 *
 * <p>Each sample asks the resolver afresh (what measures Route 53's own split), unless {@code honourTtl}: then the
 * client keeps an answer until its TTL runs out, as a client with a DNS cache does, and only fresh answers count as
 * draws. An answer whose TTL is below the domain's came from a caching resolver: consecutive answers are then not
 * independent draws, and a weighted test over them is INCONCLUSIVE.
 *
 * <p>Verdicts: FAILOVER and LATENCY pass when every answer and every response is from the expected region (the
 * PRIMARY, or the vantage's region) and no request failed; WEIGHTED passes when the chi-square goodness-of-fit test of
 * the fresh answers per region against the configured weights keeps the split at α = {@value ChiSquare#ALPHA}. The
 * sample size is computed for the stated detectable deviation ({@link ChiSquare#sampleSize}) and a warning says when
 * fewer fresh answers were drawn. Each response's served region is recorded as {@code ServedRegion} {Api, Check =
 * the domain, ServingRegion}.
 */
public final class RoutingVerifier {

    /** What {@link #sampleSize} defaults to for FAILOVER and LATENCY domains. */
    public static final int DEFAULT_SAMPLES = 100;
    /** Share of traffic the weighted test is sized to detect moving between two records, by default. */
    public static final double DEFAULT_DEVIATION = 0.1;

    /**
     * What to verify and how.
     *
     * @param estate     the estate naming the domain
     * @param domain     the routing domain's name
     * @param vantage    where the client stands (a VPC name or on-premises)
     * @param dnsServer  the resolver to ask, or null for the system's
     * @param httpsPort  the port of the domain's URL
     * @param trust      the certificates TLS is verified against
     * @param path       the path requested, or null for the path of the first check of the record's API that must
     *                   succeed
     * @param samples    requests to make, or null for {@link #sampleSize}
     * @param rate       samples per second
     * @param honourTtl  reuse an answer until its TTL runs out
     * @param deviation  WEIGHTED: the share of traffic moved between two records the test must detect
     * @param timeout    bound of each resolution and request
     * @param auth       credentials to authenticate each request as the answering record's API requires (SigV4 for
     *                   IAM, signed for that record's region; a token for JWT, Cognito and Lambda authorizers), or
     *                   null to send requests unauthenticated
     */
    public record Settings(Estate estate, String domain, String vantage, InetSocketAddress dnsServer, int httpsPort,
                           X509TrustManager trust, String path, Integer samples, double rate, boolean honourTtl,
                           double deviation, Duration timeout, io.vpcanary.probe.AuthMaterial auth) {

        /** Settings whose requests go out unauthenticated. */
        public Settings(Estate estate, String domain, String vantage, InetSocketAddress dnsServer, int httpsPort,
                        X509TrustManager trust, String path, Integer samples, double rate, boolean honourTtl,
                        double deviation, Duration timeout) {
            this(estate, domain, vantage, dnsServer, httpsPort, trust, path, samples, rate, honourTtl, deviation,
                    timeout, null);
        }

        public Settings {
            Objects.requireNonNull(estate, "estate");
            Objects.requireNonNull(trust, "trust");
            if (!(rate > 0)) {
                throw new IllegalArgumentException("the rate must be positive, was " + rate);
            }
            if (samples != null && samples < 1) {
                throw new IllegalArgumentException("samples must be at least 1, was " + samples);
            }
            if (timeout == null) {
                timeout = Duration.ofSeconds(10);
            }
        }
    }

    private final Settings s;
    private final RoutingDomain domain;
    private final Resolver resolver;
    private final OkHttpClient http;
    private final String vantageRegion;
    private final Map<InetAddress, OkHttpClient> clients = new java.util.HashMap<>();

    private RoutingVerifier(Settings s) throws UnknownHostException {
        this.s = s;
        this.domain = domain(s.estate(), s.domain());
        if (!s.estate().vantagePoints().contains(s.vantage())) {
            throw new IllegalArgumentException("no vantage '" + s.vantage() + "'; vantages: "
                    + s.estate().vantagePoints());
        }
        this.vantageRegion = s.estate().network().vpcs().stream().filter(v -> v.name().equals(s.vantage()))
                .map(Vpc::region).findFirst().orElse(null);
        if (s.dnsServer() != null) {
            SimpleResolver r = new SimpleResolver(s.dnsServer());
            r.setTimeout(s.timeout());
            this.resolver = r;
        } else {
            ExtendedResolver r = new ExtendedResolver();
            r.setTimeout(s.timeout());
            this.resolver = r;
        }
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {s.trust()}, null);
            OkHttpClient.Builder b = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), s.trust())
                    .callTimeout(s.timeout()).retryOnConnectionFailure(false);
            if (s.auth() != null) {
                b.addNetworkInterceptor(new io.vpcanary.probe.ProbeAuth(s.estate(), s.auth()));
            }
            this.http = b.build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The routing domain {@code name} of {@code estate}.
     *
     * @throws IllegalArgumentException naming the estate's domains when there is none of that name
     */
    public static RoutingDomain domain(Estate estate, String name) {
        return estate.routingDomains().stream().filter(d -> d.domain().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no routing domain '" + name + "' in the estate; "
                        + "its routing domains: " + estate.routingDomains().stream().map(RoutingDomain::domain)
                        .toList()));
    }

    /**
     * The samples a run makes by default: for WEIGHTED, {@link ChiSquare#sampleSize} for {@code deviation}; else
     * {@value #DEFAULT_SAMPLES}.
     */
    public static long sampleSize(RoutingDomain domain, String vantageRegion, double deviation) {
        if (domain.policy() != RoutingPolicy.WEIGHTED) {
            return DEFAULT_SAMPLES;
        }
        return ChiSquare.sampleSize(List.copyOf(sharesByRegion(domain, vantageRegion).values()), deviation);
    }

    /** Expected share of answers per region, records of one region added up, in record order. */
    static Map<String, Double> sharesByRegion(RoutingDomain domain, String vantageRegion) {
        List<Double> shares = RecordSelection.expectedShares(domain, vantageRegion);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < shares.size(); i++) {
            out.merge(domain.records().get(i).region(), shares.get(i), Double::sum);
        }
        return out;
    }

    /**
     * Runs the verification.
     *
     * @param recorder where served regions are recorded as metrics, or null
     * @throws IllegalArgumentException for an unknown domain or vantage, or a deviation that cannot be tested
     */
    public static RoutingVerification run(Settings s, Recorder recorder, Clock clock) throws InterruptedException {
        RoutingVerifier v;
        try {
            v = new RoutingVerifier(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("no system resolver: " + e.getMessage(), e);
        }
        return v.verify(recorder, clock);
    }

    private RoutingVerification verify(Recorder recorder, Clock clock) throws InterruptedException {
        Map<String, Double> expected = sharesByRegion(domain, vantageRegion);
        long n = s.samples() != null ? s.samples() : sampleSize(domain, vantageRegion, s.deviation());
        Long required = domain.policy() == RoutingPolicy.WEIGHTED
                ? ChiSquare.sampleSize(List.copyOf(expected.values()), s.deviation()) : null;
        Map<InetAddress, String> regionOf = targetRegions(s.estate(), domain, resolver);
        String path = s.path() != null ? s.path() : defaultPath();
        Map<String, Long> resolved = new TreeMap<>();
        Map<String, Long> served = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        long resolutions = 0;
        long cached = 0;
        long maxTtl = -1;
        DnsAnswerCache cache = new DnsAnswerCache(resolver, domain.domain(), clock);
        long periodNanos = (long) (1e9 / s.rate());
        long next = System.nanoTime();
        for (long i = 0; i < n; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += periodNanos;
            DnsAnswerCache.Answer a;
            try {
                a = s.honourTtl() ? cache.current() : cache.resolveNow();
            } catch (IOException e) {
                errors.merge("DNS: " + e.getMessage(), 1L, Long::sum);
                continue;
            }
            InetAddress address = a.addresses().getFirst();
            if (a.fresh()) {
                resolutions++;
                maxTtl = Math.max(maxTtl, a.ttlSeconds());
                if (a.ttlSeconds() < domain.ttlSeconds()) {
                    cached++;
                }
                resolved.merge(regionOf.getOrDefault(address, "unknown"), 1L, Long::sum);
            }
            request(address, regionOf.get(address), path, served, errors, recorder);
        }
        return verdict(expected, n, resolutions, cached, maxTtl < 0 ? null : maxTtl, resolved, served, errors,
                required);
    }

    private RoutingVerification verdict(Map<String, Double> expected, long n, long resolutions, long cached, Long ttl,
                                        Map<String, Long> resolved, Map<String, Long> served,
                                        Map<String, Long> errors, Long required) {
        List<String> warnings = new ArrayList<>();
        String verdict;
        String message;
        Double stat = null;
        Integer df = null;
        Double p = null;
        long failed = errors.values().stream().mapToLong(Long::longValue).sum();
        if (cached > 0) {
            warnings.add(cached + " of " + resolutions + " answers carried a TTL below the record's " + domain.ttlSeconds()
                    + " s: a caching resolver answered, so consecutive answers are not independent draws of Route 53's "
                    + "choice; ask the authoritative resolver (the VPC's Route 53 Resolver at .2 answers from the "
                    + "private hosted zone) or run long enough for the cache to expire between samples");
        }
        if (domain.policy() == RoutingPolicy.WEIGHTED) {
            List<String> regions = List.copyOf(expected.keySet());
            List<Long> observed = new ArrayList<>();
            regions.forEach(r -> observed.add(resolved.getOrDefault(r, 0L)));
            long strays = resolved.entrySet().stream().filter(e -> !expected.containsKey(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            List<Double> shares = List.copyOf(expected.values());
            stat = strays > 0 ? Double.POSITIVE_INFINITY : ChiSquare.statistic(observed, shares);
            df = ChiSquare.degreesOfFreedom(shares);
            p = ChiSquare.pValue(stat, df);
            if (resolutions < required) {
                warnings.add("only " + resolutions + " fresh answers of the " + required + " needed to detect a "
                        + s.deviation() + " shift with power " + ChiSquare.POWER + ": a wrong split may pass");
            }
            if (s.honourTtl()) {
                warnings.add("--honour-ttl: each answer was kept for its TTL, so only fresh answers are draws");
            }
            if (cached > 0) {
                verdict = RoutingVerification.INCONCLUSIVE;
                message = "answers came from a resolver's cache: the split cannot be tested";
            } else if (resolutions == 0) {
                verdict = RoutingVerification.FAIL;
                message = "no answer resolved";
            } else if (p < ChiSquare.ALPHA) {
                verdict = RoutingVerification.FAIL;
                message = "the split " + resolved + " does not fit the weights " + expected + " (chi-square "
                        + String.format(java.util.Locale.ROOT, "%.2f", stat) + ", df " + df + ", p "
                        + String.format(java.util.Locale.ROOT, "%.3g", p) + " < " + ChiSquare.ALPHA + ")";
            } else {
                verdict = RoutingVerification.PASS;
                message = "the split " + resolved + " fits the weights " + expected + " (p "
                        + String.format(java.util.Locale.ROOT, "%.3g", p) + " >= " + ChiSquare.ALPHA + ")";
            }
        } else {
            String want = expected.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
            Set<String> seen = new LinkedHashSet<>(resolved.keySet());
            seen.addAll(served.keySet());
            seen.remove(want);
            if (!seen.isEmpty()) {
                verdict = RoutingVerification.FAIL;
                message = "traffic reached " + seen + ", not only " + want + " (resolved " + resolved + ", served "
                        + served + "): the " + (domain.policy() == RoutingPolicy.FAILOVER ? "primary" : "vantage's region")
                        + " should answer while it is healthy; check its health check";
            } else if (failed > 0) {
                verdict = RoutingVerification.FAIL;
                message = failed + " of " + n + " samples failed " + errors.keySet();
            } else if (resolutions == 0) {
                verdict = RoutingVerification.FAIL;
                message = "no answer resolved";
            } else {
                verdict = RoutingVerification.PASS;
                message = "all " + n + " samples went to " + want;
            }
        }
        return new RoutingVerification(domain.domain(), domain.policy().name(), s.vantage(), verdict, message, n,
                resolutions, cached, ttl, expected, resolved, served, errors, stat, df, p, ChiSquare.ALPHA,
                domain.policy() == RoutingPolicy.WEIGHTED ? s.deviation() : null, required, warnings);
    }

    /**
     * One sample's request to {@code address}, the target of the record of {@code addressRegion} (null when it is
     * none of the records' targets): authenticated as that record's API requires, when {@link Settings#auth} is set.
     * An answer of 4xx or 5xx counts as an error (a refused request says nothing of routing but that it failed).
     */
    private void request(InetAddress address, String addressRegion, String path, Map<String, Long> served,
                         Map<String, Long> errors, Recorder recorder) {
        // one client per answered address, keeping its connections: a client reuses its connection to the address
        // it resolved, so a sample measures routing, not handshakes
        OkHttpClient client = clients.computeIfAbsent(address,
                a -> http.newBuilder().dns(host -> List.of(a)).build());
        java.net.URI url = java.net.URI.create("https://" + domain.domain() + ":" + s.httpsPort() + path);
        Request.Builder rb = new Request.Builder().url(url.toString());
        target(addressRegion, url).ifPresent(t -> rb.tag(io.vpcanary.access.Target.class, t));
        Request req = rb.build();
        try (Response r = client.newCall(req).execute()) {
            ResponseBody body = r.body();
            String text = body == null ? "" : body.string();
            String region = ProbeEngine.servedRegion(text);
            served.merge(region == null ? "unknown" : region, 1L, Long::sum);
            if (region != null && recorder != null) {
                ProbeMetrics.recordServedRegion(recorder, apiOf(region), domain.domain(), region);
            }
            if (r.code() >= 400) {
                errors.merge("HTTP " + r.code(), 1L, Long::sum);
            }
        } catch (IOException e) {
            errors.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        }
    }

    /** What {@link io.vpcanary.probe.ProbeAuth} needs to authenticate a request as the API of {@code region}'s record. */
    private Optional<io.vpcanary.access.Target> target(String region, java.net.URI url) {
        if (region == null) {
            return Optional.empty();
        }
        return domain.records().stream().filter(r -> r.region().equals(region)).findFirst()
                .flatMap(rec -> s.estate().api(rec.api()).map(api -> new io.vpcanary.access.Target(api.name(),
                        api.type(), api.region(region).map(io.vpcanary.estate.ApiRegion::id).orElse(null),
                        api.stage(), region, io.vpcanary.access.AccessPath.CUSTOM_DOMAIN, domain.domain(), "GET", url,
                        Map.of(), url.getHost() + ":" + url.getPort(), s.vantage(), null, null, api.auth().type(),
                        null)));
    }

    private String apiOf(String region) {
        return domain.records().stream().filter(r -> r.region().equals(region)).map(RoutingRecord::api).findFirst()
                .orElse(domain.records().getFirst().api());
    }

    /**
     * Every address of each record's target of {@code domain} (the VPC endpoints' public DNS names of a private API's
     * region, a regional API's execute-api name), resolved through {@code resolver}, to the record's region: how an
     * answer is attributed to a region. A name that does not resolve attributes nothing.
     */
    public static Map<InetAddress, String> targetRegions(Estate estate, RoutingDomain domain, Resolver resolver) {
        Map<InetAddress, String> out = new LinkedHashMap<>();
        for (RoutingRecord rec : domain.records()) {
            Api api = estate.api(rec.api()).orElseThrow();
            ApiRegion ar = api.region(rec.region()).orElseThrow();
            List<String> names = new ArrayList<>();
            if (api.isPrivate()) {
                for (String id : ar.vpcEndpoints()) {
                    estate.network().endpoint(id).ifPresent(e -> names.add(e.regionalDnsName(rec.region())));
                }
                ar.customDomains().forEach(cd -> {
                    if (cd.vpcEndpoint() != null) {
                        estate.network().endpoint(cd.vpcEndpoint())
                                .ifPresent(e -> names.add(e.regionalDnsName(rec.region())));
                    }
                });
            } else {
                names.add(ar.executeApiHost());
            }
            for (String name : names) {
                try {
                    DnsAnswerCache.resolve(resolver, name, java.time.Instant.EPOCH).addresses()
                            .forEach(a -> out.putIfAbsent(a, rec.region()));
                } catch (IOException e) {
                    // a target name that does not resolve attributes nothing; its answers count as "unknown"
                }
            }
        }
        return out;
    }

    private String defaultPath() {
        Api api = s.estate().api(domain.records().getFirst().api()).orElseThrow();
        return api.checks().stream().filter(c -> !c.expect().expectsFailure()).map(Check::path)
                .filter(Objects::nonNull).findFirst().orElse("/");
    }
}
