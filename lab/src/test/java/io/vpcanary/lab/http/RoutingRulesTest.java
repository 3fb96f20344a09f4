package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.lab.tls.LabCa;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three routing modes of a custom domain (API Gateway routing rules, June 2025) through real front doors: the
 * full demo's catalog.internal.example.com with its rule table, in each mode. Which API answered is what the lab's
 * integration reports in the answer.
 */
class RoutingRulesTest {

    private static final String DOMAIN = "catalog.internal.example.com";
    private static final String MODE = "            routingMode: ROUTING_RULE_THEN_API_MAPPING\n";

    @TempDir
    static Path state;

    private record Answer(int status, String body) {
    }

    /** Sends the requests from the provider's VPC to the full demo with the domain in {@code mode}. */
    private static Map<String, Answer> run(String mode, Map<String, Request.Builder> requests) throws Exception {
        String text = EstateLoader.fullDemoText();
        assertThat(text).contains(MODE);
        text = text.replace(MODE, "            routingMode: " + mode + "\n");
        if (mode.equals("API_MAPPING_ONLY")) {
            // the rule table's checks would fail without the rules, and validate says so: leave them out
            String rows = "      # one check per row of the rule table";
            assertThat(text).contains(rows);
            text = text.substring(0, text.indexOf(rows)) + text.substring(text.indexOf("\nlab:") + 1);
        }
        Estate estate = EstateLoader.parse(Path.of("full.yaml"), text);
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabDnsViews views = LabDnsViews.of(estate, plan);
        LabCa ca = LabCa.loadOrCreate(state);
        try (LabFrontDoors doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults())) {
            OkHttpClient client = LabClients.client(ca, host -> views.answer("provider-east", host)
                    .orElseThrow(() -> new UnknownHostException(host))).build();
            Map<String, Answer> out = new java.util.LinkedHashMap<>();
            for (var e : requests.entrySet()) {
                Request.Builder b = e.getValue();
                Request r = b.build();
                Request withPort = r.newBuilder().url(r.url().newBuilder().port(doors.port()).build()).build();
                try (Response resp = client.newCall(withPort).execute()) {
                    out.put(e.getKey(), new Answer(resp.code(), resp.body().string()));
                }
            }
            return out;
        }
    }

    private static Request.Builder get(String path, String... headers) {
        Request.Builder b = new Request.Builder().url("https://" + DOMAIN + path);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private static final Map<String, Request.Builder> REQUESTS = Map.of(
            "beta", get("/daily", "X-Version", "beta-3"),
            "plain", get("/items"));

    @Test
    void rulesThenMappingsRoutesByTheRuleAndFallsBackToTheMapping() throws Exception {
        Map<String, Answer> a = run("ROUTING_RULE_THEN_API_MAPPING", REQUESTS);
        assertThat(a.get("beta").body()).contains("\"api\":\"reports\"");
        assertThat(a.get("plain").body()).contains("\"api\":\"catalog\"");
    }

    @Test
    void rulesOnlyRefusesARequestNoRuleMatches() throws Exception {
        Map<String, Answer> a = run("ROUTING_RULE_ONLY", REQUESTS);
        assertThat(a.get("beta").body()).contains("\"api\":\"reports\"");
        assertThat(a.get("plain")).isEqualTo(new Answer(403, "{\"message\":\"Forbidden\"}"));
    }

    @Test
    void mappingsOnlyIgnoresTheRules() throws Exception {
        Map<String, Answer> a = run("API_MAPPING_ONLY", REQUESTS);
        assertThat(a.get("beta").status()).as("catalog has no /daily").isEqualTo(403);
        assertThat(a.get("beta").body()).contains("Missing Authentication Token");
        assertThat(a.get("plain").body()).contains("\"api\":\"catalog\"");
    }
}
