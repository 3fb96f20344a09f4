package io.vpcanary.probe;

import io.vpcanary.access.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probes a list of targets with at most {@code parallelism} requests in flight and returns their outcomes in target
 * order. Each run uses its own threads and stops them before returning. Before its first run on an engine, the first
 * target of each authorizer type is sent once untimed ({@link ProbeEngine#warmUp}) so that JVM start-up is not
 * reported as latency; before
 * each run the tokens of JWT and Cognito APIs are fetched (or taken from the cache) so that no probe times a token
 * fetch.
 */
public final class ProbeRunner {

    /** Default number of probes in flight. */
    public static final int DEFAULT_PARALLELISM = 4;

    private final ProbeEngine engine;
    private final int parallelism;
    private final boolean warmUp;

    public ProbeRunner(ProbeEngine engine) {
        this(engine, DEFAULT_PARALLELISM);
    }

    public ProbeRunner(ProbeEngine engine, int parallelism) {
        this(engine, parallelism, true);
    }

    /** @param warmUp whether the first run on the engine starts with an untimed warm-up request */
    public ProbeRunner(ProbeEngine engine, int parallelism, boolean warmUp) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.engine = engine;
        this.parallelism = parallelism;
        this.warmUp = warmUp;
    }

    /**
     * Probes every target once, a target whose name has A and AAAA records once over each IP version
     * ({@link ProbeEngine#byAddressFamily}).
     *
     * @throws IllegalArgumentException when a target's vantage has no resolver (checked before anything is sent)
     * @throws InterruptedException     when interrupted while waiting; probes in flight are abandoned
     */
    public ProbeRun run(List<Target> planned) throws InterruptedException {
        for (Target t : planned) {
            engine.resolvers().forVantage(t.vantage());
        }
        List<Target> targets = engine.byAddressFamily(planned);
        if (warmUp) {
            // one untimed request per authorizer type: the first signed or token request loads classes too
            targets.stream().collect(java.util.stream.Collectors.toMap(Target::auth, t -> t, (a, b) -> a,
                    java.util.LinkedHashMap::new)).values().forEach(engine::warmUp);
        }
        engine.auth().ifPresent(auth -> auth.fetchTokens(targets));
        return inParallel(targets, parallelism, "vpcanary-probe-", engine::probe);
    }

    /**
     * Probes every item with {@code probe}, at most {@code parallelism} at once on threads named {@code threadPrefix},
     * and returns the outcomes in item order, timed as one run. The threads are stopped before it returns.
     */
    static <T> ProbeRun inParallel(List<T> items, int parallelism, String threadPrefix,
                                   java.util.function.Function<T, Outcome> probe) throws InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>(items.size());
        if (!items.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, items.size())),
                    Thread.ofPlatform().name(threadPrefix, 0).daemon(true).factory());
            try {
                List<Future<Outcome>> futures = new ArrayList<>(items.size());
                for (T item : items) {
                    futures.add(pool.submit(() -> probe.apply(item)));
                }
                for (Future<Outcome> f : futures) {
                    try {
                        outcomes.add(f.get());
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException("a probe failed unexpectedly: " + cause, cause);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return new ProbeRun(started, Duration.ofNanos(System.nanoTime() - t0), outcomes);
    }
}
