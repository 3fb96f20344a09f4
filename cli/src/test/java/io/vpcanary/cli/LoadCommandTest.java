package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.gameday.load.RunSettings;
import io.vpcanary.metrics.MotoServer;
import io.vpcanary.testing.PythonTools;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * {@code vpcanary load start|wait|summary|template} against moto_server (one per class, on loopback), which stores ECS
 * tasks but runs nothing and computes no percentiles. What each test proves there, and what only the local
 * multi-injector proof (branch image: N injector JVMs against the lab, publishing to moto) or real AWS proves, is said
 * in its comment.
 *
 * <p>Each region gets a stand-in injector stack: moto's CloudFormation deploys the real template (see
 * {@link #theRealTemplateDeploysInMotoAndItsOutputsAreWhatStartReads}) but registers its task definition without
 * {@code awsvpc} and without container memory, and then cannot RunTask it; so the stand-in stack creates a VPC, a
 * subnet, a security group and a cluster, and outputs a task definition registered through ECS's API as the template's
 * is (Fargate, awsvpc, container {@code injector}), under the template's output names.
 */
class LoadCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoServer moto;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        MotoServer.setSystemCredentials();
        // keep tasks RUNNING until StopTask (moto's default moves a task towards STOPPED on every DescribeTasks)
        post("/moto-api/state-manager/set-transition",
                "{\"model_name\":\"ecs::task\",\"transition\":{\"progression\":\"manual\",\"times\":1000000}}",
                "application/json", null);
    }

    @AfterAll
    static void stopMoto() throws Exception {
        MotoServer.clearSystemCredentials();
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * Proven in moto: one RunTask batch series per region across two regions, the count ({@code --count} and the
     * stack's InjectorCount of 12, more than one RunTask call's 10), the container overrides (the {@code load run}
     * command with region, vantage, namespace and run id; the estate as {@value RunSettings#ESTATE_ENV}, which decodes
     * to the file given), {@code startedBy}, the run tag, Fargate, and the subnet and security groups of the network
     * interface moto attaches. Not shown by moto: the calls' counts (moto accepts any count, so the 10-per-call bound is
     * InjectorFleetTest's, with a stub ECS) and {@code assignPublicIp} (moto does not echo the network configuration;
     * the stub records it); only real AWS shows the tasks starting.
     */
    @Test
    void startRunsTheTasksOfEachRegionWithTheRunsOverrides(@TempDir Path dir) throws Exception {
        Map<String, String> east = standInStack("us-east-1", "injectors-a");
        Map<String, String> west = standInStack("us-west-2", "injectors-a");
        Path estate = Files.writeString(dir.resolve("estate.yaml"), EstateLoader.demoText());

        CliRun r = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "us-east-1", "--region",
                "us-west-2", "--stack", "injectors-a", "--estate", estate.toString(), "--rate", "50",
                "--duration", "10m", "--warm-up", "30s", "--run-id", "run-a");
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).startsWith("run run-a\n");
        List<String> arns = r.out().lines().filter(l -> l.startsWith("started ")).toList();
        assertThat(arns).hasSize(24);

        for (Map<String, String> stack : List.of(east, west)) {
            List<Task> tasks = tasks(stack.get("region"), stack.get("Cluster"), "vpcanary-run-a");
            assertThat(tasks).hasSize(12);
            Task t = tasks.get(0);
            assertThat(t.launchTypeAsString()).isEqualTo("FARGATE");
            assertThat(t.startedBy()).isEqualTo("vpcanary-run-a");
            assertThat(t.tags()).anySatisfy(tag -> {
                assertThat(tag.key()).isEqualTo("vpcanary:run");
                assertThat(tag.value()).isEqualTo("run-a");
            });
            var o = t.overrides().containerOverrides().get(0);
            assertThat(o.name()).isEqualTo("injector");
            assertThat(o.command()).containsExactly("load", "run", "--target", "aws", "--region", stack.get("region"),
                    "--vantage", stack.get("Vantage"), "--publish", "cloudwatch", "--namespace", "vpcanary/load",
                    "--run-id", "run-a", "--rate", "50", "--duration", "10m", "--warm-up", "30s");
            assertThat(o.environment()).singleElement().satisfies(kv -> {
                assertThat(kv.name()).isEqualTo("VPCANARY_ESTATE_GZ_B64");
                assertThat(gunzip(kv.value())).isEqualTo(EstateLoader.demoText());
            });
            assertThat(t.attachments().get(0).details()).anySatisfy(d -> {
                assertThat(d.name()).isEqualTo("subnetId");
                assertThat(d.value()).isEqualTo(stack.get("SubnetIds"));
            });
            String eni = t.attachments().get(0).details().stream().filter(d -> d.name().equals("networkInterfaceId"))
                    .findFirst().orElseThrow().value();
            assertThat(ec2(stack.get("region"), "Action=DescribeNetworkInterfaces&NetworkInterfaceId.1=" + eni))
                    .contains("<groupId>" + stack.get("SecurityGroupIds") + "</groupId>");
        }
        // --count instead of the stack's InjectorCount; a generated run id starts with the time
        CliRun counted = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "us-east-1",
                "--stack", "injectors-a", "--count", "3", "--estate-in-image", "/estate/estate.yaml");
        assertThat(counted.exit()).as(counted.err() + counted.out()).isZero();
        String id = counted.out().lines().findFirst().orElseThrow().substring("run ".length());
        assertThat(id).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
        List<Task> three = tasks("us-east-1", east.get("Cluster"), "vpcanary-" + id);
        assertThat(three).hasSize(3);
        assertThat(three.get(0).overrides().containerOverrides().get(0).command())
                .containsSubsequence("--estate", "/estate/estate.yaml");
        assertThat(three.get(0).overrides().containerOverrides().get(0).environment()).isEmpty();
    }

    /**
     * Bad input is one line and exit 2, and starts nothing. Proven here without AWS: the overrides bound
     * ({@value RunSettings#ECS_OVERRIDES_LIMIT} characters, as ECS documents it; moto does not enforce it), a stack
     * that does not exist (moto's CloudFormation answers as AWS does), a bad run id.
     */
    @Test
    void badInputIsOneLineAndExit2AndStartsNothing(@TempDir Path dir) throws Exception {
        Map<String, String> stack = standInStack("eu-west-1", "injectors-bad");
        StringBuilder noise = new StringBuilder(EstateLoader.demoText()).append("\n# ");
        byte[] random = new byte[9000];
        new java.util.Random(7).nextBytes(random);
        noise.append(Base64.getEncoder().encodeToString(random)).append('\n');
        Path big = Files.writeString(dir.resolve("big.yaml"), noise.toString());
        CliRun tooBig = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "eu-west-1",
                "--stack", "injectors-bad", "--estate", big.toString(), "--run-id", "too-big");
        assertThat(tooBig.exit()).isEqualTo(2);
        assertThat(tooBig.err().lines()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("vpcanary: the run's container overrides are ").contains("over ECS's 8192")
                .contains("bake the estate into the image").contains("--estate-in-image"));
        assertThat(tasks("eu-west-1", stack.get("Cluster"), "vpcanary-too-big")).isEmpty();

        CliRun noStack = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "eu-west-1",
                "--stack", "no-such-stack");
        assertThat(noStack.exit()).isEqualTo(2);
        assertThat(noStack.err().lines()).singleElement().satisfies(l -> assertThat(l)
                .contains("the injector stack no-such-stack in eu-west-1 does not exist"));

        CliRun badId = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "eu-west-1",
                "--stack", "injectors-bad", "--run-id", "no spaces");
        assertThat(badId.exit()).isEqualTo(2);
        assertThat(badId.err().lines()).singleElement().satisfies(l -> assertThat(l).contains("a run id is"));
    }

    /**
     * Proven in moto: the run's tasks are found by startedBy (ListTasks for both desired statuses, DescribeTasks),
     * waiting is bounded by {@code --timeout} (tasks moto keeps RUNNING: exit 1, named as still running), and tasks
     * stopped through StopTask are reported with their status, exit code and stop reason (exit 0). moto cannot show a
     * container exiting with anything but 0, nor ECS's stop codes: InjectorFleetTest judges those from tasks built with
     * AWS's documented shapes; only real AWS (or the local proof's injector exits) shows a real injector's exit code.
     */
    @Test
    void waitReportsEachTasksExitAndIsBoundedByItsTimeout() throws Exception {
        Map<String, String> stack = standInStack("ap-southeast-2", "injectors-wait");
        CliRun started = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "ap-southeast-2",
                "--stack", "injectors-wait", "--count", "3", "--run-id", "run-w");
        assertThat(started.exit()).as(started.err()).isZero();

        CliRun timedOut = run("load", "wait", "--endpoint", moto.uri().toString(), "--region", "ap-southeast-2",
                "--stack", "injectors-wait", "--run-id", "run-w", "--timeout", "1s", "--poll", "200ms");
        assertThat(timedOut.exit()).isEqualTo(1);
        assertThat(timedOut.out()).contains("FAIL: 3 of 3 tasks still running after 1s");
        assertThat(timedOut.err()).contains("3 of 3 tasks of run run-w not stopped yet");

        try (EcsClient ecs = ecs("ap-southeast-2")) {
            for (Task t : tasks("ap-southeast-2", stack.get("Cluster"), "vpcanary-run-w")) {
                ecs.stopTask(b -> b.cluster(stack.get("Cluster")).task(t.taskArn())
                        .reason("Essential container in task exited"));
            }
        }
        CliRun done = run("load", "wait", "--endpoint", moto.uri().toString(), "--region", "ap-southeast-2",
                "--stack", "injectors-wait", "--run-id", "run-w", "--timeout", "10s");
        assertThat(done.exit()).as(done.out() + done.err()).isZero();
        assertThat(done.out().lines().filter(l -> l.startsWith("ap-southeast-2 ")))
                .hasSize(3).allSatisfy(l -> assertThat(l).contains(" STOPPED ").contains(" 0 ")
                        .endsWith("Essential container in task exited"));
        assertThat(done.out()).contains("OK: all 3 tasks of run run-w exited with 0");

        CliRun none = run("load", "wait", "--endpoint", moto.uri().toString(), "--region", "ap-southeast-2",
                "--stack", "injectors-wait", "--run-id", "no-such-run", "--timeout", "1s");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err().lines()).singleElement().satisfies(l -> assertThat(l).contains("no task of run no-such-run"));
    }

    /**
     * Proven in moto: the run's series are found by the dimension Run (another run's are not), and SampleCount, Sum,
     * Minimum and Maximum are those of both injectors' distributions together (two PutMetricData calls of Values and
     * Counts through the SDK, as two injectors send them); the request, failure and error counts follow. moto answers
     * percentile statistics with 500, so the summary prints no percentile and says why, and the JSON holds null: the
     * percentiles over merged distributions are CloudWatch's (real AWS only); the local proof (branch image) shows the
     * merge equals one histogram of all requests within HdrHistogram's precision.
     */
    @Test
    void summaryMergesTheInjectorsCountsAndSaysPercentilesAreUnavailable(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        try (CloudWatchClient cw = moto.client()) {
            // injector 1 and injector 2 of run-s, and one of another run
            put(cw, now, "run-s", "Latency", StandardUnit.MILLISECONDS, List.of(10.0, 20.0, 300.0), List.of(50.0, 40.0, 1.0));
            put(cw, now, "run-s", "Latency", StandardUnit.MILLISECONDS, List.of(12.0, 25.0), List.of(30.0, 20.0));
            put(cw, now, "run-s", "Success", StandardUnit.NONE, List.of(1.0, 0.0), List.of(90.0, 1.0));
            put(cw, now, "run-s", "Success", StandardUnit.NONE, List.of(1.0, 0.0), List.of(48.0, 2.0));
            cw.putMetricData(b -> b.namespace("vpcanary/load").metricData(MetricDatum.builder().metricName("Errors")
                    .unit(StandardUnit.COUNT).timestamp(now).values(1.0).counts(3.0).dimensions(
                            dim("Api", "orders"), dim("Region", "us-east-1"), dim("ErrorClass", "THROTTLED"),
                            dim("Run", "run-s")).build()));
            put(cw, now, "run-other", "Latency", StandardUnit.MILLISECONDS, List.of(999.0), List.of(7.0));
        }
        Path json = dir.resolve("summary.json");
        CliRun r = run("load", "summary", "--endpoint", moto.uri().toString(), "--region", "us-east-1",
                "--run-id", "run-s", "--from", now.minus(Duration.ofMinutes(5)).toString(), "--json", json.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains("us-east-1: 3 series");
        String latency = r.out().lines().filter(l -> l.startsWith("Latency ")).findFirst().orElseThrow();
        // 141 samples from both injectors, sum 500+800+300+360+500, min 10, max 300; no percentile printed
        assertThat(latency.split("\\s+")).containsSubsequence("Api=orders,Region=us-east-1", "141", "2460", "10",
                "300", "-", "-", "-", "-");
        assertThat(r.out()).contains("requests 141 (Success by Api and Region), failed 3; errors by class {THROTTLED=3}")
                .contains("percentiles: unavailable: the endpoint refused percentile statistics")
                .doesNotContain("999");
        JsonNode j = JSON.readTree(json.toFile());
        assertThat(j.at("/runId").asText()).isEqualTo("run-s");
        JsonNode first = j.at("/regions/0/series/0");
        assertThat(first.at("/metric").asText()).isEqualTo("Errors");
        JsonNode lat = j.at("/regions/0/series/1");
        assertThat(lat.at("/metric").asText()).isEqualTo("Latency");
        assertThat(lat.at("/sampleCount").asDouble()).isEqualTo(141);
        assertThat(lat.at("/percentiles").isNull()).isTrue();
        assertThat(j.at("/regions/0/percentilesMissing").asText()).contains("refused percentile statistics");
        assertThat(lat.at("/dimensions").toString()).doesNotContain("Run");

        CliRun noFrom = run("load", "summary", "--endpoint", moto.uri().toString(), "--run-id", "run-s");
        assertThat(noFrom.exit()).isEqualTo(2);
        assertThat(noFrom.err().strip()).isEqualTo("vpcanary: run id run-s does not start with its time: give --from");
    }

    /**
     * The real template in moto's CloudFormation: it deploys, and its outputs are the ones start reads (moto then
     * registers the task definition without awsvpc, which real CloudFormation keeps: hence the stand-in stacks above).
     * cfn-lint checks the template itself.
     */
    @Test
    void theRealTemplateDeploysInMotoAndItsOutputsAreWhatStartReads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("injectors.yaml");
        CliRun t = run("load", "template", "--out", file.toString());
        assertThat(t.exit()).as(t.err()).isZero();
        Process p = new ProcessBuilder(PythonTools.path("cfn-lint").toString(), file.toString())
                .redirectErrorStream(true).start();
        String lint = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(lint).isZero();

        Map<String, String> net = standInStack("ca-central-1", "injectors-net");
        String template = Files.readString(file);
        try (CloudFormationClient cfn = cloudFormation("ca-central-1")) {
            cfn.createStack(b -> b.stackName("real-injectors").templateBody(template)
                    .capabilitiesWithStrings("CAPABILITY_IAM").parameters(param("Image", "vpcanary:test"),
                            param("SubnetIds", net.get("SubnetIds")), param("SecurityGroupIds",
                                    net.get("SecurityGroupIds")), param("Vantage", "canary-east"),
                            param("InjectorCount", "4")));
            Map<String, String> out = outputs(cfn, "real-injectors");
            assertThat(out).containsEntry("Cluster", "real-injectors").containsEntry("ContainerName", "injector")
                    .containsEntry("Vantage", "canary-east").containsEntry("InjectorCount", "4")
                    .containsEntry("Namespace", "vpcanary/load").containsEntry("SubnetIds", net.get("SubnetIds"));
            assertThat(out.get("TaskDefinition")).contains("task-definition/real-injectors:");
        }
        // the stack is read as start reads it; moto then refuses RunTask (500: no container memory): a start failure,
        // reported per region with the tasks it did not start, exit 1
        CliRun r = run("load", "start", "--endpoint", moto.uri().toString(), "--region", "ca-central-1",
                "--stack", "real-injectors", "--run-id", "real");
        assertThat(r.out()).contains("ca-central-1  stack real-injectors, cluster real-injectors").contains("from canary-east");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("not started ca-central-1 RunTask refused 4 tasks")
                .contains("vpcanary load start: 1 start failures");
    }

    // --- moto set-up ---

    private static final String STAND_IN = """
            Parameters:
              TaskDefinitionArn: {Type: String}
            Resources:
              Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
              Subnet: {Type: "AWS::EC2::Subnet", Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
              Sg: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: injectors, VpcId: !Ref Vpc}}
              Cluster: {Type: "AWS::ECS::Cluster", Properties: {ClusterName: !Ref "AWS::StackName"}}
            Outputs:
              VpcId: {Value: !Ref Vpc}
              Cluster: {Value: !Ref Cluster}
              TaskDefinition: {Value: !Ref TaskDefinitionArn}
              ContainerName: {Value: injector}
              SubnetIds: {Value: !Ref Subnet}
              SecurityGroupIds: {Value: !GetAtt Sg.GroupId}
              Vantage: {Value: canary-east}
              InjectorCount: {Value: "12"}
              Namespace: {Value: vpcanary/load}
            """;

    /** The stand-in stack {@code name} in {@code region}: its outputs, and {@code region}. */
    private static Map<String, String> standInStack(String region, String name) throws Exception {
        String td;
        try (EcsClient ecs = ecs(region)) {
            td = ecs.registerTaskDefinition(b -> b.family(name).networkMode("awsvpc")
                    .requiresCompatibilitiesWithStrings("FARGATE").cpu("2048").memory("4096")
                    .containerDefinitions(c -> c.name("injector").image("vpcanary:test").memory(4096).essential(true)
                            .command("load", "run", "--target", "aws", "--publish", "cloudwatch")))
                    .taskDefinition().taskDefinitionArn();
        }
        try (CloudFormationClient cfn = cloudFormation(region)) {
            cfn.createStack(b -> b.stackName(name).templateBody(STAND_IN)
                    .parameters(param("TaskDefinitionArn", td)));
            Map<String, String> out = new java.util.HashMap<>(outputs(cfn, name));
            // moto's CloudFormation ignores EnableDnsHostnames, which its RunTask needs for awsvpc
            ec2(region, "Action=ModifyVpcAttribute&VpcId=" + out.get("VpcId") + "&EnableDnsHostnames.Value=true");
            out.put("region", region);
            return out;
        }
    }

    private static Map<String, String> outputs(CloudFormationClient cfn, String stack) {
        Map<String, String> out = new java.util.HashMap<>();
        for (Output o : cfn.describeStacks(b -> b.stackName(stack)).stacks().get(0).outputs()) {
            out.put(o.outputKey(), o.outputValue());
        }
        return out;
    }

    private static Parameter param(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static List<Task> tasks(String region, String cluster, String startedBy) {
        try (EcsClient ecs = ecs(region)) {
            List<String> arns = ecs.listTasks(b -> b.cluster(cluster).startedBy(startedBy)).taskArns();
            if (arns.isEmpty()) {
                return List.of();
            }
            return new ArrayList<>(ecs.describeTasks(b -> b.cluster(cluster).tasks(arns).includeWithStrings("TAGS")).tasks());
        }
    }

    private static EcsClient ecs(String region) {
        return EcsClient.builder().region(Region.of(region)).endpointOverride(moto.uri())
                .credentialsProvider(MotoServer.FAKE).build();
    }

    private static CloudFormationClient cloudFormation(String region) {
        return CloudFormationClient.builder().region(Region.of(region)).endpointOverride(moto.uri())
                .credentialsProvider(MotoServer.FAKE).build();
    }

    /** An EC2 query call to moto (no EC2 SDK client in this build); moto reads the region from the credential scope. */
    private static String ec2(String region, String query) throws Exception {
        return post("/", query + "&Version=2016-11-15", "application/x-www-form-urlencoded",
                "AWS4-HMAC-SHA256 Credential=AKIDMOTOTEST/20260101/" + region + "/ec2/aws4_request, "
                        + "SignedHeaders=host, Signature=0");
    }

    private static String post(String path, String body, String type, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(moto.uri() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body();
    }

    private static void put(CloudWatchClient cw, Instant at, String run, String metric, StandardUnit unit,
                            List<Double> values, List<Double> counts) {
        cw.putMetricData(b -> b.namespace("vpcanary/load").metricData(MetricDatum.builder().metricName(metric)
                .unit(unit).timestamp(at).values(values).counts(counts)
                .dimensions(dim("Api", "orders"), dim("Region", "us-east-1"), dim("Run", run)).build()));
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private static String gunzip(String b64) throws Exception {
        return io.vpcanary.gameday.load.RunSettings.decodeEstate(b64);
    }

    @SuppressWarnings("unused")
    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
