package io.vpcanary.cli;

import io.vpcanary.probe.TestDnsServer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.labenv.LabEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vpcanary probe} end to end against a real HTTPS server (test CA) and a real DNS responder on 127.0.0.1:
 * exit codes 0, 1 and 2, the table, the JSON file and the error messages.
 */
class ProbeCommandTest {

    private static final String HOST = "invtryeast.execute-api.us-east-1.amazonaws.com";
    private static final String ESTATE = """
            account: "111122223333"
            apis:
              - name: inventory
                type: REST
                endpointType: REGIONAL
                stage: prod
                regions:
                  - region: us-east-1
                    id: invtryeast
                resources: [/items]
                checks:
                  - name: list-items
                    path: /items
                    expect:
                      status: 200
                      bodyContains: '"api":"inventory"'
            """;

    @TempDir
    Path dir;

    private HeldCertificate ca;
    private TestDnsServer dns;
    private MockWebServer web;
    private Path estateFile;
    private Path caFile;

    @BeforeEach
    void start() throws Exception {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("cli test CA").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca)
                .addSubjectAlternativeName("*.execute-api.us-east-1.amazonaws.com").build();
        web = new MockWebServer();
        web.useHttps(new HandshakeCertificates.Builder().heldCertificate(server, ca.certificate()).build()
                .sslSocketFactory());
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        dns = TestDnsServer.start();
        dns.a(HOST, "127.0.0.1");
        estateFile = dir.resolve("estate.yaml");
        Files.writeString(estateFile, ESTATE, StandardCharsets.UTF_8);
        caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem(), StandardCharsets.US_ASCII);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        dns.close();
    }

    /** The result of one command line. */
    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // the tests answer exactly one queued response per check: no warm-up request
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--no-warmup";
        int exit = cl.execute(all);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path labEnv() throws Exception {
        Path env = dir.resolve("lab-env.json");
        new LabEnvironment(caFile.toString(), null, null, web.getPort(),
                Map.of("on-premises", "127.0.0.1:" + dns.address().getPort()), List.of(),
                estateFile.toAbsolutePath().toString(), null, null).write(env);
        return env;
    }

    private void answer(int status, String body) {
        web.enqueue(new MockResponse.Builder().code(status).addHeader("x-amzn-RequestId", "rid-" + status)
                .body(body).build());
    }

    @Test
    void labRunWhereEveryCheckPassesExitsZeroAndWritesJson() throws Exception {
        answer(200, "{\"api\":\"inventory\",\"region\":\"us-east-1\"}");
        Path json = dir.resolve("out.json");

        Result r = run("probe", "--once", "--lab", labEnv().toString(), "--json", json.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("inventory", "list-items", "REGIONAL", "us-east-1", "on-premises", "PASS")
                .contains("1 checks: 1 passed, 0 failed");
        RecordedRequest request = web.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/prod/items");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("summary").get("passed").asInt()).isEqualTo(1);
        JsonNode check = root.get("checks").get(0);
        assertThat(check.get("url").asText()).isEqualTo("https://" + HOST + ":" + web.getPort() + "/prod/items");
        assertThat(check.get("servedRegion").asText()).isEqualTo("us-east-1");
        assertThat(check.get("requestId").asText()).isEqualTo("rid-200");
        assertThat(check.get("phases").get("tlsMs").isNumber()).isTrue();
    }

    @Test
    void failedCheckExitsOne() throws Exception {
        answer(502, "{\"message\":\"Internal server error\"}");

        Result r = run("probe", "--once", "--lab", labEnv().toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("HTTP_5XX", "FAIL", "[request id rid-502]", "1 checks: 0 passed, 1 failed");
    }

    @Test
    void repeatsCountTimesAndFailsWhenAnyRunFailed() throws Exception {
        answer(500, "{}");
        answer(200, "{\"api\":\"inventory\"}");

        Result r = run("probe", "--count", "2", "--interval", "10ms", "--lab", labEnv().toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("run 1 at", "run 2 at");
        assertThat(web.getRequestCount()).isEqualTo(2);
    }

    @Test
    void estateModeUsesTheGivenResolverTrustStoreAndPort() {
        answer(200, "{\"api\":\"inventory\"}");

        Result r = run("probe", "--once", "--estate", estateFile.toString(), "--vantage", "on-premises", "--port", String.valueOf(web.getPort()),
                "--resolver", "127.0.0.1:" + dns.address().getPort(), "--truststore", caFile.toString(),
                "--api", "inventory", "--check", "list-items");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS");
    }

    @Test
    void malformedEstateExitsTwoWithFileLineAndField() throws Exception {
        Files.writeString(estateFile, ESTATE.replace("    stage: prod\n", "    stage: prod\n    stagee: beta\n"));

        Result r = run("probe", "--once", "--estate", estateFile.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(estateFile + ":7:5: apis[0].stagee").contains("apis[0].stagee").contains("unknown field");
        assertThat(web.getRequestCount()).isZero();
    }

    @Test
    void unreadableEnvironmentFileExitsTwo() throws Exception {
        Path missing = dir.resolve("no-such-env.json");
        Result r = run("probe", "--once", "--lab", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read the lab environment file " + missing);

        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{not json");
        Result g = run("probe", "--once", "--lab", garbage.toString());
        assertThat(g.exit()).isEqualTo(2);
        assertThat(g.err()).contains(garbage + " is not a lab environment file");
    }

    @Test
    void badOptionsExitTwo() throws Exception {
        Result both = run("probe", "--once", "--lab", labEnv().toString(), "--estate", estateFile.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Result resolverWithLab = run("probe", "--once", "--lab", labEnv().toString(), "--resolver", "127.0.0.1:53");
        assertThat(resolverWithLab.exit()).isEqualTo(2);
        assertThat(resolverWithLab.err()).contains("apply to --estate");

        Result unknownApi = run("probe", "--once", "--lab", labEnv().toString(), "--api", "payments");
        assertThat(unknownApi.exit()).isEqualTo(2);
        assertThat(unknownApi.err()).contains("no API named 'payments'").contains("inventory");

        Result badInterval = run("probe", "--lab", labEnv().toString(), "--interval", "soon");
        assertThat(badInterval.exit()).isEqualTo(2);
        assertThat(badInterval.err()).contains("not a duration");

        Result badResolver = run("probe", "--once", "--estate", estateFile.toString(), "--vantage", "on-premises", "--resolver", "nowhere");
        assertThat(badResolver.exit()).isEqualTo(2);
        assertThat(badResolver.err()).contains("not host:port");
        assertThat(web.getRequestCount()).isZero();
    }

    @Test
    void labWithoutAViewForAVantageExitsTwo() throws Exception {
        Path env = dir.resolve("lab-env.json");
        new LabEnvironment(caFile.toString(), null, null, web.getPort(),
                Map.of("canary-east", "127.0.0.1:" + dns.address().getPort()), List.of(),
                estateFile.toAbsolutePath().toString(), null, null).write(env);

        Result r = run("probe", "--once", "--lab", env.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no resolver for vantage point 'on-premises'");
    }
}
