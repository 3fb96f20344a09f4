package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.discover.Account;
import io.vpcanary.discover.AccountReader;
import io.vpcanary.discover.DiscoverClients;
import io.vpcanary.discover.EstateBuilder;
import io.vpcanary.discover.EstateYaml;
import io.vpcanary.discover.MotoAccount;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.metrics.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vpcanary discover} as a user runs it (credentials from the SDK's default chain, here its system properties)
 * against discover's two-region moto fixture: the estate it writes is served by the lab and passed by the probe, every
 * check; {@code --print-policy}; bad input. One moto_server and one discovery for the class.
 */
class DiscoverCommandTest {

    @TempDir
    static Path dir;

    private static MotoServer moto;
    private static MotoAccount fixture;
    private static Path discovered;
    private static CliRun discovery;

    @BeforeAll
    static void discover() throws Exception {
        moto = MotoServer.start();
        MotoServer.setSystemCredentials();
        fixture = MotoAccount.build(moto.uri());
        discovered = dir.resolve("estate.yaml");
        discovery = run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto.uri().toString(),
                "--out", discovered.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        MotoServer.clearSystemCredentials();
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * The issue's acceptance: the written estate, unedited and with no lab section (the lab's default addresses serve
     * it), is served by the lab and every check of it passes through the probe.
     */
    @Test
    void writesAnEstateTheLabServesAndTheProbePasses() throws Exception {
        assertThat(discovery.exit()).as("stderr: %s", discovery.err()).isZero();
        assertThat(discovery.err()).contains("discover: wrote " + discovered + ": 3 APIs, 3 VPCs, 3 VPC endpoints, "
                + "1 routing domains from us-east-1, us-west-2");
        assertThat(discovery.err()).as("moto's gaps are notes, not silence")
                .contains("discover: note: us-east-1: GetDomainNameAccessAssociations was not answered");
        Estate estate = EstateLoader.load(discovered);
        assertThat(Files.readString(discovered)).doesNotContain("lab:");
        assertThat(probeOnLab(estate, discovered, "lab")).contains(
                "get-orders-from-canary-east/PRIVATE_DNS/us-east-1", "get-orders-from-canary-east/ROUTE53_ALIAS/us-east-1",
                "get-orders-from-canary-east/CUSTOM_DOMAIN/us-east-1", "get-orders-from-canary-west/PRIVATE_DNS/us-west-2",
                "get-orders-from-canary-west/VPCE_API_ID_HEADER/us-west-2", "get-items/REGIONAL/us-east-1",
                "get-health-from-" + fixture.ids().get("partnerVpc") + "/VPCE_HOST_HEADER/us-east-1");
    }

    /**
     * Starts a lab on {@code estate} (read from {@code file}), runs {@code vpcanary probe --once} against it, asserts
     * it exits 0 with every check passed, and returns the checks as {@code check/accessPath/region}.
     */
    private static Set<String> probeOnLab(Estate estate, Path file, String name) throws Exception {
        try (Lab lab = Lab.start(estate, file, Lab.Options.ephemeral(dir.resolve(name)))) {
            Path env = dir.resolve(name + "-env.json");
            lab.writeEnvironment(env);
            Path json = dir.resolve(name + "-probe.json");
            CliRun probe = run("probe", "--once", "--lab", env.toString(), "--json", json.toString());
            assertThat(probe.exit()).as("probe: %s%n%s", probe.out(), probe.err()).isZero();
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertThat(root.get("summary").get("failed").asInt()).isZero();
            Set<String> passed = new HashSet<>();
            for (JsonNode o : root.get("checks")) {
                assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
                passed.add(o.get("check").asText() + "/" + o.get("accessPath").asText() + "/" + o.get("region").asText());
            }
            return passed;
        }
    }

    /**
     * The HTTP and WebSocket APIs discovery writes are served and passed too: moto gives them 8-letter ids where AWS
     * gives 10 characters (which the estate requires), so this test, and only it, lengthens those ids in what was read
     * from moto ({@link MotoAccount#withTenCharacterV2Ids}) before building; the JWT API's check gets a token from the
     * lab's identity provider for the client discovery named (its authorizer's audience), the WebSocket API's check
     * connects with SigV4 and closes.
     */
    @Test
    void discoveredHttpAndWebSocketApisAreServedAndPassGivenAwsShapedIds() throws Exception {
        Account account;
        try (DiscoverClients clients = DiscoverClients.of(moto.uri(), MotoServer.FAKE)) {
            account = new AccountReader(clients).read(List.of("us-east-1", "us-west-2"));
        }
        EstateBuilder.Result found = EstateBuilder.build(MotoAccount.withTenCharacterV2Ids(account));
        Path file = dir.resolve("with-v2.yaml");
        Files.writeString(file, EstateYaml.write(found, List.of()));
        Estate estate = EstateLoader.load(file);
        assertThat(estate.api("payments")).isPresent();
        assertThat(estate.api("live")).isPresent();
        assertThat(probeOnLab(estate, file, "lab-v2")).contains("get-payments/REGIONAL/us-east-1",
                "connect/REGIONAL/us-east-1");
    }

    /** The issue's acceptance: drift reports a deliberately unmonitored API and exits 1. */
    @Test
    void driftReportsAnUnmonitoredApiAndExits1() throws Exception {
        assertThat(discovery.exit()).isZero();
        Estate all = EstateLoader.load(discovered);
        String moto = DiscoverCommandTest.moto.uri().toString();
        CliRun full = run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto, "--diff",
                discovered.toString());
        assertThat(full.exit()).as(full.out()).isZero();
        assertThat(full.out()).contains("coverage 100.0 %").doesNotContain("unmonitored  ");

        Estate withoutInventory = new Estate(all.account(), all.network(),
                all.apis().stream().filter(a -> !a.name().equals("inventory")).toList(), all.routingDomains(), null);
        Path partial = dir.resolve("partial.yaml");
        Files.writeString(partial, EstateYaml.write(new EstateBuilder.Result(withoutInventory, List.of()), List.of()));
        CliRun drift = run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto, "--diff",
                partial.toString());
        assertThat(drift.exit()).as(drift.out()).isEqualTo(1);
        assertThat(drift.out()).contains("unmonitored     API             inventory us-east-1 "
                        + fixture.ids().get("inventory") + " (REST REGIONAL, stage prod)")
                .contains("unmonitored     path            inventory us-east-1 REGIONAL from on-premises")
                .containsPattern("coverage [0-9.]+ %: [0-9]+ of [0-9]+ account items monitored \\(unmonitored: 1 APIs, "
                        + "1 paths, 0 vantages, 0 routing records\\); 0 in the file and not in the account");
        // a floor for CI: below it exit 1, at or above it exit 0
        assertThat(run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto, "--diff", partial.toString(),
                "--min-coverage", "99").exit()).isEqualTo(1);
        assertThat(run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto, "--diff", partial.toString(),
                "--min-coverage", "50").exit()).isZero();
    }

    /** The issue's acceptance: rediscovery into the file keeps a user's edit and comment. */
    @Test
    void rediscoveryKeepsAUsersEditAndComment() throws Exception {
        assertThat(discovery.exit()).isZero();
        String text = Files.readString(discovered);
        int from = text.indexOf("  - name: inventory\n");
        int to = text.indexOf("  - name: admin\n");
        String edited = (text.substring(0, from) + text.substring(to))
                .replace("network:\n", "# reviewed by the platform team\nnetwork:\n")
                .replace("name: canary-west\n", "name: canaries-oregon   # renamed: our vantage name\n")
                .replace("from: canary-west\n", "from: canaries-oregon\n");
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, edited);
        CliRun r = run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto.uri().toString(), "--out",
                mine.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("discover: added API inventory (us-east-1 " + fixture.ids().get("inventory") + ")")
                .contains("discover: " + mine + ": 1 added, the rest kept as it was");
        String merged = Files.readString(mine);
        assertThat(merged).contains("# reviewed by the platform team\nnetwork:\n")
                .contains("name: canaries-oregon # renamed: our vantage name\n");
        Estate back = EstateLoader.load(mine);
        assertThat(back.network().vpcNamed("canary-west")).isEmpty();
        assertThat(back.api("inventory")).isPresent();
        assertThat(run("discover", "--region", "us-east-1,us-west-2", "--endpoint", moto.uri().toString(), "--diff",
                mine.toString()).exit()).as("nothing unmonitored after the merge").isZero();
    }

    /**
     * --profile reads the shared credentials file's profile; without --out the estate goes to standard output; one
     * region of two leaves out the routing domain that spans both.
     */
    @Test
    void aProfilesCredentialsAndTheEstateOnStandardOutput() throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[moto]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", dir.resolve("no-config").toString());
        try {
            CliRun r = run("discover", "--profile", "moto", "--region", "us-west-2", "--endpoint", moto.uri().toString());
            assertThat(r.exit()).as(r.err()).isZero();
            Estate west = EstateLoader.parse(Path.of("stdout.yaml"), r.out());
            assertThat(west.regions()).containsExactly("us-west-2");
            assertThat(west.api("orders").orElseThrow().regions()).singleElement()
                    .satisfies(ar -> assertThat(ar.id()).isEqualTo(fixture.ids().get("ordersWest")));
            assertThat(r.out()).startsWith("# Discovered by vpcanary discover from us-west-2 ");
            assertThat(west.routingDomains()).as("the failover domain's primary is in us-east-1, not read").isEmpty();
            assertThat(r.err()).contains("orders.internal.example.com record orders-us-east-1 points at no API with a "
                    + "custom domain of that name in the regions read: the routing domain is not written");
            CliRun none = run("discover", "--profile", "nope", "--region", "us-west-2", "--endpoint",
                    moto.uri().toString());
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err().strip()).isEqualTo("vpcanary: --profile nope: no such profile in the shared AWS config "
                    + "and credentials files");
        } finally {
            System.clearProperty("aws.sharedCredentialsFile");
            System.clearProperty("aws.configFile");
        }
    }

    @Test
    void printsTheReadOnlyPolicyWithoutCallingAws() throws Exception {
        CliRun r = run("discover", "--print-policy", "--endpoint", "http://127.0.0.1:1");
        assertThat(r.exit()).isZero();
        JsonNode policy = new ObjectMapper().readTree(r.out());
        assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
        Set<String> actions = new HashSet<>();
        policy.get("Statement").forEach(s -> {
            assertThat(s.get("Effect").asText()).isEqualTo("Allow");
            s.get("Action").forEach(a -> actions.add(a.asText()));
        });
        assertThat(actions).containsExactlyInAnyOrder("apigateway:GET", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs",
                "ec2:DescribeSubnets", "route53:ListHostedZones", "route53:GetHostedZone",
                "route53:ListResourceRecordSets", "route53:GetHealthCheck");
    }

    @Test
    void badInputIsOneLineAndExit2() throws Exception {
        CliRun region = run("discover", "--region", "mars", "--endpoint", moto.uri().toString());
        assertThat(region.exit()).isEqualTo(2);
        assertThat(region.err().strip()).isEqualTo("vpcanary: --region 'mars' is not a region name such as us-east-1");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "apis: [\n");
        CliRun file = run("discover", "--region", "us-east-1", "--endpoint", moto.uri().toString(), "--out",
                broken.toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err().strip().lines()).hasSize(1);
        assertThat(file.err()).doesNotContain("Exception");
        for (String[] args : List.of(new String[] {"--diff", dir.resolve("absent.yaml").toString()},
                new String[] {"--diff", discovered.toString(), "--min-coverage", "150"},
                new String[] {"--min-coverage", "50"},
                new String[] {"--diff", discovered.toString(), "--out", dir.resolve("x.yaml").toString()})) {
            List<String> line = new java.util.ArrayList<>(List.of("discover", "--endpoint", moto.uri().toString()));
            line.addAll(List.of(args));
            CliRun r = run(line.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        }
    }
}
