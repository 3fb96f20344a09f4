package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded identity provider's life: stopped with the lab, and when a later start step fails. */
class LabAuthLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void closingTheLabStopsTheIdentityProvider() throws Exception {
        int port;
        try (Lab lab = Lab.startDemo(Lab.Options.ephemeral(dir))) {
            port = URI.create(lab.environment().identityProvider().issuer()).getPort();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void aFailedStartStopsTheIdentityProviderAndTheResolvers() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.1"), 0));
            Lab.Options options = new Lab.Options(dir, taken.getLocalPort(), 0, null);
            assertThatThrownBy(() -> Lab.startDemo(options)).isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.1.1");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Set<String> left = newThreads(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            left = newThreads(before);
        }
        assertThat(left).as("threads left by the failed start").isEmpty();
    }

    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                // JDK-owned helpers that outlive any one lab
                .filter(n -> !n.startsWith("ForkJoinPool") && !n.startsWith("HttpClient") && !n.startsWith("Common-Cleaner")
                        && !n.startsWith("process reaper") && !n.startsWith("Attach Listener"))
                .collect(Collectors.toSet());
    }
}
