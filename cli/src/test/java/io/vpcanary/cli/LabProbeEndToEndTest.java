package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's acceptance test: {@code vpcanary probe --once --lab F} against a real lab (real DNS packets, real
 * TLS, real sockets) passes every access path of the demo estate and classifies each negative case.
 */
class LabProbeEndToEndTest {

    @TempDir
    static Path dir;

    private static Lab lab;
    private static Path env;

    @BeforeAll
    static void startLab() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }



    @Test
    void everyPathPassesAndEveryNegativeCaseIsClassified() throws Exception {
        Path json = dir.resolve("probe.json");
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--json", json.toString());
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode outcomes = root.get("checks");
        assertThat(root.get("summary").get("failed").asInt()).isZero();
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode o : outcomes) {
            byKey.put(o.get("check").asText() + "/" + o.get("accessPath").asText() + "/" + o.get("region").asText(), o);
            assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
            assertThat(o.get("phases").get("totalMs").asDouble()).isPositive();
        }
        // every access path of the private API in both regions, and the regional API
        for (String region : new String[] {"us-east-1", "us-west-2"}) {
            for (String path : new String[] {"PRIVATE_DNS", "VPCE_HOST_HEADER", "VPCE_API_ID_HEADER", "ROUTE53_ALIAS", "CUSTOM_DOMAIN"}) {
                JsonNode o = byKey.get("list-orders/" + path + "/" + region);
                assertThat(o).as(path + " " + region).isNotNull();
                assertThat(o.get("status").asInt()).isEqualTo(200);
                assertThat(o.get("errorClass").isNull()).isTrue();
                assertThat(o.get("servedRegion").asText()).isEqualTo(region);
                assertThat(o.get("phases").get("tlsMs").asDouble()).isPositive();
                assertThat(java.time.Instant.parse(o.get("certificateNotAfter").asText()))
                        .as("the lab certificate's expiry, from the handshake").isAfter(java.time.Instant.now());
                // the lab's JDK front doors and OkHttp's client both offer TLS 1.3, so that is what they agree on
                assertThat(o.get("tlsVersion").asText()).isEqualTo("TLSv1.3");
                assertThat(o.get("cipherSuite").asText()).isIn("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256");
            }
        }
        assertThat(byKey.get("list-items/REGIONAL/us-east-1").get("servedRegion").asText()).isEqualTo("us-east-1");

        // missing header -> 403 Forbidden
        JsonNode bare = byKey.get("bare-endpoint-refused/VPCE_HOST_HEADER/us-east-1");
        assertThat(bare.get("status").asInt()).isEqualTo(403);
        assertThat(bare.get("errorClass").asText()).isEqualTo("FORBIDDEN");
        // wrong VPC endpoint under a SourceVpce policy -> 403 with the deny message
        JsonNode foreign = byKey.get("foreign-endpoint-denied/VPCE_API_ID_HEADER/us-east-1");
        assertThat(foreign.get("status").asInt()).isEqualTo(403);
        assertThat(foreign.get("errorClass").asText()).isEqualTo("POLICY_DENIED");
        // private DNS name from the on-premises view -> DNS_FAILURE
        for (String region : new String[] {"us-east-1", "us-west-2"}) {
            JsonNode onPrem = byKey.get("private-dns-from-on-premises/PRIVATE_DNS/" + region);
            assertThat(onPrem.get("errorClass").asText()).isEqualTo("DNS_FAILURE");
            assertThat(onPrem.get("status").isNull()).isTrue();
            assertThat(onPrem.get("certificateNotAfter").isNull()).as("no handshake, no certificate").isTrue();
            assertThat(onPrem.get("tlsVersion").isNull()).isTrue();
            assertThat(onPrem.get("cipherSuite").isNull()).isTrue();
        }
        // regional name via the private-DNS view -> DNS_CONFLICT (and the endpoint's 403 behind it)
        JsonNode conflict = byKey.get("regional-name-from-private-dns-vpc/REGIONAL/us-east-1");
        assertThat(conflict.get("errorClass").asText()).isEqualTo("DNS_CONFLICT");
        assertThat(conflict.get("status").asInt()).isEqualTo(403);

        // the IAM API, signed with the lab principal, through every access path; the JWT HTTP API with a token
        for (String path : new String[] {"PRIVATE_DNS", "VPCE_HOST_HEADER", "VPCE_API_ID_HEADER", "ROUTE53_ALIAS"}) {
            JsonNode o = byKey.get("list-entries/" + path + "/us-east-1");
            assertThat(o).as("ledger " + path).isNotNull();
            assertThat(o.get("status").asInt()).isEqualTo(200);
        }
        assertThat(byKey.get("list-payments/REGIONAL/us-east-1").get("status").asInt()).isEqualTo(200);
        assertThat(byKey.get("orders-route/REGIONAL/us-east-1").get("status").asInt()).isEqualTo(200);
        assertThat(byKey.get("cloud-map-route/REGIONAL/us-east-1").get("status").asInt()).isEqualTo(200);
        // the WebSocket API through the regional name and the custom domain: round trips and a push through
        // @connections, a clean close; an oversize message closed with 1009; the private-DNS capture of $connect
        for (String path : new String[] {"REGIONAL", "CUSTOM_DOMAIN"}) {
            JsonNode o = byKey.get("echo-and-push/" + path + "/us-east-1");
            assertThat(o).as("live " + path).isNotNull();
            assertThat(o.get("status").asInt()).isEqualTo(101);
            assertThat(o.get("url").asText()).startsWith("wss://");
            assertThat(o.get("phases").get("ttfbMs").asDouble()).as("the upgrade").isPositive();
            assertThat(o.get("webSocket").get("roundTripsMs")).hasSize(3);
            assertThat(o.get("webSocket").get("pushMs").asDouble()).isPositive();
            assertThat(o.get("webSocket").get("closeCode").asInt()).isEqualTo(1000);
            JsonNode big = byKey.get("oversize-closed-1009/" + path + "/us-east-1");
            assertThat(big.get("errorClass").asText()).isEqualTo("MESSAGE_TOO_BIG");
            assertThat(big.get("webSocket").get("closeCode").asInt()).isEqualTo(1009);
        }
        assertThat(byKey.get("connect-from-private-dns-vpc/REGIONAL/us-east-1").get("errorClass").asText())
                .isEqualTo("DNS_CONFLICT");
        assertThat(r.out()).containsPattern("WEBSOCKET live/echo-and-push/REGIONAL/us-east-1: round trips [0-9.]+, "
                + "[0-9.]+, [0-9.]+ ms; push [0-9.]+ ms; closed 1000");
        // the negative-auth matrix proves every authorizer refuses strangers, $connect included
        assertThat(r.out()).contains("AUTH ledger (IAM): auth enforced").contains("AUTH payments (JWT): auth enforced")
                .contains("AUTH live (IAM): auth enforced");
        assertThat(root.get("authMatrix").get("passed").asBoolean()).isTrue();
        assertThat(r.out()).contains("29 checks: 29 passed, 0 failed");
        String written = Files.readString(json);
        assertThat(written).doesNotContain(lab.environment().credentials().secretAccessKey());
        assertThat(r.out() + r.err()).doesNotContain(lab.environment().credentials().secretAccessKey());
    }

    @Test
    void filtersSelectChecksAndAMissingEnvironmentFileExitsTwo() {
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--check", "list-items");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 checks: 1 passed, 0 failed");
        CliRun missing = run("probe", "--once", "--lab", dir.resolve("no-such-env.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no-such-env.json");
    }

    /**
     * The demo estate with the HTTP API {@code payments} on the {@code $default} stage: the probe's URLs have no
     * stage segment, its JWT checks pass, and a check of the path with a stage segment in front sees the HTTP API's
     * 404 for an unknown route.
     */
    @Test
    void theDefaultStageIsProbedAtTheRootAndAStageSegmentIsAnUnknownRoute() throws Exception {
        String payments = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";
        String checks = "    checks:\n      - name: list-payments\n";
        String text = demoWith(payments, payments.replace("prod", "$default"), checks, "    checks:\n"
                + "      - name: stage-segment-is-no-route\n        path: /prod/payments\n"
                + "        expect:\n          status: 404\n          errorClass: HTTP_4XX\n"
                + "      - name: list-payments\n");
        Probed p = probeEdited("default-stage", text, "payments");
        Map<String, JsonNode> byCheck = new HashMap<>();
        for (JsonNode o : p.checks()) {
            byCheck.put(o.get("check").asText(), o);
        }
        assertThat(byCheck).containsOnlyKeys("stage-segment-is-no-route", "list-payments", "orders-route",
                "cloud-map-route");
        assertThat(byCheck.get("list-payments").get("status").asInt()).isEqualTo(200);
        assertThat(byCheck.get("list-payments").get("url").asText()).isEqualTo(
                "https://paymnteast.execute-api.us-east-1.amazonaws.com:" + p.httpsPort() + "/payments");
        JsonNode unknown = byCheck.get("stage-segment-is-no-route");
        assertThat(unknown.get("status").asInt()).isEqualTo(404);
        assertThat(unknown.get("errorClass").asText()).isEqualTo("HTTP_4XX");
        assertThat(p.run().out()).contains("AUTH payments (JWT): auth enforced");
    }

    /**
     * The demo estate with {@code orders} in STRICT endpoint access mode (AWS, November 2025): a check expecting the
     * endpoint hostname + Host path to be refused (FORBIDDEN) passes, and private DNS, the API id header, the alias
     * and the custom domain keep working.
     */
    @Test
    void strictEndpointAccessModeRefusesTheHostHeaderPathAndServesPrivateDns() throws Exception {
        String orders = "    endpointType: PRIVATE\n    stage: prod\n";
        String listOrders = "      - name: list-orders\n        path: /orders\n";
        String text = demoWith(orders, orders + "    endpointAccessMode: STRICT\n", listOrders, ""
                + "      - name: strict-host-header-refused\n        path: /orders\n        accessPaths: [VPCE_HOST_HEADER]\n"
                + "        expect:\n          status: 403\n          errorClass: FORBIDDEN\n"
                + listOrders + "        accessPaths: [PRIVATE_DNS, VPCE_API_ID_HEADER, ROUTE53_ALIAS, CUSTOM_DOMAIN]\n");
        Map<String, JsonNode> byKey = new HashMap<>();
        for (JsonNode o : probeEdited("strict", text, "orders").checks()) {
            byKey.put(o.get("check").asText() + "/" + o.get("accessPath").asText() + "/" + o.get("region").asText(), o);
        }
        for (String region : new String[] {"us-east-1", "us-west-2"}) {
            JsonNode refused = byKey.get("strict-host-header-refused/VPCE_HOST_HEADER/" + region);
            assertThat(refused.get("status").asInt()).isEqualTo(403);
            assertThat(refused.get("errorClass").asText()).isEqualTo("FORBIDDEN");
            assertThat(byKey.get("list-orders/PRIVATE_DNS/" + region).get("status").asInt()).isEqualTo(200);
            assertThat(byKey.get("list-orders/CUSTOM_DOMAIN/" + region).get("status").asInt()).isEqualTo(200);
        }
    }

    /**
     * The demo estate with {@code orders} on the TLS 1.3-only security policy and {@code list-orders} expecting TLS
     * 1.3: the lab's front doors negotiate TLS 1.3 and every such check passes.
     */
    @Test
    void aTls13OnlyApiMeetsAnExpectedTlsVersion() throws Exception {
        String orders = "    endpointType: PRIVATE\n    stage: prod\n";
        String budget = "          latencyBudgetMs: 2000\n      - name: bare-endpoint-refused\n";
        String text = demoWith(orders, orders + "    securityPolicy: SecurityPolicy_TLS13_1_3_2025_09\n", budget,
                budget.replace("2000\n", "2000\n          tlsVersion: TLSv1.3\n"));
        int seen = 0;
        for (JsonNode o : probeEdited("tls13", text, "orders").checks()) {
            if (o.get("check").asText().equals("list-orders")) {
                assertThat(o.get("tlsVersion").asText()).as(o.toString()).isEqualTo("TLSv1.3");
                assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
                seen++;
            }
        }
        assertThat(seen).isPositive();
    }

    /** The demo estate with {@code from1} replaced by {@code to1} and {@code from2} by {@code to2}; both must be there. */
    private static String demoWith(String from1, String to1, String from2, String to2) {
        String text = EstateLoader.demoText();
        assertThat(text).contains(from1, from2);
        return text.replace(from1, to1).replace(from2, to2);
    }

    /** What the probe said of an edited estate: its run, its checks' outcomes and the lab's HTTPS port. */
    private record Probed(CliRun run, List<JsonNode> checks, int httpsPort) {
    }

    /**
     * Validates {@code text} (written as {@code name}.yaml), starts a lab of it and probes {@code api} once:
     * validation and the probe must succeed, and every outcome must have passed.
     */
    private static Probed probeEdited(String name, String text, String api) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertThat(run("validate", file.toString()).exit()).isZero();
        try (Lab other = Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(dir.resolve(name + "-state")))) {
            Path otherEnv = dir.resolve(name + "-env.json");
            other.writeEnvironment(otherEnv);
            Path json = dir.resolve(name + "-probe.json");
            CliRun r = run("probe", "--once", "--lab", otherEnv.toString(), "--api", api, "--json", json.toString());
            assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
            List<JsonNode> checks = new ArrayList<>();
            for (JsonNode o : new ObjectMapper().readTree(json.toFile()).get("checks")) {
                assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
                checks.add(o);
            }
            return new Probed(r, checks, other.environment().httpsPort());
        }
    }
}
