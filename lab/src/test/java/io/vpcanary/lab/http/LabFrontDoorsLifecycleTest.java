package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.tls.LabCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start and stop: one port for every address, sockets and threads released on close, clear bind errors. */
class LabFrontDoorsLifecycleTest {

    @TempDir
    Path state;

    private static long labThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vpcanary-lab-https")).count();
    }

    @Test
    void closeReleasesThePortAndTheThreadsAndIsIdempotent() throws Exception {
        Estate estate = EstateLoader.demo();
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        LabFrontDoors doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults());
        int port = doors.port();
        assertThat(port).isPositive();
        assertThat(labThreads()).isPositive();
        doors.close();
        doors.close();
        assertThat(LabFrontDoorsFuzzTest.awaitCondition(Duration.ofSeconds(10), () -> labThreads() == 0))
                .as("front door threads ended").isTrue();
        // the same port binds again on every address: nothing kept it
        try (LabFrontDoors again = LabFrontDoors.start(estate, plan, ca, port, LabFrontDoors.Options.defaults())) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void aTakenFixedPortIsAClearErrorAndLeavesNoThreads() throws Exception {
        Estate estate = EstateLoader.demo();
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        var taken = plan.frontDoorAddresses().get(1);
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.bind(new InetSocketAddress(taken, 0));
            assertThatThrownBy(() -> LabFrontDoors.start(estate, plan, ca, blocker.getLocalPort(),
                    LabFrontDoors.Options.defaults()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot bind the front door " + taken.getHostAddress() + ":" + blocker.getLocalPort());
        }
        assertThat(LabFrontDoorsFuzzTest.awaitCondition(Duration.ofSeconds(10), () -> labThreads() == 0)).isTrue();
    }

    @Test
    void optionsRejectNonsense() {
        assertThatThrownBy(() -> new LabFrontDoors.Options(Duration.ZERO, Duration.ofSeconds(1), 1024, 0, 0))
                .hasMessageContaining("timeouts must be positive");
        assertThatThrownBy(() -> new LabFrontDoors.Options(Duration.ofSeconds(1), Duration.ofSeconds(1), 10, 0, 0))
                .hasMessageContaining("maxHeaderBytes");
        assertThat(LabFrontDoors.Options.defaults().maxHeaderBytes()).isEqualTo(10_240);
    }
}
