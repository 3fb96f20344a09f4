package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.metrics.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vpcanary dashboards deploy} against moto_server as a user runs it (credentials from the SDK's default chain,
 * here its system properties; {@code --endpoint} for the emulator): the demo estate's dashboard and alarms are created,
 * and the second deploy changes nothing and says so.
 */
class DashboardsDeployCommandTest {

    static MotoServer moto;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        MotoServer.setSystemCredentials();
    }

    @AfterAll
    static void stop() throws Exception {
        MotoServer.clearSystemCredentials();
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void aSecondDeployChangesNothingAndSaysSo() {
        CliRun first = CliRun.run("dashboards", "deploy", "--region", "us-east-1", "--endpoint",
                moto.uri().toString());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("dashboard vpcanary (us-east-1): created")
                .contains("alarm vpcanary-orders-us-west-2-success (us-west-2): created")
                .containsPattern("deploy: [1-9][0-9]* created, 0 updated, 0 unchanged");
        CliRun second = CliRun.run("dashboards", "deploy", "--region", "us-east-1", "--endpoint",
                moto.uri().toString());
        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("dashboard vpcanary (us-east-1): unchanged")
                .doesNotContain(": created").containsPattern("deploy: nothing changed \\([1-9][0-9]* resources");
        assertThat(moto.client().listDashboards().dashboardEntries()).anySatisfy(d ->
                assertThat(d.dashboardName()).isEqualTo("vpcanary"));
    }

    @Test
    void aBadEndpointIsOneLineAndExitTwo() {
        CliRun r = CliRun.run("dashboards", "deploy", "--endpoint", "not a url");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("endpoint");
    }
}
