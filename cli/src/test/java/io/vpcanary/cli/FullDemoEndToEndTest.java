package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full demo estate ({@code vpcanary demo-estate --full}) served by a real lab and checked by
 * {@code vpcanary probe --once}: a private custom domain shared with another account's VPC, base path mappings, the
 * domain's own policy, a VPC endpoint policy and an unassociated endpoint; every positive check passes from each
 * vantage that applies, and every refusal is classified with the layer that refused named in its message.
 */
class FullDemoEndToEndTest {

    @TempDir
    static Path dir;

    private static Lab lab;
    private static Path env;

    @BeforeAll
    static void startLab() throws Exception {
        Path estateFile = dir.resolve("demo-estate-full.yaml");
        CliRun printed = run("demo-estate", "--full");
        assertThat(printed.exit()).isZero();
        Files.writeString(estateFile, printed.out());
        lab = Lab.start(EstateLoader.load(estateFile), estateFile, Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static JsonNode outcome(JsonNode checks, String check, String accessPath, String vantage) {
        return outcome(checks, check, accessPath, vantage, null);
    }

    /** The one outcome of a check; {@code family} IPv4 or IPv6 for a dual-stack name, null for an IPv4-only one. */
    private static JsonNode outcome(JsonNode checks, String check, String accessPath, String vantage, String family) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode o : checks) {
            String f = o.has("ipFamily") ? o.get("ipFamily").asText() : null;
            if (o.get("check").asText().equals(check) && o.get("accessPath").asText().equals(accessPath)
                    && (vantage == null || o.get("vantage").asText().equals(vantage))
                    && java.util.Objects.equals(f, family)) {
                found.add(o);
            }
        }
        assertThat(found).as("%s/%s from %s over %s", check, accessPath, vantage, family).hasSize(1);
        return found.getFirst();
    }

    @Test
    void everyCheckOfTheFullDemoPassesAndEachRefusalNamesItsLayer() throws Exception {
        Path json = dir.resolve("probe.json");
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--json", json.toString());
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        JsonNode checks = new ObjectMapper().readTree(json.toFile()).get("checks");
        for (JsonNode o : checks) {
            assertThat(o.get("passed").asBoolean()).as(o.toString()).isTrue();
        }
        // the shared domain, by name, from the provider's VPC and from the other account's VPC, each base path; the
        // other account's endpoint is dual-stack: checked over IPv4 and over IPv6, reported apart
        for (String check : new String[] {"list-entries", "daily-report"}) {
            assertThat(outcome(checks, check, "CUSTOM_DOMAIN", "provider-east").get("status").asInt()).isEqualTo(200);
            for (String family : new String[] {"IPv4", "IPv6"}) {
                JsonNode o = outcome(checks, check, "CUSTOM_DOMAIN", "consumer-east", family);
                assertThat(o.get("status").asInt()).isEqualTo(200);
                assertThat(o.get("resolvedAddresses").get(0).asText()).isEqualTo(family.equals("IPv4") ? "127.0.3.20"
                        : "0:0:0:0:0:0:0:1");
            }
        }
        // the partner's endpoint has IPv6 DNS records only: its checks run over IPv6 alone, and the endpoint's policy
        // layers see that endpoint on [::1] (told apart by the TLS server name)
        assertThat(outcome(checks, "unassociated-endpoint-refused", "VPCE_HOST_HEADER", "partner-east", "IPv6")
                .get("errorClass").asText()).isEqualTo("FORBIDDEN");
        assertThat(outcome(checks, "api-policy-refuses", "VPCE_API_ID_HEADER", "partner-east", "IPv6")
                .get("message").asText()).contains("refused by the API's resource policy");
        // the dual-stack regional HTTP API, from on-premises
        assertThat(outcome(checks, "list-quotes", "REGIONAL", "on-premises", "IPv6").get("status").asInt())
                .isEqualTo(200);
        assertThat(outcome(checks, "list-quotes", "REGIONAL", "on-premises", "IPv4").get("status").asInt())
                .isEqualTo(200);
        assertThat(outcome(checks, "endpoint-policy-refuses", "VPCE_API_ID_HEADER", null).get("message").asText())
                .contains("POLICY_DENIED").contains("refused by the VPC endpoint policy");
        assertThat(outcome(checks, "domain-policy-refuses", "CUSTOM_DOMAIN", null).get("message").asText())
                .contains("refused by the private custom domain's policy");
        streamedAnswerTimingsMatchCurl(outcome(checks, "stream-updates", "ROUTE53_ALIAS", null));
    }

    /**
     * The feed API streams 6 chunks 150 ms apart: the probe sees them arrive over about 750 ms, and so does curl, an
     * independent client, on the same URL. Each client runs three times alone (one probe at a time, so that no other
     * check competes for the two cores); their medians of the time from the first byte to the end must agree.
     */
    private static void streamedAnswerTimingsMatchCurl(JsonNode o) throws Exception {
        JsonNode stream = o.get("stream");
        assertThat(stream).as("stream timings of %s", o).isNotNull();
        assertThat(stream.get("arrivals").asInt()).isGreaterThanOrEqualTo(6);
        assertThat(stream.get("maxGapMs").asDouble()).isBetween(100.0, 1_000.0);

        java.net.URI url = java.net.URI.create(o.get("url").asText());
        String address = o.get("resolvedAddresses").get(0).asText();
        String ca = new ObjectMapper().readTree(env.toFile()).get("ca").asText();
        List<Double> probe = new ArrayList<>();
        List<Double> curl = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path json = dir.resolve("stream-" + i + ".json");
            CliRun r = run("probe", "--once", "--lab", env.toString(), "--check", "stream-updates", "--parallelism", "1",
                    "--json", json.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode s = new ObjectMapper().readTree(json.toFile()).get("checks").get(0).get("stream");
            probe.add(s.get("lastByteMs").asDouble() - s.get("firstByteMs").asDouble());
            Process p = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "--max-time", "20", "--cacert", ca,
                    "--resolve", url.getHost() + ":" + url.getPort() + ":" + address,
                    "-w", "%{time_starttransfer} %{time_total}", url.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as(out).isZero();
            String[] t = out.split(" ");
            curl.add((Double.parseDouble(t[1]) - Double.parseDouble(t[0])) * 1000);
        }
        probe.sort(null);
        curl.sort(null);
        assertThat(probe.get(1)).as("median span, first byte to end: probe %s ms, curl %s ms", probe, curl)
                .isBetween(700.0, 1_000.0)
                .isCloseTo(curl.get(1), org.assertj.core.data.Offset.offset(60.0));
    }
}
