package io.vpcanary.lab.faults;

import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.estate.Alarms;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.FaultSpec.Kind;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The faults a running lab holds (docs/lab.md#faults): set, listed and cleared through the control channel, asked by
 * the front doors (refuse, blackhole, errors, latency), the DNS server (SERVFAIL) and the Route 53 health checks.
 * A fault is in force from when it is added until its expiry by {@link #clock} or until cleared; {@link #expire()}
 * drops expired faults and tells the listeners (the lab calls it on a short timer). Targets are checked against the
 * estate when a fault is added, so a typo is refused rather than silently breaking nothing. Thread-safe.
 */
public final class LabFaults {

    private final Clock clock;
    private final Set<String> regions;
    private final Set<String> endpoints;
    private final Set<String> apiRegions = new LinkedHashSet<>();
    private final Set<String> records = new LinkedHashSet<>();
    private final Map<String, Fault> faults = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param estate    the estate the lab serves, for checking targets
     * @param namespace the health alarms' namespace, for naming the health checks a fault may target
     */
    public LabFaults(Estate estate, String namespace, Clock clock) {
        this.clock = clock;
        this.regions = new LinkedHashSet<>(estate.regions());
        this.endpoints = new LinkedHashSet<>(estate.network().vpcEndpoints().stream().map(VpcEndpoint::id).toList());
        estate.apis().forEach(a -> a.regions().forEach(r -> apiRegions.add(a.name() + "/" + r.region())));
        for (RoutingDomain d : estate.routingDomains()) {
            for (RoutingRecord r : d.records()) {
                records.add(d.domain() + "/" + r.setId());
                records.add(Alarms.healthAlarmName(namespace, r));
            }
        }
    }

    /** Calls {@code listener} (on the caller's thread) after every change: a fault added, cleared or expired. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Sets a fault.
     *
     * @throws IllegalArgumentException when its target names nothing of the estate (the message lists what it could name)
     */
    public Fault add(FaultSpec spec) {
        checkTarget(spec);
        Instant now = clock.instant();
        byte[] id = new byte[6];
        ThreadLocalRandom.current().nextBytes(id);
        Fault f = new Fault("f-" + HexFormat.of().formatHex(id), spec, now, now.plus(spec.duration()));
        synchronized (this) {
            faults.put(f.id(), f);
        }
        changed();
        return f;
    }

    /** The faults in force, oldest first. */
    public synchronized List<Fault> list() {
        Instant now = clock.instant();
        return faults.values().stream().filter(f -> f.activeAt(now)).toList();
    }

    /** Clears one fault; false when none of that id is in force. */
    public boolean clear(String id) {
        boolean removed;
        synchronized (this) {
            Fault f = faults.remove(id);
            removed = f != null && f.activeAt(clock.instant());
        }
        if (removed) {
            changed();
        }
        return removed;
    }

    /** Clears every fault; how many were in force. */
    public int clearAll() {
        int n;
        synchronized (this) {
            n = list().size();
            faults.clear();
        }
        if (n > 0) {
            changed();
        }
        return n;
    }

    /** Drops the faults that have expired and, when there were any, tells the listeners. */
    public void expire() {
        boolean any;
        synchronized (this) {
            Instant now = clock.instant();
            any = faults.values().removeIf(f -> !f.activeAt(now));
        }
        if (any) {
            changed();
        }
    }

    /** Whether a front door of {@code region} ({@code vpcEndpoint} null: the public one) refuses connections. */
    public boolean refused(String region, String vpcEndpoint) {
        return any(f -> f.kind() == Kind.REGION_OUTAGE && f.target().equals(region)
                || f.kind() == Kind.ENDPOINT_DOWN && f.target().equals(vpcEndpoint));
    }

    /** Whether a front door of {@code region} ({@code vpcEndpoint} null: the public one) never answers. */
    public boolean blackholed(String region, String vpcEndpoint) {
        return any(f -> f.kind() == Kind.BLACKHOLE && (f.target().equals(region) || f.target().equals(vpcEndpoint)));
    }

    /** The share of requests to {@code api} in {@code region} that get an error: the largest rate in force, or 0. */
    public double errorRate(String api, String region) {
        return active(f -> f.kind() == Kind.ERROR_RATE && aims(f, api, region)).stream()
                .mapToDouble(FaultSpec::rate).max().orElse(0);
    }

    /** Milliseconds added to every answer of {@code api} in {@code region}: the sum of the latencies in force. */
    public long addedLatencyMs(String api, String region) {
        return active(f -> f.kind() == Kind.LATENCY && aims(f, api, region)).stream()
                .mapToLong(FaultSpec::latencyMs).sum();
    }

    /** Whether the resolvers answer SERVFAIL for {@code name} (lower case, no trailing dot). */
    public boolean servfail(String name) {
        return any(f -> f.kind() == Kind.DNS_SERVFAIL && (f.target().equals("*")
                || LabDnsViews.normalize(f.target()).equals(name)));
    }

    /** Whether every observation of a record's health check fails. */
    public boolean healthCheckFailing(String domain, String setIdentifier, String alarmName) {
        return any(f -> f.kind() == Kind.HEALTH_CHECK_FAILING
                && (f.target().equals(domain + "/" + setIdentifier) || f.target().equals(alarmName)));
    }

    private static boolean aims(FaultSpec f, String api, String region) {
        return f.target().equals(region) || f.target().equals(api + "/" + region);
    }

    private boolean any(Predicate<FaultSpec> p) {
        return !active(p).isEmpty();
    }

    private synchronized List<FaultSpec> active(Predicate<FaultSpec> p) {
        if (faults.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<FaultSpec> out = new ArrayList<>();
        for (Fault f : faults.values()) {
            if (f.activeAt(now) && p.test(f.spec())) {
                out.add(f.spec());
            }
        }
        return out;
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private void checkTarget(FaultSpec spec) {
        String t = spec.target();
        boolean ok = switch (spec.kind()) {
            case REGION_OUTAGE -> regions.contains(t);
            case BLACKHOLE -> regions.contains(t) || endpoints.contains(t);
            case ERROR_RATE, LATENCY -> regions.contains(t) || apiRegions.contains(t);
            case DNS_SERVFAIL -> t.equals("*") || t.matches("[A-Za-z0-9.-]+\\.?");
            case ENDPOINT_DOWN -> endpoints.contains(t);
            case HEALTH_CHECK_FAILING -> records.contains(t);
        };
        if (!ok) {
            List<String> known = switch (spec.kind()) {
                case REGION_OUTAGE -> List.copyOf(regions);
                case BLACKHOLE -> concat(regions, endpoints);
                case ERROR_RATE, LATENCY -> concat(regions, apiRegions);
                case DNS_SERVFAIL -> List.of("a DNS name", "*");
                case ENDPOINT_DOWN -> List.copyOf(endpoints);
                case HEALTH_CHECK_FAILING -> List.copyOf(records);
            };
            throw new IllegalArgumentException(spec.kind() + " target '" + t + "' names nothing of the estate; "
                    + FaultSpec.targetHelp(spec.kind()) + ": " + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        }
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

}
