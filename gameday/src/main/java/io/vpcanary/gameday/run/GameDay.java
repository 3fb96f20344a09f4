package io.vpcanary.gameday.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Expectation;
import io.vpcanary.gameday.inject.FaultInjector;
import io.vpcanary.gameday.inject.Restorer;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.gameday.plan.GameDayPlan;
import io.vpcanary.probe.Classifier;
import io.vpcanary.probe.Outcome;
import io.vpcanary.probe.ProbeEngine;
import java.io.PrintWriter;
import java.net.URI;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The game-day runner: probes a routing domain at a fixed rate from each vantage (the probe engine, names resolved
 * through the vantage's resolver and kept for their TTL), injects one fault through its {@link FaultInjector}, holds
 * it while watching the abort conditions, restores it, keeps probing to see the failback, and measures.
 *
 * <p>Restore always: every change is journalled before it is made ({@link Journal}); it is restored when the hold
 * ends, when an abort condition fires, when anything fails, and on Ctrl-C (a shutdown hook); after a SIGKILL,
 * {@code vpcanary gameday restore} restores it from the journal. A game day refuses to start while the journal holds
 * a change not restored.
 *
 * <p>Times are measured on the monotonic clock, in milliseconds from the start; each probe is stamped with when it
 * was sent, so the measurements are as fine as the probing interval ({@code 1 / rate}, at most 1 s).
 */
public final class GameDay {

    /** AWS's recommended ceiling for the JVM's DNS cache (networkaddress.cache.ttl), set for the run. */
    public static final String JVM_DNS_TTL_SECONDS = "60";

    /** What happens to a game day, for a test or a live display. */
    @FunctionalInterface
    public interface Observer {
        /** Called at each phase: {@code steady}, {@code injected}, {@code restoring}, {@code restored}, {@code done}. */
        void phase(String phase);
    }

    private final Settings s;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<Report.Event> events = Collections.synchronizedList(new ArrayList<>());
    private final long t0 = System.nanoTime();
    private final Object restoreLock = new Object();
    private String changeId;
    private JsonNode restoreInfo;
    private boolean restored = true;
    private String restoreDetail;
    private long tRestoreMs = -1;

    /**
     * Everything a game day runs with, resolved from the plan, the estate and where it runs.
     *
     * @param plan          the plan
     * @param api           the API behind the domain
     * @param primaryRegion the region that serves while healthy (FAILOVER: the PRIMARY's; else the first record's)
     * @param url           the URL probed: {@code https://{domain}[:port]{path}}
     * @param engines       a probe engine per vantage, resolving through that vantage's {@link TtlDns}
     * @param regionOf      the region of an address the domain resolved to, or null when unknown
     * @param signingRegion the region a vantage's next request is signed for (SigV4): the primary's, or the region
     *                      the domain resolves to
     * @param injector      the fault
     * @param journal       the journal
     * @param restorer      restores a journalled change
     * @param abortAlarms   whether any abort alarm is in ALARM (its name), else null; called during the hold
     * @param bounds        what the configuration implies
     * @param dnsCaches     the DNS caches in the clients' path, in words
     * @param out           live lines
     * @param observer      phase callbacks
     */
    public record Settings(GameDayPlan plan, Api api, String primaryRegion, URI url, Map<String, ProbeEngine> engines,
                           Function<String, String> regionOf, Function<String, String> signingRegion,
                           FaultInjector injector, Journal journal,
                           Restorer restorer, Supplier<String> abortAlarms, Report.Bounds bounds,
                           List<String> dnsCaches, PrintWriter out, Observer observer) {
        public Settings {
            Objects.requireNonNull(plan, "plan");
            engines = Map.copyOf(engines);
            if (observer == null) {
                observer = phase -> { };
            }
        }
    }

    public GameDay(Settings settings) {
        this.s = settings;
    }

    /**
     * Runs the game day and answers its report. The fault is restored before this returns, whatever happens.
     *
     * @throws IllegalStateException when the journal holds changes not restored (run {@code vpcanary gameday restore})
     */
    public Report run() {
        if (!s.journal().pending().isEmpty()) {
            throw new IllegalStateException("the journal " + s.journal().file() + " holds " + s.journal().pending()
                    .size() + " change(s) not restored: run 'vpcanary gameday restore' first");
        }
        String previousJvmTtl = Security.getProperty("networkaddress.cache.ttl");
        Security.setProperty("networkaddress.cache.ttl", JVM_DNS_TTL_SECONDS);
        Thread hook = new Thread(() -> restore("interrupted (Ctrl-C)"), "vpcanary-gameday-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "gameday-tick"));
        int workers = Math.max(2, Math.min(64, (int) Math.ceil(s.plan().rateOrDefault() * s.engines().size()
                * Math.max(1, s.plan().timeoutOrDefault().toMillis() / 1000.0)) + 2));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> daemon(r, "gameday-probe"));
        String aborted = null;
        Instant started = Instant.now();
        try {
            event("steady state: probing " + s.url() + " from " + String.join(", ", s.engines().keySet()) + " at "
                    + s.plan().rateOrDefault() + "/s each");
            s.engines().forEach((v, e) -> e.warmUp(target(v)));
            long periodNanos = (long) (1e9 / s.plan().rateOrDefault());
            for (String vantage : s.engines().keySet()) {
                ticks.scheduleAtFixedRate(() -> pool.execute(() -> probe(vantage)), 0, periodNanos,
                        TimeUnit.NANOSECONDS);
            }
            s.observer().phase("steady");
            sleep(s.plan().steadyStateOrDefault());
            inject();
            s.observer().phase("injected");
            aborted = hold();
            s.observer().phase("restoring");
            restore(aborted == null ? "the hold ended" : "aborted: " + aborted);
            s.observer().phase("restored");
            sleep(s.plan().recoveryOrDefault());
        } catch (RuntimeException e) {
            aborted = aborted != null ? aborted : "failed: " + e.getMessage();
            event("game day failed: " + e.getMessage());
            restore("the game day failed");
        } finally {
            ticks.shutdownNow();
            pool.shutdownNow();
            try {
                pool.awaitTermination(s.plan().timeoutOrDefault().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            restore("the game day ended");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            Security.setProperty("networkaddress.cache.ttl", previousJvmTtl == null ? "-1" : previousJvmTtl);
            s.observer().phase("done");
        }
        event("done");
        List<Sample> all;
        synchronized (samples) {
            all = new ArrayList<>(samples);
        }
        all.sort(java.util.Comparator.comparingLong(Sample::tMillis));
        synchronized (restoreLock) {
            return Report.of(s, started, all, new ArrayList<>(events), aborted, restored, restoreDetail);
        }
    }

    private void inject() {
        FaultInjector inj = s.injector();
        ObjectNode prepared = inj.prepare();
        synchronized (restoreLock) {
            changeId = s.journal().begin(inj.kind(), inj.describe(), prepared);
            restoreInfo = prepared;
            restored = false;
        }
        event("fault injected: " + inj.describe());
        JsonNode applied = inj.inject(prepared);
        synchronized (restoreLock) {
            s.journal().applied(changeId, applied);
            restoreInfo = applied;
        }
    }

    /** Holds the fault; answers why it aborted, or null. */
    private String hold() {
        long end = System.nanoTime() + s.plan().holdOrDefault().toNanos();
        long injectMs = injectMillis();
        while (System.nanoTime() < end) {
            Double budget = s.plan().abort().errorBudget();
            if (budget != null) {
                long total;
                long failed;
                synchronized (samples) {
                    total = samples.stream().filter(x -> x.tMillis() >= injectMs).count();
                    failed = samples.stream().filter(x -> x.tMillis() >= injectMs && !x.ok()).count();
                }
                if (total >= 5 && failed > budget * total) {
                    String why = "error budget exceeded: " + failed + " of " + total + " probes failed since the "
                            + "fault (budget " + Math.round(budget * 100) + " %)";
                    event("abort: " + why);
                    return why;
                }
            }
            if (s.abortAlarms() != null) {
                String alarm = s.abortAlarms().get();
                if (alarm != null) {
                    String why = "alarm " + alarm + " is in ALARM";
                    event("abort: " + why);
                    return why;
                }
            }
            sleep(Duration.ofMillis(Math.min(250, Math.max(1, (end - System.nanoTime()) / 1_000_000))));
        }
        return null;
    }

    /** Restores the change if it is not restored yet (idempotent; the shutdown hook calls it too). */
    private void restore(String why) {
        synchronized (restoreLock) {
            if (restored) {
                return;
            }
            s.injector().stop();
            try {
                restoreDetail = s.restorer().restore(s.injector().kind(), restoreInfo);
                s.journal().restored(changeId);
                restored = true;
                tRestoreMs = nowMillis();
                event("fault restored (" + why + "): " + restoreDetail);
            } catch (RuntimeException e) {
                restoreDetail = "restore failed: " + e.getMessage() + " (run 'vpcanary gameday restore')";
                event(restoreDetail);
            }
        }
    }

    long injectMillis() {
        synchronized (events) {
            return events.stream().filter(e -> e.what().startsWith("fault injected")).mapToLong(Report.Event::tMillis)
                    .findFirst().orElse(Long.MAX_VALUE);
        }
    }

    private void probe(String vantage) {
        long t = nowMillis();
        Outcome o = s.engines().get(vantage).probe(target(vantage));
        String address = o.resolvedAddresses().isEmpty() ? null : o.resolvedAddresses().getFirst();
        String region = o.servedRegion() != null ? o.servedRegion() : address == null ? null
                : s.regionOf().apply(address);
        boolean mismatch = o.message() != null && o.message().contains(Classifier.SIGNING_REGION_MISMATCH);
        samples.add(new Sample(t, vantage, o.passed(), o.errorClass(), region, address, mismatch,
                o.phases().totalMs() == null ? 0 : o.phases().totalMs()));
    }

    private Target target(String vantage) {
        Api api = s.api();
        String region = s.signingRegion().apply(vantage);
        return new Target(api.name(), api.type(), api.region(region).map(r -> r.id()).orElse(null),
                api.stage(), region, AccessPath.CUSTOM_DOMAIN, "gameday", "GET", s.url(), Map.of(),
                s.url().getHost(), vantage, null, null, api.auth().type(), Expectation.SUCCESS);
    }

    private void event(String what) {
        long t = nowMillis();
        events.add(new Report.Event(t, what));
        if (s.out() != null) {
            s.out().printf("gameday: %+9.3f s  %s%n", t / 1000.0, what);
            s.out().flush();
        }
    }

    private long nowMillis() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "vpcanary-" + name);
        t.setDaemon(true);
        return t;
    }
}
