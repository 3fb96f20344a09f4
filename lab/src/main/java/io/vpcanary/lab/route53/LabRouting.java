package io.vpcanary.lab.route53;

import io.vpcanary.metrics.AlarmRule;
import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.LabRoute53;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.RoutingRecord.HealthCheckType;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.LabView;
import io.vpcanary.lab.faults.LabFaults;
import io.vpcanary.labenv.HealthCheckStatus;
import io.vpcanary.routing.RecordSelection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's Route 53 (docs/lab.md#route-53): the routing domains of the estate, each record's health check, and the
 * answer each resolver view gets for a domain name, by Route 53's selection rules ({@link RecordSelection}).
 *
 * <p>Health checks run on the lab's time scale ({@code lab.route53.timeScale}): an HTTPS check requests {@code /ping}
 * on the record's target every {@code intervalSeconds / timeScale} and changes status after {@code failureThreshold}
 * consecutive results that disagree with it; a CLOUDWATCH_METRIC check evaluates the record's health alarm
 * ({@link AlarmRule#health}) every {@code 60 s / timeScale}, over periods of that length, from the CloudWatch endpoint
 * the estate names (none: the check is not evaluated and counts as healthy). Inverted and Disabled apply to the
 * result. With a Route 53 endpoint, the records and health checks are reloaded from it every
 * {@code 10 s / timeScale}. An alias record that evaluates target health is unhealthy while a fault refuses or
 * blackholes its target. Thread-safe; {@link #close()} stops the checks.
 */
public final class LabRouting implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LabRouting.class.getName());
    /** Route 53's own period of reading the zone, scaled like the checks: how often a Route 53 endpoint is re-read. */
    static final int RELOAD_SECONDS = 10;

    private final Estate estate;
    private final LabAddressPlan plan;
    private final LabRoute53 settings;
    private final LabFaults faults;
    private final Clock clock;
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final Map<String, AlarmMetrics> metrics = new ConcurrentHashMap<>();
    private final Route53Records route53;
    private final HttpsHealthCheck https;
    private final ScheduledExecutorService scheduler;
    private final java.util.random.RandomGenerator random;
    private final List<java.util.function.Consumer<HealthCheckStatus>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One routing domain: its records as Route 53 now holds them, and their checks. */
    private static final class Domain {
        volatile RoutingDomain effective;
        final List<Check> checks = new ArrayList<>();

        Domain(RoutingDomain d) {
            this.effective = d;
        }
    }

    /** The health check of one record, and its state. */
    private final class Check {
        final RoutingDomain domain;
        final RoutingRecord record;
        final AlarmRule alarm;
        volatile RoutingRecord.HealthCheck config;
        volatile String route53Id;
        boolean raw = true;
        Boolean observed;
        int disagreeing;
        String alarmState;
        boolean lastHealthy = true;
        Instant since;

        Check(RoutingDomain domain, RoutingRecord record) {
            this.domain = domain;
            this.record = record;
            this.config = record.check();
            this.alarm = AlarmRule.health(estate, record, settings.namespace());
            this.since = clock.instant();
        }

        String key() {
            return domain.domain() + "/" + record.setId();
        }

        synchronized boolean healthy() {
            RoutingRecord.HealthCheck c = config;
            boolean h = c.type() == HealthCheckType.NONE || c.disabled() || (c.inverted() != raw);
            if (domain.isAlias() && record.evaluatesTargetHealth() && targetDown()) {
                h = false;
            }
            if (h != lastHealthy) {
                lastHealthy = h;
                since = clock.instant();
                HealthCheckStatus s = statusNow(h);
                listeners.forEach(l -> l.accept(s));
            }
            return h;
        }

        boolean targetDown() {
            String vpce = RoutingTargets.endpoint(estate.api(record.api()).orElseThrow(),
                    estate.api(record.api()).orElseThrow().region(record.region()).orElseThrow(), domain.domain());
            return faults.refused(record.region(), vpce) || faults.blackholed(record.region(), vpce);
        }

        /** One HTTPS observation, or one alarm evaluation. */
        void run() {
            RoutingRecord.HealthCheck c = config;
            boolean failing = faults.healthCheckFailing(domain.domain(), record.setId(), alarm.name());
            if (c.type() == HealthCheckType.HTTPS) {
                boolean ok = !failing && https.ping(RoutingTargets.addresses(estate, plan, domain.domain(), record),
                        domain.domain(), settings.labMillis(c.intervalSeconds()));
                observe(ok, c.failureThreshold());
            } else if (c.type() == HealthCheckType.CLOUDWATCH_METRIC) {
                AlarmRule.State state = failing ? AlarmRule.State.ALARM : evaluateAlarm();
                synchronized (this) {
                    alarmState = state == null ? null : state.name();
                    if (state == null) {
                        raw = true;
                    } else if (state == AlarmRule.State.INSUFFICIENT_DATA) {
                        String s = c.insufficientDataHealthStatus();
                        if (!s.equals("LastKnownStatus")) {
                            raw = s.equals("Healthy");
                        }
                    } else {
                        raw = state == AlarmRule.State.OK;
                    }
                    observed = state == null ? null : raw;
                }
            }
            healthy();
        }

        private synchronized void observe(boolean ok, int threshold) {
            observed = ok;
            if (ok == raw) {
                disagreeing = 0;
                return;
            }
            if (++disagreeing >= threshold) {
                raw = ok;
                disagreeing = 0;
            }
        }

        AlarmRule.State evaluateAlarm() {
            if (settings.cloudWatchEndpoint() == null) {
                return null;
            }
            AlarmMetrics m = metrics.computeIfAbsent(record.region(),
                    r -> AlarmMetrics.at(URI.create(settings.cloudWatchEndpoint()), r));
            long period = alarmPeriodSeconds();
            long end = clock.instant().getEpochSecond();
            List<Double> values = new ArrayList<>();
            try {
                for (int k = 0; k < alarm.evaluationPeriods(); k++) {
                    values.add(m.statistic(alarm, Instant.ofEpochSecond(end - (k + 1) * period),
                            Instant.ofEpochSecond(end - k * period)));
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "lab: cannot read " + alarm.name() + "'s metric from "
                        + settings.cloudWatchEndpoint() + ": " + e.getMessage());
                return alarmState == null ? null : AlarmRule.State.valueOf(alarmState);
            }
            return alarm.evaluate(values);
        }

        synchronized HealthCheckStatus status() {
            return statusNow(healthy());
        }

        private HealthCheckStatus statusNow(boolean h) {
            RoutingRecord.HealthCheck c = config;
            return new HealthCheckStatus(domain.domain(), record.setId(), record.api(), record.region(),
                    c.type().name(), h, observed, c.inverted(), c.disabled(),
                    c.type() == HealthCheckType.CLOUDWATCH_METRIC ? alarm.name() : null,
                    c.type() == HealthCheckType.CLOUDWATCH_METRIC ? alarmState : null, route53Id, since);
        }
    }

    /**
     * The Route 53 of {@code estate}; {@link #start()} starts its checks.
     *
     * @param httpsPort the front doors' port, where HTTPS checks connect
     * @param seed      seed of the weighted draws: the same sequence of queries gets the same answers
     */
    public LabRouting(Estate estate, LabAddressPlan plan, LabFaults faults, int httpsPort, Clock clock, long seed) {
        this.random = new java.util.SplittableRandom(seed);
        this.estate = estate;
        this.plan = plan;
        this.settings = estate.lab().route53();
        this.faults = faults;
        this.clock = clock;
        this.https = new HttpsHealthCheck(httpsPort);
        this.route53 = settings.route53Endpoint() == null ? null
                : Route53Records.at(URI.create(settings.route53Endpoint()));
        for (RoutingDomain d : estate.routingDomains()) {
            Domain dom = domains.computeIfAbsent(LabDnsViews.normalize(d.domain()), k -> new Domain(d));
            for (RoutingRecord r : d.records()) {
                dom.checks.add(new Check(d, r));
            }
        }
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "vpcanary-lab-route53");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts every health check on its scaled interval, and the reloading from a Route 53 endpoint. */
    public void start() {
        if (route53 != null) {
            scheduleEvery(settings.labMillis(RELOAD_SECONDS), this::reload);
            reload();
        }
        for (Domain d : domains.values()) {
            for (Check c : d.checks) {
                long every = c.config.type() == HealthCheckType.HTTPS ? settings.labMillis(c.config.intervalSeconds())
                        : alarmPeriodSeconds() * 1000;
                if (c.config.type() != HealthCheckType.NONE) {
                    scheduleEvery(every, c::run);
                }
            }
        }
    }

    private void scheduleEvery(long millis, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "lab: Route 53 task failed: " + e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A standard-resolution alarm period (60 s) on the lab's time scale, in whole seconds (at least 1). */
    long alarmPeriodSeconds() {
        return Math.max(1, 60 / settings.timeScale());
    }

    /** Runs every health check once, now, on the caller's thread: for tests and the first answer. */
    public void checkNow() {
        domains.values().forEach(d -> d.checks.forEach(Check::run));
    }

    /** Re-reads the records and health checks from the Route 53 endpoint (no-op without one). */
    public void reload() {
        if (route53 == null) {
            return;
        }
        for (Domain d : domains.values()) {
            RoutingDomain base = d.checks.isEmpty() ? d.effective : d.checks.getFirst().domain;
            Map<String, Route53Records.Loaded> loaded = route53.load(base);
            if (loaded.isEmpty()) {
                continue;
            }
            List<RoutingRecord> records = new ArrayList<>();
            Long ttl = null;
            for (Check c : d.checks) {
                Route53Records.Loaded l = loaded.get(c.record.setId());
                RoutingRecord r = c.record;
                if (l != null) {
                    r = new RoutingRecord(r.api(), r.region(), l.role() != null ? l.role() : r.role(),
                            l.weight() != null ? l.weight() : r.weight(), r.healthAlarm(), r.setIdentifier(),
                            l.healthCheck() == null ? new RoutingRecord.HealthCheck(HealthCheckType.NONE, null, null,
                                    null, null, null) : l.healthCheck(), r.evaluateTargetHealth());
                    c.config = r.check();
                    c.route53Id = l.healthCheckId();
                    if (l.ttl() != null) {
                        ttl = l.ttl();
                    }
                }
                records.add(r);
            }
            d.effective = new RoutingDomain(base.domain(), base.policy(), records, ttl != null ? ttl : base.ttl(),
                    ttl != null ? Boolean.FALSE : base.alias());
        }
    }

    /** Whether {@code name} (lower case, no trailing dot) is a routing domain. */
    public boolean serves(String name) {
        return domains.containsKey(name);
    }

    /**
     * What {@code view} answers for the routing domain {@code name}: the addresses of the record Route 53 selects;
     * empty when {@code name} is not a routing domain, or when asked from on-premises (the private hosted zone is
     * associated with the estate's VPCs only).
     */
    public Optional<List<InetAddress>> answer(LabView view, String name) {
        Domain d = domains.get(name);
        if (d == null || view.onPremises()) {
            return Optional.empty();
        }
        RoutingDomain effective = d.effective;
        Map<RoutingRecord, Check> byRecord = new LinkedHashMap<>();
        for (int i = 0; i < d.checks.size(); i++) {
            byRecord.put(effective.records().get(i), d.checks.get(i));
        }
        RoutingRecord chosen;
        synchronized (random) {
            chosen = RecordSelection.select(effective, r -> byRecord.get(r).healthy(), view.region(), random);
        }
        return Optional.of(RoutingTargets.addresses(estate, plan, effective.domain(), chosen));
    }

    /** The TTL of the routing domain {@code name}'s answers. */
    public long ttl(String name) {
        Domain d = domains.get(name);
        return d == null ? RoutingDomain.DEFAULT_TTL : d.effective.ttlSeconds();
    }

    /** The routing domain names, lower case. */
    public List<String> names() {
        return List.copyOf(domains.keySet());
    }

    /**
     * Calls {@code listener} with a record's status each time what Route 53 takes it for (healthy or not) changes, on
     * the thread that noticed (a health check's, or a caller of {@link #answer} or {@link #statuses()}).
     */
    public void onChange(java.util.function.Consumer<HealthCheckStatus> listener) {
        listeners.add(listener);
    }

    /** Every record's health check status, in estate order. */
    public List<HealthCheckStatus> statuses() {
        List<HealthCheckStatus> out = new ArrayList<>();
        domains.values().forEach(d -> d.checks.forEach(c -> out.add(c.status())));
        return out;
    }

    /** The time scale. */
    public int timeScale() {
        return settings.timeScale();
    }

    /** A one-line description of how the lab runs Route 53, for its startup output. */
    public String describe() {
        return "Route 53 on a time scale of " + settings.timeScale() + " (an alarm period of 60 s is "
                + alarmPeriodSeconds() + " s, a 30 s health check interval " + settings.labMillis(30) + " ms); "
                + (settings.cloudWatchEndpoint() == null ? "alarm-based health checks not evaluated (no CloudWatch "
                + "endpoint): healthy" : "health alarms read from " + settings.cloudWatchEndpoint())
                + (settings.route53Endpoint() == null ? "" : "; records and health checks loaded from "
                + settings.route53Endpoint());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.values().forEach(AlarmMetrics::close);
        if (route53 != null) {
            route53.close();
        }
    }

}
