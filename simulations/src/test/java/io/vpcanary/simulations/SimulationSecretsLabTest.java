package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the access-path and the estate-checks simulations (signed and JWT requests included) against an embedded lab (whose front doors enforce SigV4 and JWTs) and scans
 * every byte they wrote (Gatling's results folder: simulation.log and the HTML reports; the published metrics; standard
 * output and error) for the lab principal's secret access key, the OAuth client secrets and any JWT-shaped string.
 */
class SimulationSecretsLabTest {

    /** Three base64url segments, the first starting as every JSON header does ({@code {"}). */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @TempDir
    Path work;

    @Test
    void signedAndJwtRunsWriteNoSecretAndNoToken() throws Exception {
        Map<String, String> props = Map.of("rate", "5", "duration", "2s", "warmUp", "0s", "vpcanary.overheadMs", "60000",
                "vpcanary.publish", "local,emf", "vpcanary.metricsFile", work.resolve("metrics.jsonl").toString());
        List<GatlingRun> runs = new ArrayList<>();
        // the access-path run (signed ledger requests, JWT payments requests) and the estate's checks (the same, and the
        // auth-carrying checks of every vantage)
        for (Class<?> simulation : List.of(AccessPathsSimulation.class, EstateChecksSimulation.class)) {
            Path dir = Files.createDirectories(work.resolve(simulation.getSimpleName()));
            // one lab state for both runs, so both use the same secrets
            Map<String, String> p = new java.util.HashMap<>(props);
            p.put("vpcanary.labState", work.resolve("lab-state").toString());
            GatlingRun run = GatlingRun.run(simulation, dir, p, Duration.ofSeconds(90));
            assertThat(run.exitCode()).as(run.out()).isZero();
            long[] count = run.requestCount();
            assertThat(count[0]).as("requests of " + simulation.getSimpleName()).isPositive();
            assertThat(count[2]).as("failed requests: the lab accepted every signature and token").isZero();
            runs.add(run);
        }

        List<String> secrets = labSecrets(work.resolve("lab-state"));
        assertThat(secrets).as("the lab's secret key and at least one client secret").hasSizeGreaterThanOrEqualTo(2);
        List<Path> written = new ArrayList<>();
        written.add(work.resolve("metrics.jsonl"));
        for (GatlingRun run : runs) {
            written.add(run.stdout());
            written.add(run.stderr());
            try (Stream<Path> files = Files.walk(run.resultsDir())) {
                files.filter(Files::isRegularFile).forEach(written::add);
            }
        }
        assertThat(written).anyMatch(f -> f.getFileName().toString().equals("simulation.log"));
        long bytes = 0;
        for (Path f : written) {
            byte[] content = Files.readAllBytes(f);
            bytes += content.length;
            // ISO-8859-1 maps every byte to one char, so binary files (simulation.log) are scanned byte for byte
            String text = new String(content, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text.contains(secret)).as("a lab secret in " + f).isFalse();
            }
            Matcher m = JWT.matcher(text);
            assertThat(m.find()).as("a JWT-shaped string in " + f).isFalse();
        }
        assertThat(bytes).isPositive();
    }

    /** The lab principal's secret access key, every OAuth client secret and every Lambda authorizer token. */
    private static List<String> labSecrets(Path labState) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        JsonNode credentials = json.readTree(labState.resolve("credentials.json").toFile());
        out.add(credentials.get("secretAccessKey").asText());
        JsonNode auth = json.readTree(labState.resolve("auth-secrets.json").toFile());
        for (String field : List.of("clientSecrets", "tokens")) {
            auth.path(field).forEach(v -> out.add(v.asText()));
        }
        out.removeIf(s -> s.length() < 8);
        return out;
    }
}
