package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.LabEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The probe half of "secrets never appear in logs, reports, JSON output or exception messages": runs
 * {@code probe --once --lab ENV --json F} against a real lab and scans every byte it wrote (stdout, stderr, the JSON)
 * for the lab's secret access key, every OAuth client secret of the lab's identity provider, tokens fetched with
 * those clients and anything shaped like a JWT or a SigV4 signature. Also checks the negative-auth matrix's verdict per
 * API against what the lab serves.
 */
class ProbeAuthSecretsTest {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}");
    private static final Pattern SIGNATURE = Pattern.compile("Signature=[0-9a-f]{64}");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err, String json) {
        String all() {
            return out + "\n" + err + "\n" + json;
        }
    }

    private Run probe(Path env, String... extra) throws Exception {
        Path json = dir.resolve("probe-" + System.nanoTime() + ".json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("probe", "--once", "--lab", env.toString(), "--json",
                json.toString()));
        args.addAll(List.of(extra));
        int exit = cl.execute(args.toArray(String[]::new));
        String written = Files.exists(json) ? Files.readString(json, StandardCharsets.UTF_8) : "";
        return new Run(exit, out.toString(), err.toString(), written);
    }

    /** The demo lab: whatever auth its APIs have, no secret leaks and each API gets the verdict the lab deserves. */
    @Test
    void demoLabLeaksNoSecret() throws Exception {
        try (Lab lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("demo-state")))) {
            Path env = dir.resolve("demo-env.json");
            lab.writeEnvironment(env);
            Estate estate = EstateLoader.load(Path.of(lab.environment().estate()));
            Run r = probe(env);
            assertNoSecret(r, lab.environment());
            assertVerdicts(r, estate);
        }
    }

    /**
     * A lab serving an IAM API, and one deliberately without its authorizer: the probe signs with the lab principal,
     * whose secret never shows; the matrix finds the unprotected API and fails the run.
     */
    @Test
    void iamLabLeaksNoSecret() throws Exception {
        Path estateFile = dir.resolve("iam-estate.yaml");
        Files.writeString(estateFile, """
                account: "111122223333"
                apis:
                  - name: ledger
                    type: REST
                    endpointType: REGIONAL
                    stage: prod
                    auth: {type: IAM}
                    regions:
                      - {region: us-east-1, id: ldgreast01}
                    resources: [/entries]
                    checks:
                      - {name: add-entry, method: POST, path: /entries, body: '{"n":1}', from: on-premises}
                  - name: vault
                    type: REST
                    endpointType: REGIONAL
                    stage: prod
                    auth: {type: IAM}
                    regions:
                      - {region: us-east-1, id: vaulteast1}
                    resources: [/secrets]
                    checks:
                      - {name: read, path: /secrets, from: on-premises}
                lab:
                  unprotectedApis: [vault]   # deliberately served without its authorizer: a security finding
                """);
        Estate estate = EstateLoader.load(estateFile);
        try (Lab lab = Lab.start(estate, estateFile, Lab.Options.ephemeral(dir.resolve("iam-state")))) {
            Path env = dir.resolve("iam-env.json");
            lab.writeEnvironment(env);
            Run r = probe(env);
            assertThat(r.out()).as(r.err()).contains("auth matrix:", "auth-refusal:unsigned");
            assertThat(r.out()).contains("AUTH ledger (IAM): auth enforced")
                    .contains("AUTH vault (IAM): AUTH NOT ENFORCED (security finding)");
            assertThat(r.exit()).as("the unprotected API fails the run").isEqualTo(1);
            assertNoSecret(r, lab.environment());
            assertVerdicts(r, estate);

            Run without = probe(env, "--no-auth-matrix");
            assertThat(without.out()).doesNotContain("auth matrix:");
            assertThat(without.json()).doesNotContain("authMatrix");
            assertThat(without.exit()).as(without.out()).isZero();
            assertNoSecret(without, lab.environment());
        }
    }

    /** Bad auth input is refused before anything is sent, naming the variable and never a secret. */
    @Test
    void missingClientSecretVariableIsBadInput() throws Exception {
        Path estateFile = dir.resolve("jwt-estate.yaml");
        String variable = "VPCANARY_TEST_UNSET_" + System.nanoTime();
        Files.writeString(estateFile, """
                account: "111122223333"
                apis:
                  - name: catalog
                    type: HTTP
                    endpointType: REGIONAL
                    stage: prod
                    auth:
                      type: JWT
                      issuer: https://idp.example.test/lab
                      audiences: [catalog]
                      tokenEndpoint: https://idp.example.test/lab/token
                      clientId: catalog-client
                      clientSecretEnv: %s
                    regions:
                      - {region: us-east-1, id: ctlgeast01}
                    resources: [/items]
                    checks:
                      - {name: list-items, path: /items, from: on-premises}
                """.formatted(variable));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("probe", "--once", "--estate", estateFile.toString(), "--vantage", "on-premises", "--resolver", "127.0.0.1:9");
        assertThat(exit).as(out + "" + err).isEqualTo(2);
        assertThat(err.toString()).contains("the environment variable " + variable, "'catalog'", "is not set");
    }

    private static void assertVerdicts(Run r, Estate estate) throws Exception {
        List<String> unprotected = estate.lab().unprotectedApis();
        boolean anyFinding = false;
        boolean anyAuth = false;
        JsonNode root = new ObjectMapper().readTree(r.json());
        Map<String, String> verdicts = new HashMap<>();
        if (root.has("authMatrix")) {
            root.get("authMatrix").get("apis").forEach(v -> verdicts.put(v.get("api").asText(),
                    v.get("verdict").asText()));
        }
        for (Api api : estate.apis()) {
            if (api.auth().type() == AuthType.NONE) {
                assertThat(verdicts).doesNotContainKey(api.name());
                continue;
            }
            anyAuth = true;
            boolean enforced = !unprotected.contains(api.name());
            anyFinding |= !enforced;
            assertThat(verdicts.get(api.name())).as(api.name() + "; stdout:%n%s", r.out())
                    .isEqualTo(enforced ? "auth enforced" : "AUTH NOT ENFORCED (security finding)");
            assertThat(r.out()).contains("AUTH " + api.name() + " (" + api.auth().type() + "): "
                    + verdicts.get(api.name()));
        }
        assertThat(root.has("authMatrix")).isEqualTo(anyAuth);
        if (anyFinding) {
            assertThat(r.exit()).as("a security finding fails the run").isEqualTo(1);
        }
    }

    private static void assertNoSecret(Run r, LabEnvironment env) {
        List<String> secrets = new ArrayList<>();
        secrets.add(env.credentials().secretAccessKey());
        if (env.identityProvider() != null && env.identityProvider().clients() != null) {
            for (LabEnvironment.Client c : env.identityProvider().clients()) {
                secrets.add(c.clientSecret());
                String token = ClientCredentialsTokenProvider.builder(URI.create(env.identityProvider()
                        .tokenEndpoint()), c.clientId(), c.clientSecret()).scopes(c.scopes()).build().token();
                secrets.add(token);
                secrets.add(token.substring(0, token.lastIndexOf('.')));
            }
        }
        String all = r.all();
        assertThat(all).as("the run wrote something").contains("checks");
        for (String s : secrets) {
            assertThat(all).as("a secret of the lab appears in the output").doesNotContain(s);
        }
        assertThat(JWT.matcher(all).find()).as("a JWT appears in the output").isFalse();
        assertThat(SIGNATURE.matcher(all).find()).as("a SigV4 signature appears in the output").isFalse();
    }
}
