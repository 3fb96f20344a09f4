package io.vpcanary.gameday.load;

import io.vpcanary.gameday.aws.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/**
 * Injector tasks on ECS Fargate, one stack per region ({@link InjectorStack}): {@link #start} runs a run's tasks
 * together, {@link #await} waits until every one has stopped and judges each by its exit code. The run's tasks are
 * found by their {@code startedBy} ({@link RunId#startedBy()}), so waiting needs nothing but the run id.
 */
public final class InjectorFleet {

    /** RunTask starts at most this many tasks per call. */
    public static final int RUN_TASK_MAX = 10;
    /** DescribeTasks describes at most this many tasks per call. */
    static final int DESCRIBE_MAX = 100;
    /** Bounds the pages read of one ListTasks listing. */
    static final int MAX_PAGES = 1000;

    private final Function<String, EcsClient> ecs;
    private final Function<String, CloudFormationClient> cloudFormation;
    private final String stackName;

    /** The fleet of the stacks named {@code stackName}, reached through {@code aws}. */
    public InjectorFleet(AwsClients aws, String stackName) {
        this(aws::ecs, aws::cloudFormation, stackName);
    }

    /** The same with each region's clients given (tests: ECS answers moto cannot give, such as RunTask failures). */
    InjectorFleet(Function<String, EcsClient> ecs, Function<String, CloudFormationClient> cloudFormation,
                  String stackName) {
        this.ecs = Objects.requireNonNull(ecs, "ecs");
        this.cloudFormation = Objects.requireNonNull(cloudFormation, "cloudFormation");
        this.stackName = Objects.requireNonNull(stackName, "stackName");
    }

    /** One task started. */
    public record Started(String region, String taskArn) {
    }

    /** A task ECS did not start: RunTask's {@code failures} (or the call refused), with its reason. */
    public record NotStarted(String region, String arn, String reason, String detail) {
        @Override
        public String toString() {
            return region + " " + (arn == null ? "" : arn + " ") + reason + (detail == null ? "" : " (" + detail + ")");
        }
    }

    /** What {@link #start} did. */
    public record StartResult(RunId runId, List<InjectorStack> stacks, List<Started> started,
                              List<NotStarted> failures) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /**
     * Starts {@code count} injector tasks (null: each stack's {@code InjectorCount}) in each of {@code regions}, all
     * with the run's settings: every stack is read and every task's overrides checked before any task starts, so bad
     * input starts nothing. RunTask is called with {@code count} at most {@value #RUN_TASK_MAX}, repeated; a refused
     * call stops that region's starts and is reported as the tasks it did not start.
     *
     * @throws IllegalArgumentException for a missing stack or overrides beyond ECS's bound
     */
    public StartResult start(List<String> regions, Integer count, RunSettings settings) {
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1; got " + count);
        }
        Map<InjectorStack, TaskOverride> plan = new LinkedHashMap<>();
        for (String region : regions) {
            InjectorStack stack = InjectorStack.read(cloudFormation.apply(region), region, stackName);
            plan.put(stack, settings.overrides(stack));
        }
        List<Started> started = new ArrayList<>();
        List<NotStarted> failures = new ArrayList<>();
        for (Map.Entry<InjectorStack, TaskOverride> e : plan.entrySet()) {
            InjectorStack stack = e.getKey();
            EcsClient client = ecs.apply(stack.region());
            int wanted = count != null ? count : stack.injectorCount();
            for (int left = wanted; left > 0; ) {
                int n = Math.min(RUN_TASK_MAX, left);
                RunTaskResponse r;
                try {
                    r = client.runTask(b -> b.cluster(stack.cluster()).taskDefinition(stack.taskDefinition()).count(n)
                            .launchType(LaunchType.FARGATE).startedBy(settings.runId().startedBy())
                            .tags(Tag.builder().key(RunId.TAG).value(settings.runId().value()).build())
                            .propagateTags("TASK_DEFINITION")
                            .networkConfiguration(NetworkConfiguration.builder().awsvpcConfiguration(
                                    AwsVpcConfiguration.builder().subnets(stack.subnets())
                                            .securityGroups(stack.securityGroups())
                                            .assignPublicIp(AssignPublicIp.DISABLED).build()).build())
                            .overrides(e.getValue()));
                } catch (SdkException refused) {
                    failures.add(new NotStarted(stack.region(), null, "RunTask refused " + left + " tasks",
                            refused.getMessage()));
                    break;
                }
                r.tasks().forEach(t -> started.add(new Started(stack.region(), t.taskArn())));
                for (Failure f : r.failures()) {
                    failures.add(new NotStarted(stack.region(), f.arn(), f.reason(), f.detail()));
                }
                int missing = n - r.tasks().size() - r.failures().size();
                if (missing > 0) {
                    failures.add(new NotStarted(stack.region(), null, "RunTask started " + r.tasks().size() + " of "
                            + n + " tasks without naming a failure", null));
                }
                left -= n;
            }
        }
        return new StartResult(settings.runId(), List.copyOf(plan.keySet()), started, failures);
    }

    /** How one task ended, or where it is while it runs. */
    public record TaskState(String region, String taskArn, String lastStatus, String stopCode, String stoppedReason,
                            Integer exitCode, String containerReason) {

        /** ECS says it has stopped. */
        public boolean stopped() {
            return "STOPPED".equals(lastStatus);
        }

        /** Stopped, and its container exited with 0 (an injector's own verdict: see {@code load run}). */
        public boolean succeeded() {
            return stopped() && exitCode != null && exitCode == 0;
        }

        /** Judges a described task; {@code container} names the injector container (null: the first one). */
        public static TaskState of(String region, Task t, String container) {
            Container c = t.containers().stream().filter(x -> container == null || container.equals(x.name()))
                    .findFirst().orElse(null);
            return new TaskState(region, t.taskArn(), t.lastStatus(), t.stopCodeAsString(),
                    blankToNull(t.stoppedReason()), c == null ? null : c.exitCode(),
                    c == null ? null : blankToNull(c.reason()));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    /** What {@link #await} saw last. */
    public record WaitResult(RunId runId, List<TaskState> tasks, boolean timedOut) {
        public boolean ok() {
            return !timedOut && !tasks.isEmpty() && tasks.stream().allMatch(TaskState::succeeded);
        }
    }

    /**
     * Waits until every task of {@code runId} in {@code regions}' stacks has stopped, or {@code timeout} has passed,
     * looking every {@code poll}; {@code progress} hears one line per look while tasks run. Tasks are listed by
     * {@code startedBy} (both desired statuses, every page) and described in batches of {@value #DESCRIBE_MAX}.
     *
     * @throws IllegalArgumentException for a missing stack
     * @throws IllegalStateException    when no task of the run is found (ECS lists stopped tasks for about an hour)
     */
    public WaitResult await(List<String> regions, RunId runId, Duration timeout, Duration poll,
                            Consumer<String> progress) throws InterruptedException {
        List<InjectorStack> stacks = new ArrayList<>();
        for (String region : regions) {
            stacks.add(InjectorStack.read(cloudFormation.apply(region), region, stackName));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TaskState> states = new ArrayList<>();
            for (InjectorStack stack : stacks) {
                states.addAll(describe(stack, runId));
            }
            if (states.isEmpty()) {
                throw new IllegalStateException("no task of run " + runId + " in " + stacks.stream()
                        .map(s -> s.cluster() + " (" + s.region() + ")").toList() + ": ECS lists stopped tasks for "
                        + "about an hour after they stop");
            }
            long running = states.stream().filter(s -> !s.stopped()).count();
            if (running == 0) {
                return new WaitResult(runId, states, false);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new WaitResult(runId, states, true);
            }
            progress.accept(running + " of " + states.size() + " tasks of run " + runId + " not stopped yet; "
                    + Duration.ofNanos(left).toSeconds() + " s left");
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), Duration.ofNanos(left).toMillis())));
        }
    }

    /** The tasks of {@code runId} in {@code stack}'s cluster, as ECS describes them now. */
    List<TaskState> describe(InjectorStack stack, RunId runId) {
        EcsClient client = ecs.apply(stack.region());
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            String token = null;
            int pages = 0;
            do {
                String t = token;
                ListTasksResponse page = client.listTasks(b -> b.cluster(stack.cluster())
                        .startedBy(runId.startedBy()).desiredStatus(status).nextToken(t));
                page.taskArns().stream().filter(a -> !arns.contains(a)).forEach(arns::add);
                token = page.nextToken();
            } while (token != null && ++pages < MAX_PAGES);
        }
        List<TaskState> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += DESCRIBE_MAX) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + DESCRIBE_MAX));
            client.describeTasks(b -> b.cluster(stack.cluster()).tasks(batch)).tasks()
                    .forEach(t -> out.add(TaskState.of(stack.region(), t, stack.container())));
        }
        return out;
    }
}
