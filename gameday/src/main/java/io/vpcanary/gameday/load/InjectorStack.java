package io.vpcanary.gameday.load;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * One region's injector stack (the template {@code vpcanary load template} prints, deployed once per region), as its
 * outputs describe it: what {@code vpcanary load start} needs to run injector tasks there.
 *
 * @param region         the stack's region
 * @param name           the stack's name
 * @param cluster        the ECS cluster
 * @param taskDefinition the injectors' task definition (with its revision)
 * @param container      the container whose command and environment a run overrides
 * @param subnets        the subnets of the target VPC the tasks run in
 * @param securityGroups the tasks' security groups
 * @param vantage        the estate's name of the VPC (where the injectors stand)
 * @param injectorCount  tasks to start when the run does not say
 * @param namespace      the CloudWatch namespace the task role may publish to
 */
public record InjectorStack(String region, String name, String cluster, String taskDefinition, String container,
                            List<String> subnets, List<String> securityGroups, String vantage, int injectorCount,
                            String namespace) {

    /** The stack name {@code vpcanary load} uses when none is given. */
    public static final String DEFAULT_NAME = "vpcanary-injectors";
    /** Where the template is, on the class path. */
    public static final String TEMPLATE_RESOURCE = "/io/vpcanary/gameday/load/injectors.yaml";

    static final List<String> OUTPUTS = List.of("Cluster", "TaskDefinition", "ContainerName", "SubnetIds",
            "SecurityGroupIds", "Vantage", "InjectorCount", "Namespace");

    public InjectorStack {
        subnets = List.copyOf(subnets);
        securityGroups = List.copyOf(securityGroups);
    }

    /** The template's text ({@code vpcanary load template}). */
    public static String template() {
        try (var in = InjectorStack.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Reads stack {@code name} in {@code region}.
     *
     * @throws IllegalArgumentException when there is no such stack, or it lacks an output of the template (another
     *                                  stack of that name): the user names another stack or deploys this one
     */
    public static InjectorStack read(CloudFormationClient cfn, String region, String name) {
        Stack stack;
        try {
            List<Stack> stacks = cfn.describeStacks(b -> b.stackName(name)).stacks();
            if (stacks.isEmpty()) {
                throw missing(region, name, "not found");
            }
            stack = stacks.get(0);
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist")) {
                throw missing(region, name, "does not exist");
            }
            throw e;
        }
        Map<String, String> out = new HashMap<>();
        for (Output o : stack.outputs()) {
            out.put(o.outputKey(), o.outputValue());
        }
        List<String> lacking = OUTPUTS.stream().filter(k -> out.get(k) == null || out.get(k).isBlank()).toList();
        if (!lacking.isEmpty()) {
            throw new IllegalArgumentException("stack " + name + " in " + region + " (" + stack.stackStatusAsString()
                    + ") lacks the outputs " + lacking + " of the injector template (vpcanary load template)");
        }
        int count;
        try {
            count = Integer.parseInt(out.get("InjectorCount").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stack " + name + " in " + region + ": InjectorCount '"
                    + out.get("InjectorCount") + "' is not a number");
        }
        return new InjectorStack(region, name, out.get("Cluster"), out.get("TaskDefinition"), out.get("ContainerName"),
                list(out.get("SubnetIds")), list(out.get("SecurityGroupIds")), out.get("Vantage"), count,
                out.get("Namespace"));
    }

    private static IllegalArgumentException missing(String region, String name, String what) {
        return new IllegalArgumentException("the injector stack " + name + " in " + region + " " + what + ": deploy "
                + "the template of vpcanary load template there (docs/load-fleet.md), or name yours with --stack");
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
