package io.vpcanary.gameday.run;

import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.core.TargetMode;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.LabRegion;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.inject.AlarmMetricInjector;
import io.vpcanary.gameday.inject.ArcRoutingControlInjector;
import io.vpcanary.gameday.inject.CommandInjector;
import io.vpcanary.gameday.inject.FaultInjector;
import io.vpcanary.gameday.inject.FisExperimentInjector;
import io.vpcanary.gameday.inject.HealthCheckInversionInjector;
import io.vpcanary.gameday.inject.LabFaultInjector;
import io.vpcanary.gameday.inject.Restorer;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.gameday.plan.GameDayPlan;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.probe.DnsServerLookup;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.probe.Resolvers;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Turns a plan, the estate and where the game day runs (a lab's environment, or AWS settings, as
 * {@link ClientEnvironment}) into a {@link GameDay}: the URL, the primary region, one probe engine per vantage
 * resolving through a {@link TtlDns} over the vantage's resolver, the injector, the bounds the configuration implies
 * and the DNS caches in the path. Runner-neutral: the command only parses options and prints.
 */
public final class GameDaySetup {

    /** How often the lab re-reads Route 53 from an endpoint, in Route 53 seconds (scaled like its checks). */
    static final int LAB_ROUTE53_READ_SECONDS = 10;
    /** How much longer than the hold a lab fault lives, so that it ends by itself if the game day dies. */
    static final Duration LAB_FAULT_MARGIN = Duration.ofSeconds(30);

    private GameDaySetup() {
    }

    /**
     * The game day of {@code plan} on {@code client}.
     *
     * @param labEnvFile the lab's environment file (lab mode), or null
     * @param aws        the control-plane clients (emulator endpoint or the SDK's own)
     * @throws IllegalArgumentException naming what does not fit (a lab fault against AWS, a vantage without a view)
     */
    public static GameDay.Settings settings(GameDayPlan plan, Estate given, ClientEnvironment client,
                                            Path labEnvFile, AwsClients aws, Journal journal, PrintWriter out,
                                            GameDay.Observer observer) {
        RoutingDomain domain = given.routingDomains().stream().filter(d -> d.domain().equals(plan.domain()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no routing domain " + plan.domain()));
        RoutingRecord primary = primary(domain);
        GameDayPlan.Signing signing = plan.signing() != null ? plan.signing()
                : given.api(primary.api()).orElseThrow().auth().signing() == io.vpcanary.estate.Signing.SIGV4A
                ? GameDayPlan.Signing.SIGV4A : GameDayPlan.Signing.SIGV4_PRIMARY_REGION;
        Estate estate = withSigning(given, primary.api(), signing == GameDayPlan.Signing.SIGV4A
                ? io.vpcanary.estate.Signing.SIGV4A : io.vpcanary.estate.Signing.SIGV4);
        Api api = estate.api(primary.api()).orElseThrow();
        boolean lab = client.mode() == TargetMode.LAB;
        LabEnvironment env = null;
        LabControl control = null;
        if (lab) {
            try {
                env = LabEnvironment.read(labEnvFile);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the lab environment " + labEnvFile + ": "
                        + e.getMessage());
            }
            control = LabControl.of(env);
        }
        String path = plan.path() != null ? plan.path() : defaultPath(api);
        URI url = URI.create("https://" + domain.domain() + (client.httpsPort() == 443 ? "" : ":"
                + client.httpsPort()) + path);

        List<String> vantages = plan.vantages().isEmpty() ? new ArrayList<>(client.vantages())
                : plan.vantages().stream().map(v -> io.vpcanary.core.Vantages.canonical(estate, v)).toList();
        Map<String, ProbeEngine> engines = new LinkedHashMap<>();
        Map<String, okhttp3.Dns> dnsByVantage = new LinkedHashMap<>();
        List<String> caches = new ArrayList<>();
        for (String v : vantages) {
            okhttp3.Dns dns = client.resolvers().forVantage(v);
            okhttp3.Dns used = dns;
            if (dns instanceof DnsServerLookup server) {
                used = new TtlDns(server.server(), Duration.ofSeconds(2));
                caches.add(v + ": resolver " + server.server().getHostString() + ":" + server.server().getPort()
                        + (lab ? " (the lab's view: answers from its Route 53, no cache)" : " (its own cache: up to "
                        + "the record's TTL)") + "; the game day's client keeps each answer for its TTL");
            } else {
                caches.add(v + ": the system resolver, then the JVM's cache (networkaddress.cache.ttl="
                        + GameDay.JVM_DNS_TTL_SECONDS + " s for the run, AWS's recommended ceiling)");
            }
            dnsByVantage.put(v, used);
            engines.put(v, client.engineBuilder(estate).resolvers(Resolvers.builder().view(v, used).build())
                    .timeout(plan.timeoutOrDefault()).build());
        }
        caches.add("the JVM's own DNS cache: networkaddress.cache.ttl=" + GameDay.JVM_DNS_TTL_SECONDS
                + " s for the run (AWS's recommended ceiling)" + (lab ? "; not on this path (names resolve through "
                + "the vantage's resolver)" : ""));

        int timeScale = lab ? Math.max(1, control.timeScale()) : 1;
        Double detection = detectionSeconds(primary, api, timeScale);
        double read = lab && estate.lab() != null && estate.lab().route53().route53Endpoint() != null
                ? (double) LAB_ROUTE53_READ_SECONDS / timeScale : 0;
        Report.Bounds bounds = Report.Bounds.of(detection, Report.round(read), domain.ttlSeconds(), 0,
                Report.round(1 / plan.rateOrDefault()), timeScale);

        Map<URI, AwsClients> byEndpoint = new ConcurrentHashMap<>();
        Function<URI, AwsClients> clients = uri -> uri == null || uri.equals(aws.endpoint()) ? aws
                : byEndpoint.computeIfAbsent(uri, u -> AwsClients.of(u, null));
        FaultInjector injector = injector(plan, domain, aws, clients, control, labEnvFile);
        Function<String, String> regionOf = regionOf(estate);
        Function<String, String> signingRegion = signing != GameDayPlan.Signing.SIGV4_ANSWERING_REGION
                ? v -> primary.region() : v -> {
                    try {
                        String r = regionOf.apply(dnsByVantage.get(v).lookup(domain.domain()).getFirst()
                                .getHostAddress());
                        return r != null ? r : primary.region();
                    } catch (UnknownHostException e) {
                        return primary.region();
                    }
                };
        return new GameDay.Settings(plan, api, primary.region(), url, engines, regionOf, signingRegion, injector,
                journal, new Restorer(clients), abortAlarms(plan, aws), bounds, caches, out, observer);
    }

    /**
     * {@code estate} with API {@code api} signed as {@code signing} says (the plan's choice of SigV4 or SigV4a wins
     * over the estate's for the game day's own probes).
     */
    static Estate withSigning(Estate estate, String api, io.vpcanary.estate.Signing signing) {
        List<Api> apis = estate.apis().stream().map(a -> {
            if (!a.name().equals(api) || a.auth().type() != io.vpcanary.estate.AuthType.IAM
                    || a.auth().signing() == signing) {
                return a;
            }
            io.vpcanary.estate.Auth x = a.auth();
            io.vpcanary.estate.Auth auth = new io.vpcanary.estate.Auth(x.type(), x.issuer(), x.audiences(),
                    x.scopes(), x.identitySource(), x.tokenEndpoint(), x.clientId(), x.clientSecretEnv(),
                    x.clientSecretRef(), x.tokenEnv(), x.tokenRef(), signing);
            return new Api(a.name(), a.type(), a.endpointType(), a.stage(), auth, a.regions(), a.resourcePolicy(),
                    a.integration(), a.resources(), a.checks(), a.alarms(), a.endpointAccessMode(),
                    a.securityPolicy(), a.routeSelectionExpression(), a.routes(), a.ipAddressType());
        }).toList();
        return new Estate(estate.account(), estate.network(), apis, estate.routingDomains(), estate.lab());
    }

    /** The record that serves while healthy: FAILOVER's PRIMARY, else the first. */
    static RoutingRecord primary(RoutingDomain d) {
        if (d.policy() == RoutingPolicy.FAILOVER) {
            return d.records().stream().filter(r -> "PRIMARY".equals(r.role())).findFirst()
                    .orElse(d.records().getFirst());
        }
        return d.records().getFirst();
    }

    private static String defaultPath(Api api) {
        return api.checks().stream().filter(c -> c.method() == null || c.method().equals("GET"))
                .filter(c -> c.expect() == null || !c.expect().expectsFailure()).map(Check::path)
                .filter(p -> p != null).findFirst().orElse("/");
    }

    /** Interval × threshold of an HTTPS check, alarm period × evaluation periods of an alarm-based one; scaled. */
    static Double detectionSeconds(RoutingRecord primary, Api api, int timeScale) {
        RoutingRecord.HealthCheck c = primary.check();
        double aws = switch (c.type()) {
            case HTTPS -> (double) c.intervalSeconds() * c.failureThreshold();
            case CLOUDWATCH_METRIC -> 60.0 * api.alarms().orDefaults().failoverPeriods();
            case NONE -> Double.NaN;
        };
        return Double.isNaN(aws) ? null : Report.round(aws / timeScale);
    }

    private static FaultInjector injector(GameDayPlan plan, RoutingDomain domain, AwsClients aws,
                                          Function<URI, AwsClients> clients, LabControl control, Path labEnvFile) {
        GameDayPlan.Fault f = plan.fault();
        if (f.labFault() != null) {
            if (control == null) {
                throw new IllegalArgumentException("a labFault needs a lab (--lab FILE)");
            }
            GameDayPlan.LabFault l = f.labFault();
            return new LabFaultInjector(control, labEnvFile, new FaultSpec(l.kind(), l.target(), l.rate(),
                    l.latencyMs(), plan.holdOrDefault().plus(LAB_FAULT_MARGIN)));
        }
        if (f.healthCheckInversion() != null) {
            var h = f.healthCheckInversion();
            return h.healthCheckId() != null ? HealthCheckInversionInjector.of(aws, h.healthCheckId())
                    : HealthCheckInversionInjector.ofRecord(aws, domain.domain(), h.record());
        }
        if (f.alarmMetric() != null) {
            var a = f.alarmMetric();
            return new AlarmMetricInjector(aws, a.alarm(), a.region(), a.value() == null ? 0 : a.value(),
                    a.interval() == null ? Duration.ofSeconds(10) : io.vpcanary.core.Durations.parse("interval",
                            a.interval()));
        }
        if (f.fisExperiment() != null) {
            return new FisExperimentInjector(aws, f.fisExperiment().templateId(), f.fisExperiment().region());
        }
        if (f.arcRoutingControl() != null) {
            var c = f.arcRoutingControl();
            return new ArcRoutingControlInjector(clients, aws.endpoint(), c.routingControlArn(), c.clusterEndpoints(),
                    c.region(), c.state());
        }
        return new CommandInjector(f.command().inject(), f.command().restore());
    }

    /**
     * How often the abort alarms are read while a fault is held: an alarm's state changes at most once per evaluation
     * (10 s at the finest), and DescribeAlarms is throttled per account, so the 250 ms hold loop must not ask each time.
     */
    static final Duration ABORT_ALARM_POLL = Duration.ofSeconds(5);

    /**
     * The first abort alarm in ALARM, or null: a region's alarms in one DescribeAlarms call (per 100), asked at most once
     * per {@link #ABORT_ALARM_POLL} (in between, the last answer).
     */
    private static Supplier<String> abortAlarms(GameDayPlan plan, AwsClients aws) {
        if (plan.abort().alarms().isEmpty()) {
            return null;
        }
        Map<String, List<String>> byRegion = new java.util.LinkedHashMap<>();
        for (GameDayPlan.AlarmRef a : plan.abort().alarms()) {
            byRegion.computeIfAbsent(a.region(), r -> new java.util.ArrayList<>()).add(a.name());
        }
        return new Supplier<>() {
            private long nextNanos = System.nanoTime();
            private String last;

            @Override
            public synchronized String get() {
                if (System.nanoTime() - nextNanos < 0) {
                    return last;
                }
                nextNanos = System.nanoTime() + ABORT_ALARM_POLL.toNanos();
                last = null;
                for (var e : byRegion.entrySet()) {
                    java.util.Set<String> alarming = new java.util.HashSet<>();
                    List<String> names = e.getValue();
                    for (int i = 0; i < names.size(); i += 100) { // DescribeAlarms takes at most 100 names
                        List<String> chunk = names.subList(i, Math.min(names.size(), i + 100));
                        aws.cloudWatch(e.getKey()).describeAlarms(b -> b.alarmNames(chunk)).metricAlarms().stream()
                                .filter(m -> m.stateValue() == StateValue.ALARM)
                                .forEach(m -> alarming.add(m.alarmName()));
                    }
                    last = e.getValue().stream().filter(alarming::contains).findFirst().orElse(null);
                    if (last != null) {
                        break;
                    }
                }
                return last;
            }
        };
    }

    /** The region of a lab address, by the estate's lab address blocks; null elsewhere. */
    static Function<String, String> regionOf(Estate estate) {
        if (estate.lab() == null) {
            return a -> null;
        }
        List<LabRegion> regions = estate.lab().regions();
        return address -> {
            for (LabRegion r : regions) {
                if (r.addressBlock() != null && inBlock(address, r.addressBlock())) {
                    return r.region();
                }
            }
            return null;
        };
    }

    static boolean inBlock(String address, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] a = InetAddress.getByName(address).getAddress();
            byte[] n = InetAddress.getByName(parts[0]).getAddress();
            int bits = Integer.parseInt(parts[1]);
            if (a.length != n.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((a[i / 8] & mask) != (n[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
