package io.vpcanary.gameday.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * What moto cannot show of the injector fleet, judged from values with AWS's documented shapes (stubs, named so): a
 * container exiting non-zero, a task that never started (ECS's {@code TaskFailedToStart}, no exit code), RunTask's
 * bound of 10 tasks per call and its {@code failures}, a refused RunTask call, and the run's settings as the
 * container's command and the overrides' bound. LoadCommandTest drives the rest through moto.
 */
class InjectorFleetTest {

    private static final InjectorStack STACK = new InjectorStack("us-east-1", "vpcanary-injectors", "c",
            "arn:aws:ecs:us-east-1:111122223333:task-definition/vpcanary-injectors:3", "injector",
            List.of("subnet-1"), List.of("sg-1"), "canary-east", 2, "vpcanary/load");

    private static Task stopped(Integer exit, String stopCode, String reason) {
        return Task.builder().taskArn("arn:aws:ecs:us-east-1:111122223333:task/c/abc").lastStatus("STOPPED")
                .stopCode(stopCode).stoppedReason(reason)
                .containers(Container.builder().name("sidecar").exitCode(0).build(),
                        Container.builder().name("injector").exitCode(exit).build()).build();
    }

    @Test
    void aTaskSucceedsOnlyWhenStoppedWithTheInjectorsExitCodeZero() {
        assertThat(InjectorFleet.TaskState.of("us-east-1", stopped(0, "EssentialContainerExited",
                "Essential container in task exited"), "injector").succeeded()).isTrue();
        // the injector failed its run (exit 1) though the sidecar exited 0
        InjectorFleet.TaskState failed = InjectorFleet.TaskState.of("us-east-1", stopped(1, "EssentialContainerExited",
                "Essential container in task exited"), "injector");
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.exitCode()).isEqualTo(1);
        // never started: no exit code
        InjectorFleet.TaskState notStarted = InjectorFleet.TaskState.of("us-east-1", stopped(null, "TaskFailedToStart",
                "CannotPullContainerError: pull image manifest has been retried 5 time(s)"), "injector");
        assertThat(notStarted.succeeded()).isFalse();
        assertThat(notStarted.stopCode()).isEqualTo("TaskFailedToStart");
        Task running = Task.builder().taskArn("t").lastStatus("RUNNING")
                .containers(Container.builder().name("injector").build()).build();
        assertThat(InjectorFleet.TaskState.of("us-east-1", running, "injector").stopped()).isFalse();
        assertThat(new InjectorFleet.WaitResult(new RunId("r"), List.of(), false).ok()).as("no task is no success")
                .isFalse();
    }

    @Test
    void theCommandCarriesTheRunsSettingsAndTheStacksDefaults() {
        RunSettings s = new RunSettings(new RunId("r1"), null, "/estate.yaml", null, 12.5, "5m", null, null);
        assertThat(s.command(STACK)).containsExactly("load", "run", "--target", "aws", "--region", "us-east-1",
                "--vantage", "canary-east", "--publish", "cloudwatch", "--namespace", "vpcanary/load", "--run-id", "r1",
                "--estate", "/estate.yaml", "--rate", "12.5", "--duration", "5m");
        RunSettings mine = new RunSettings(new RunId("r1"), null, null, "partner-east", 100.0, null, "10s", "ns");
        assertThat(mine.command(STACK)).containsSubsequence("--vantage", "partner-east").containsSubsequence(
                "--namespace", "ns").containsSubsequence("--rate", "100").containsSubsequence("--warm-up", "10s");
    }

    @Test
    void overridesBeyondEcssBoundAreRefusedWithTheWayOut() {
        String small = RunSettings.encodeEstate("apis: []\n".getBytes());
        RunSettings fits = new RunSettings(new RunId("r1"), small, null, null, null, null, null, null);
        assertThat(RunSettings.jsonLength(fits.overrides(STACK))).isLessThan(RunSettings.ECS_OVERRIDES_LIMIT);
        String big = "A".repeat(RunSettings.ECS_OVERRIDES_LIMIT);
        RunSettings over = new RunSettings(new RunId("r1"), big, null, null, null, null, null, null);
        assertThatThrownBy(() -> over.overrides(STACK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over ECS's 8192").hasMessageContaining("--estate-in-image PATH-IN-IMAGE");
        assertThatThrownBy(() -> new RunSettings(new RunId("r1"), small, "/e.yaml", null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void aGeneratedRunIdCarriesItsStartTime() {
        Instant at = Instant.parse("2026-11-28T23:15:07Z");
        RunId id = RunId.generate(at);
        assertThat(id.value()).startsWith("20261128T231507Z-").hasSize(23);
        assertThat(id.stampedAt()).contains(at);
        assertThat(id.startedBy()).isEqualTo("vpcanary-" + id.value());
        assertThat(new RunId("my-run").stampedAt()).isEmpty();
        assertThatThrownBy(() -> new RunId("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunId("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A stub ECS that records each RunTask call and fails the tasks it is told to (AWS's {@code failures} shape). */
    private static final class StubEcs implements EcsClient {
        final List<RunTaskRequest> calls = new ArrayList<>();
        final int failEach;
        final int refuseCall;

        StubEcs(int failEach, int refuseCall) {
            this.failEach = failEach;
            this.refuseCall = refuseCall;
        }

        @Override
        public RunTaskResponse runTask(RunTaskRequest r) {
            calls.add(r);
            if (calls.size() == refuseCall) {
                throw AccessDeniedException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException").errorMessage("not authorized to perform ecs:RunTask")
                        .build()).message("not authorized to perform ecs:RunTask").build();
            }
            List<Task> tasks = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (int i = 0; i < r.count(); i++) {
                String arn = "arn:aws:ecs:us-east-1:111122223333:task/c/" + calls.size() + "-" + i;
                if (failEach > 0 && i % failEach == failEach - 1) {
                    failures.add(Failure.builder().arn(arn).reason("Capacity is unavailable at this time. Please try "
                            + "again later or in a different availability zone").build());
                } else {
                    tasks.add(Task.builder().taskArn(arn).build());
                }
            }
            return RunTaskResponse.builder().tasks(tasks).failures(failures).build();
        }

        @Override
        public String serviceName() {
            return "ecs";
        }

        @Override
        public void close() {
        }
    }

    /** A stub CloudFormation answering DescribeStacks with the template's outputs of {@link #STACK}. */
    private static CloudFormationClient stubStacks() {
        return new CloudFormationClient() {
            @Override
            public DescribeStacksResponse describeStacks(DescribeStacksRequest r) {
                List<Output> outputs = new ArrayList<>();
                java.util.Map.of("Cluster", STACK.cluster(), "TaskDefinition", STACK.taskDefinition(),
                        "ContainerName", STACK.container(), "SubnetIds", "subnet-1,subnet-2", "SecurityGroupIds",
                        "sg-1", "Vantage", STACK.vantage(), "InjectorCount", "23", "Namespace", STACK.namespace())
                        .forEach((k, v) -> outputs.add(Output.builder().outputKey(k).outputValue(v).build()));
                return DescribeStacksResponse.builder().stacks(Stack.builder().stackName(r.stackName())
                        .stackStatus("CREATE_COMPLETE").outputs(outputs).build()).build();
            }

            @Override
            public String serviceName() {
                return "cloudformation";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void runTaskIsCalledWithAtMostTenTasksAndItsFailuresAreReportedPerTask() {
        StubEcs ecs = new StubEcs(5, 0);
        InjectorFleet fleet = new InjectorFleet(r -> ecs, r -> stubStacks(), "vpcanary-injectors");
        RunSettings s = new RunSettings(new RunId("r1"), null, null, null, null, null, null, null);
        InjectorFleet.StartResult r = fleet.start(List.of("us-east-1"), null, s);
        // the stack's InjectorCount of 23: 10, 10, 3
        assertThat(ecs.calls).extracting(RunTaskRequest::count).containsExactly(10, 10, 3);
        RunTaskRequest first = ecs.calls.get(0);
        assertThat(first.launchTypeAsString()).isEqualTo("FARGATE");
        assertThat(first.startedBy()).isEqualTo("vpcanary-r1");
        assertThat(first.networkConfiguration().awsvpcConfiguration().subnets()).containsExactly("subnet-1", "subnet-2");
        assertThat(first.networkConfiguration().awsvpcConfiguration().securityGroups()).containsExactly("sg-1");
        assertThat(first.networkConfiguration().awsvpcConfiguration().assignPublicIpAsString()).isEqualTo("DISABLED");
        // every fifth task of a call failed: 2 + 2 + 0
        assertThat(r.failures()).hasSize(4).allSatisfy(f -> assertThat(f.toString())
                .startsWith("us-east-1 arn:aws:ecs:us-east-1:111122223333:task/c/").contains("Capacity is unavailable"));
        assertThat(r.started()).hasSize(19);
        assertThat(r.ok()).isFalse();
    }

    @Test
    void aRefusedRunTaskStopsThatRegionsStartsAndIsReported() {
        StubEcs ecs = new StubEcs(0, 2);
        InjectorFleet fleet = new InjectorFleet(r -> ecs, r -> stubStacks(), "vpcanary-injectors");
        InjectorFleet.StartResult r = fleet.start(List.of("us-east-1"), 25,
                new RunSettings(new RunId("r1"), null, null, null, null, null, null, null));
        assertThat(ecs.calls).hasSize(2);
        assertThat(r.started()).hasSize(10);
        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.toString())
                .contains("RunTask refused 15 tasks").contains("not authorized to perform ecs:RunTask"));
    }
}
