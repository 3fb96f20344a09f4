package io.vpcanary.lab.dns;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Live thread counts, and waiting for them to come back down within a deadline. */
record ThreadCounter(int count, Set<String> names) {

    static ThreadCounter snapshot() {
        Set<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
        return new ThreadCounter(ManagementFactory.getThreadMXBean().getThreadCount(), names);
    }

    /** Waits until at most {@code limit} threads are alive; fails with the thread names after {@code timeout}. */
    static void awaitAtMost(int limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = new Object();
        while (ManagementFactory.getThreadMXBean().getThreadCount() > limit) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("live threads still above " + limit + " after " + timeout + ": "
                        + snapshot().names());
            }
            synchronized (monitor) {
                monitor.wait(20);
            }
        }
    }
}
