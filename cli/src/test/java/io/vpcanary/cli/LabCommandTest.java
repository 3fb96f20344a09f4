package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.LabEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vpcanary lab}: starts, writes its environment file, runs until told to stop, then releases everything. */
class LabCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsUntilStoppedWritesTheEnvironmentAndReleasesItsPorts() throws Exception {
        LabCommand command = new LabCommand();
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        Path env = dir.resolve("env.json");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(
                "--https-port", "0", "--dns-port", "0", "--state-dir", dir.resolve("state").toString(),
                "--env-file", env.toString()));

        assertThat(command.started.await(60, TimeUnit.SECONDS)).as("lab started").isTrue();
        LabEnvironment e = LabEnvironment.read(env);
        assertThat(e.httpsPort()).isPositive();
        assertThat(e.resolvers()).containsOnlyKeys("canary-east", "partner-east", "canary-west", "on-premises");
        assertThat(e.endpoints()).hasSize(18);
        assertThat(e.credentials().principalArn()).isEqualTo("arn:aws:iam::111122223333:role/vpcanary-lab-canary");
        assertThat(e.identityProvider().clients()).singleElement()
                .satisfies(c -> assertThat(c.clientId()).isEqualTo("vpcanary-canary"));
        String secret = e.identityProvider().clients().getFirst().clientSecret();
        assertThat(out.toString()).contains("lab: identity provider " + e.identityProvider().issuer())
                .contains("vpcanary-canary").doesNotContain(secret);
        assertThat(Path.of(e.ca())).exists();
        assertThat(Path.of(e.estate())).exists();
        assertThat(out.toString()).contains("lab: ready").doesNotContain(e.credentials().secretAccessKey());
        assertThat(exit).isNotDone();

        // faults over the control channel the environment file names; its token is never printed
        assertThat(out.toString()).contains("lab: Route 53 on a time scale of 60")
                .contains("lab: control channel " + e.control().url()).doesNotContain(e.control().token());
        CliRun add = CliRun.run("lab", "fault", "add", "--lab", env.toString(), "--kind", "REGION_OUTAGE",
                "--target", "us-east-1", "--duration", "5m");
        assertThat(add.exit()).as(add.err()).isZero();
        String id = add.out().strip().split("\\s+")[0];
        assertThat(add.out()).contains("REGION_OUTAGE us-east-1 until");
        CliRun list = CliRun.run("lab", "fault", "list", "--lab", env.toString(), "--json");
        assertThat(list.out()).contains("\"id\" : \"" + id + "\"").doesNotContain(e.control().token());
        CliRun bad = CliRun.run("lab", "fault", "add", "--lab", env.toString(), "--kind", "REGION_OUTAGE",
                "--target", "mars-1", "--duration", "5m");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().lines()).singleElement().asString().startsWith("vpcanary: REGION_OUTAGE target 'mars-1'");
        assertThat(CliRun.run("lab", "fault", "clear", "--lab", env.toString(), id).out()).contains("cleared " + id);
        assertThat(CliRun.run("lab", "fault", "list", "--lab", env.toString()).out()).contains("no faults");

        command.stop.countDown();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("lab: stopping").contains("lab: stopped");
        // the front door port is free again on a lab address
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.1"), e.httpsPort()));
        }
    }

    @Test
    void anEstateWhosePolicyTheLabCannotServeExitsTwoWithOneLine() throws Exception {
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, EstateLoader.demoText().replace(
                "AWS: arn:aws:iam::111122223333:role/vpcanary-lab-canary", "AWS: arn:aws:iam::111122223333:role/*"));
        CliRun r = CliRun.run("lab", "--estate", estate.toString(), "--state-dir", dir.resolve("state").toString(),
                "--https-port", "0", "--dns-port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString()
                .matches(java.util.regex.Pattern.quote(estate.toString()) + ":\\d+:\\d+: "
                        + "apis\\[2]\\.resourcePolicy\\.Statement\\[0]\\.Principal\\.AWS: principal .* has a wildcard.*");
    }

    @Test
    void aTakenHttpsPortIsNamedWithTheFix() throws Exception {
        // the demo's us-east-1 front door address
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.1.1"), 0));
            CliRun r = CliRun.run("lab", "--state-dir", dir.resolve("state").toString(),
                    "--https-port", String.valueOf(taken.getLocalPort()), "--dns-port", "0");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines()).singleElement().asString()
                    .startsWith("vpcanary lab: the HTTPS port " + taken.getLocalPort() + " is taken (")
                    .contains("127.0.1.1:" + taken.getLocalPort())
                    .endsWith("pass --https-port 0 --dns-port 0 for free ports");
        }
    }

    @Test
    void aTakenDnsPortIsNamedWithTheFix() throws Exception {
        // the demo's canary-east resolver address
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.1.2"), 0))) {
            CliRun r = CliRun.run("lab", "--state-dir", dir.resolve("state").toString(),
                    "--https-port", "0", "--dns-port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines()).singleElement().asString()
                    .startsWith("vpcanary lab: the DNS port " + taken.getLocalPort() + " is taken (")
                    .contains("--dns-port N")
                    .endsWith("pass --https-port 0 --dns-port 0 for free ports");
        }
    }

    @Test
    void aMalformedEstateExitsTwoNamingFileLineAndField() throws Exception {
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, "account: \"111122223333\"\napis:\n  - name: a\n    typo: 1\n");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cl.execute("lab", "--estate", estate.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("estate.yaml:4:").contains("apis[0].typo");
    }
}
