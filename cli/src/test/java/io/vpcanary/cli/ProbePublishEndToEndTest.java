package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;

import io.vpcanary.metrics.MotoServer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.lab.Lab;
import io.vpcanary.metrics.LocalJsonReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Issue 4's acceptance test: {@code vpcanary probe --once --publish ...} against a real lab (real DNS, TLS, sockets)
 * lands every series of the metric catalogue (docs/metrics.md) that the demo estate's outcomes call for: in
 * moto_server through PutMetricData, in a local JSON-lines file and as EMF on stdout. The expected series and their
 * sample counts are derived, independently of the code under test, from the outcomes the same run wrote with
 * {@code --json} and from the catalogue as documented.
 */
class ProbePublishEndToEndTest {

    /** The catalogue's metric names (docs/metrics.md). */
    private static final Set<String> CATALOGUE = Set.of("Latency", "DnsTime", "ConnectTime", "TlsTime",
            "TimeToFirstByte", "Success", "Errors", "ServedRegion", "CertificateDaysToExpiry", "MessageRoundTrip",
            "PushLatency", "CloseCodes");

    @TempDir
    static Path dir;

    private static Lab lab;
    private static Path env;
    private static MotoServer moto;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("state")));
        env = dir.resolve("env.json");
        lab.writeEnvironment(env);
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
        if (lab != null) {
            lab.close();
        }
    }



    /** Runs with moto's fake credentials in the SDK's default chain (system properties), restored afterwards. */
    private static CliRun runWithFakeCredentials(String... args) {
        String id = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", MotoServer.FAKE.resolveCredentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", MotoServer.FAKE.resolveCredentials().secretAccessKey());
        try {
            return run(args);
        } finally {
            restore("aws.accessKeyId", id);
            restore("aws.secretAccessKey", secret);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static String key(String metric, Map<String, String> dimensions) {
        return metric + new TreeMap<>(dimensions);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Expected samples per series (name + sorted dimensions), from the run's outcomes and the catalogue. */
    private static Map<String, Long> expectedSeries(JsonNode checks) {
        Map<String, Long> expected = new HashMap<>();
        for (JsonNode o : checks) {
            String api = o.get("api").asText();
            String region = o.get("region").asText();
            Map<String, String> target = Map.of("Api", api, "Check", o.get("check").asText(),
                    "AccessPath", o.get("accessPath").asText(), "Region", region, "Vantage",
                    o.get("vantage").asText());
            Map<String, String> apiRegion = Map.of("Api", api, "Region", region);
            JsonNode phases = o.get("phases");
            if (text(phases.get("totalMs")) != null) {
                expected.merge(key("Latency", target), 1L, Long::sum);
                expected.merge(key("Latency", apiRegion), 1L, Long::sum);
            }
            Map<String, String> phaseMetric = Map.of("dnsMs", "DnsTime", "connectMs", "ConnectTime", "tlsMs",
                    "TlsTime", "ttfbMs", "TimeToFirstByte");
            phaseMetric.forEach((field, metric) -> {
                if (text(phases.get(field)) != null) {
                    expected.merge(key(metric, target), 1L, Long::sum);
                }
            });
            expected.merge(key("Success", target), 1L, Long::sum);
            expected.merge(key("Success", apiRegion), 1L, Long::sum);
            if (text(o.get("errorClass")) != null) {
                expected.merge(key("Errors", Map.of("Api", api, "Region", region, "ErrorClass",
                        o.get("errorClass").asText())), 1L, Long::sum);
            }
            if (text(o.get("servedRegion")) != null) {
                expected.merge(key("ServedRegion", Map.of("Api", api, "Check", o.get("check").asText(),
                        "ServingRegion", o.get("servedRegion").asText())), 1L, Long::sum);
            }
            if (text(o.get("certificateNotAfter")) != null) {
                expected.merge(key("CertificateDaysToExpiry",
                        Map.of("Host", URI.create(o.get("url").asText()).getHost())), 1L, Long::sum);
            }
            JsonNode ws = o.get("webSocket");
            if (ws != null && !ws.isNull()) {
                if (ws.get("roundTripsMs").size() > 0) {
                    expected.merge(key("MessageRoundTrip", target), (long) ws.get("roundTripsMs").size(), Long::sum);
                }
                if (text(ws.get("pushMs")) != null) {
                    expected.merge(key("PushLatency", target), 1L, Long::sum);
                }
                if (text(ws.get("closeCode")) != null) {
                    expected.merge(key("CloseCodes", Map.of("Api", api, "Region", region, "CloseCode",
                            ws.get("closeCode").asText())), 1L, Long::sum);
                }
            }
        }
        return expected;
    }

    private static Set<String> metricNames(Set<String> keys) {
        return keys.stream().map(k -> k.substring(0, k.indexOf('{'))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> dims(List<Dimension> dimensions) {
        Map<String, String> m = new TreeMap<>();
        dimensions.forEach(d -> m.put(d.name(), d.value()));
        return m;
    }

    @Test
    void cloudWatchReceivesEverySeriesOfTheCatalogueWithExactSampleCounts() throws Exception {
        String namespace = "vpcanary-e2e-cloudwatch";
        Path json = dir.resolve("cloudwatch-run.json");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        CliRun r = runWithFakeCredentials("probe", "--once", "--lab", env.toString(), "--json", json.toString(),
                "--publish", "cloudwatch", "--endpoint", moto.uri().toString(), "--region", "us-east-1",
                "--namespace", namespace);
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).containsPattern("publish cloudwatch: sent [1-9][0-9]* samples")
                .contains("pending 0; dropped 0 too old, 0 rejected, 0 at shutdown")
                .contains("(at most 0 samples duplicated)");
        assertThat(r.out() + r.err()).doesNotContain(MotoServer.FAKE.resolveCredentials().secretAccessKey())
                .doesNotContain(lab.environment().credentials().secretAccessKey());

        JsonNode checks = new ObjectMapper().readTree(json.toFile()).get("checks");
        Map<String, Long> expected = expectedSeries(checks);
        assertThat(metricNames(expected.keySet())).as("the demo estate exercises the whole catalogue")
                .isEqualTo(new TreeSet<>(CATALOGUE));

        try (CloudWatchClient reader = moto.client()) {
            Set<String> listed = new HashSet<>();
            // moto may list a metric more than once (once per stored datum); CloudWatch lists it once
            for (Metric m : reader.listMetricsPaginator(b -> b.namespace(namespace)).metrics()) {
                listed.add(key(m.metricName(), dims(m.dimensions())));
            }
            assertThat(listed).containsExactlyInAnyOrderElementsOf(expected.keySet());

            Instant end = Instant.now().plus(2, ChronoUnit.MINUTES);
            long successChecks = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                String metric = e.getKey().substring(0, e.getKey().indexOf('{'));
                Map<String, String> d = parseDims(e.getKey());
                List<Datapoint> points = reader.getMetricStatistics(b -> b.namespace(namespace).metricName(metric)
                        .dimensions(d.entrySet().stream()
                                .map(x -> Dimension.builder().name(x.getKey()).value(x.getValue()).build()).toList())
                        .startTime(before.minus(1, ChronoUnit.MINUTES)).endTime(end).period(60)
                        .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.MINIMUM)).datapoints();
                double samples = points.stream().mapToDouble(Datapoint::sampleCount).sum();
                assertThat(samples).as("SampleCount of %s", e.getKey())
                        .isEqualTo((double) motoSampleCount(expected, metric, d));
                if (metric.equals("Success") && d.containsKey("Check")) {
                    assertThat(samples).isEqualTo((double) e.getValue());
                    successChecks += (long) samples;
                    double passed = points.stream().mapToDouble(Datapoint::sum).sum();
                    assertThat(passed).as("every check of the demo estate passes: %s", e.getKey())
                            .isEqualTo(samples);
                }
                if (metric.equals("CertificateDaysToExpiry")) {
                    assertThat(points).allSatisfy(p -> assertThat(p.minimum()).as("days left on %s", d).isPositive());
                }
            }
            assertThat(successChecks).as("one Success sample per check").isEqualTo(checks.size());
        }

        // every negative check's class is counted under Errors
        Set<String> negativeClasses = new TreeSet<>();
        for (JsonNode o : checks) {
            if (text(o.get("expectedErrorClass")) != null) {
                negativeClasses.add(o.get("api").asText() + "/" + o.get("region").asText() + "/"
                        + o.get("expectedErrorClass").asText());
            }
        }
        assertThat(negativeClasses).as("the demo estate has negative checks").isNotEmpty();
        for (String c : negativeClasses) {
            String[] p = c.split("/");
            assertThat(expected).containsKey(key("Errors", Map.of("Api", p[0], "Region", p[1], "ErrorClass", p[2])));
        }
    }

    /**
     * What moto's GetMetricStatistics counts for {@code metric} with {@code dims}: moto matches the requested
     * dimensions as a subset of a datum's (CloudWatch matches them exactly), so a rollup such as Latency {Api, Region}
     * also gathers the per-target series of that API and region. For a per-target series this is its own count.
     */
    private static long motoSampleCount(Map<String, Long> expected, String metric, Map<String, String> dims) {
        long n = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            if (e.getKey().startsWith(metric + "{")
                    && parseDims(e.getKey()).entrySet().containsAll(dims.entrySet())) {
                n += e.getValue();
            }
        }
        return n;
    }

    private static Map<String, String> parseDims(String key) {
        String body = key.substring(key.indexOf('{') + 1, key.length() - 1);
        Map<String, String> m = new TreeMap<>();
        for (String pair : body.split(", ")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return m;
    }

    @Test
    void localJsonLinesAndEmfOnStdoutCarryTheSameSeries() throws Exception {
        Path json = dir.resolve("local-run.json");
        Path metrics = dir.resolve("metrics/probe.jsonl");
        CliRun r = run("probe", "--once", "--lab", env.toString(), "--json", json.toString(),
                "--publish", "local", "--metrics-file", metrics.toString(), "--publish", "emf",
                "--namespace", "vpcanary-e2e-local");
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("publish local: sent ").contains("publish emf: sent ");
        Map<String, Long> expected = expectedSeries(new ObjectMapper().readTree(json.toFile()).get("checks"));

        Map<String, Long> local = new HashMap<>();
        for (LocalJsonReader.Entry e : LocalJsonReader.read(metrics)) {
            assertThat(e.namespace()).isEqualTo("vpcanary-e2e-local");
            local.merge(key(e.snapshot().series().name(), e.snapshot().series().dimensions()), e.snapshot().count(),
                    Long::sum);
        }
        assertThat(local).isEqualTo(expected);

        Map<String, Long> emf = new HashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        int events = 0;
        for (String line : r.out().lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode event = mapper.readTree(line);
            JsonNode aws = event.get("_aws");
            assertThat(aws).as("EMF metadata in %s", line).isNotNull();
            assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
            assertThat(aws.get("CloudWatchMetrics")).hasSize(1);
            JsonNode directive = aws.get("CloudWatchMetrics").get(0);
            assertThat(directive.get("Namespace").asText()).isEqualTo("vpcanary-e2e-local");
            assertThat(directive.get("Dimensions")).hasSize(1);
            Map<String, String> dimensions = new TreeMap<>();
            for (JsonNode name : directive.get("Dimensions").get(0)) {
                assertThat(event.get(name.asText())).as("dimension %s is a member", name).isNotNull();
                dimensions.put(name.asText(), event.get(name.asText()).asText());
            }
            for (JsonNode def : directive.get("Metrics")) {
                JsonNode values = event.get(def.get("Name").asText());
                assertThat(values).as("values of %s", def).isNotNull();
                assertThat(def.get("Unit").asText()).isNotBlank();
                assertThat(def.get("StorageResolution").asInt()).isEqualTo(60);
                emf.merge(key(def.get("Name").asText(), dimensions), values.isArray() ? values.size() : 1L,
                        Long::sum);
            }
            events++;
        }
        assertThat(events).as("EMF events on stdout").isPositive();
        assertThat(emf).isEqualTo(expected);
    }

    @Test
    void repeatModePublishesEveryRunAndReportsAfterEach() throws Exception {
        Path metrics = dir.resolve("metrics/repeat.jsonl");
        CliRun r = run("probe", "--count", "2", "--interval", "1s", "--lab", env.toString(), "--check", "list-orders",
                "--publish", "local", "--metrics-file", metrics.toString(), "--resolution", "1");
        assertThat(r.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        List<String> summaries = r.out().lines().filter(l -> l.startsWith("publish local: sent ")).toList();
        assertThat(summaries).as("a summary after each run that sent something, and a final one").hasSizeBetween(1, 3);
        assertThat(summaries.subList(0, summaries.size() - 1)).as("no summary of a run that sent nothing")
                .noneMatch(l -> l.startsWith("publish local: sent 0 samples"));
        assertThat(r.out()).contains("probe summary: 2 runs, ").contains(" samples sent");
        Map<String, Long> success = new HashMap<>();
        for (LocalJsonReader.Entry e : LocalJsonReader.read(metrics)) {
            assertThat(e.snapshot().length()).as("--resolution 1: one-second intervals")
                    .isEqualTo(java.time.Duration.ofSeconds(1));
            assertThat(e.snapshot().storageResolution()).isEqualTo(1);
            if (e.snapshot().series().name().equals("Success")
                    && e.snapshot().series().dimensions().containsKey("Check")) {
                success.merge(key("Success", e.snapshot().series().dimensions()), e.snapshot().count(), Long::sum);
            }
        }
        assertThat(success).as("10 list-orders targets").hasSize(10);
        assertThat(success.values()).as("one sample per target and run").containsOnly(2L);
    }

    @Test
    void metricsRejectedByCloudWatchAreReportedAndExitOne() throws Exception {
        String invalid = "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error>"
                + "<Type>Sender</Type><Code>InvalidParameterValue</Code><Message>bad</Message></Error>"
                + "<RequestId>r-1</RequestId></ErrorResponse>";
        try (MockWebServer cloudWatch = new MockWebServer()) {
            cloudWatch.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().code(400).addHeader("Content-Type", "text/xml").body(invalid)
                            .build();
                }
            });
            cloudWatch.start(InetAddress.getByName("127.0.0.1"), 0);
            CliRun r = runWithFakeCredentials("probe", "--once", "--lab", env.toString(), "--check", "list-items",
                    "--publish", "cloudwatch", "--endpoint", "http://127.0.0.1:" + cloudWatch.getPort(),
                    "--region", "us-east-1");
            assertThat(r.exit()).as("the check passed but metrics were dropped; stdout:%n%s%nstderr:%n%s", r.out(),
                    r.err()).isEqualTo(1);
            assertThat(r.out()).contains("1 checks: 1 passed, 0 failed").contains("publish cloudwatch: sent 0 samples")
                    .containsPattern("dropped 0 too old, [1-9][0-9]* rejected");
            assertThat(r.err()).contains("metrics were dropped");
            assertThat(cloudWatch.getRequestCount()).as("a rejected request is not retried").isEqualTo(1);
        }
    }

    @Test
    void publishingOptionsAreValidated() {
        String[][] bad = {
                {"--publish", "local"},
                {"--metrics-file", dir.resolve("x.jsonl").toString()},
                {"--endpoint", "http://127.0.0.1:1"},
                {"--publish", "cloudwatch", "--endpoint", "ftp://127.0.0.1/"},
                {"--publish", "emf", "--resolution", "10"},
                {"--publish", "emf", "--namespace", " "}};
        List<String> messages = new ArrayList<>();
        for (String[] options : bad) {
            List<String> args = new ArrayList<>(List.of("probe", "--once", "--lab", env.toString()));
            args.addAll(List.of(options));
            CliRun r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s: %s", List.of(options), r.err()).isEqualTo(2);
            assertThat(r.out()).as("nothing was probed").doesNotContain("checks:");
            messages.add(r.err());
        }
        Iterator<String> m = messages.iterator();
        assertThat(m.next()).contains("--publish local needs --metrics-file");
        assertThat(m.next()).contains("--metrics-file applies to --publish local");
        assertThat(m.next()).contains("--endpoint apply to --publish cloudwatch");
        assertThat(m.next()).contains("http or https URL");
        assertThat(m.next()).contains("--resolution must be 60 or 1");
        assertThat(m.next()).contains("--namespace must not be blank");
        CliRun unknown = run("probe", "--once", "--lab", env.toString(), "--publish", "kafka");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("'kafka' is not one of cloudwatch, emf, local");
    }

    /**
     * A CloudWatch endpoint that refuses connections: publishing gives up within {@code --publish-timeout}, counts
     * what it could not send as dropped, and the probe exits 1 saying so (no minute-long wait, no hang).
     */
    @Test
    void aRefusingEndpointFailsWithinThePublishTimeout() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun r = runWithFakeCredentials("probe", "--once", "--lab", env.toString(), "--check", "list-orders",
                "--publish", "cloudwatch", "--endpoint", "http://127.0.0.1:" + closed, "--region", "us-east-1",
                "--publish-timeout", "1s");
        assertThat(r.exit()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isEqualTo(1);
        assertThat(r.err()).contains("metrics were dropped");
        assertThat(r.out()).containsPattern("publish cloudwatch: sent 0 samples.*dropped 0 too old, 0 rejected, [1-9][0-9]* at shutdown");
    }
}
