package io.vpcanary.deploy;

import static io.vpcanary.deploy.CloudFormation.fn;
import static io.vpcanary.deploy.CloudFormation.getAtt;
import static io.vpcanary.deploy.CloudFormation.pascal;
import static io.vpcanary.deploy.CloudFormation.ref;
import static io.vpcanary.deploy.CloudFormation.regionCondition;
import static io.vpcanary.deploy.CloudFormation.sub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.access.Target;
import io.vpcanary.core.CanaryPlan;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.SecretRef;
import io.vpcanary.estate.Vpc;
import io.vpcanary.policy.PolicyParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The AWS SAM template of an estate's Lambda canaries: one function per vantage that is a VPC of the estate with at
 * least one target (on-premises has no Lambda), placed in that VPC, on an EventBridge schedule.
 *
 * <h2>What it holds</h2>
 * <ul>
 *   <li>One template for every region: each function's resources carry the condition {@code In{Region}}, so
 *       {@code sam deploy --region R} creates the canaries of R's VPCs only; a CloudFormation rule refuses a deploy in
 *       R without the subnets and security groups of each of R's VPCs (parameters {@code {Vantage}SubnetIds},
 *       {@code {Vantage}SecurityGroupIds}).</li>
 *   <li>Per function: java21 on arm64, {@value #HANDLER}, SnapStart on published versions behind the alias
 *       {@value #ALIAS}, the schedule's rate with {@code VPCANARY_ROUNDS} × {@code VPCANARY_ROUND_INTERVAL} equal to
 *       it, no retries of a failed invocation (a retried round would be stale), its own log group with a retention.</li>
 *   <li>Least privilege, one role per function: write to its own log group; the network-interface actions a function
 *       in a VPC needs (those of AWSLambdaVPCAccessExecutionRole); {@code execute-api:ManageConnections} on
 *       {@code POST @connections/*} of WebSocket APIs whose checks push; {@code execute-api:Invoke} on the stages of the
 *       IAM-authorised APIs its checks call, and nothing for other APIs (calling an API without IAM auth needs no
 *       permission); read access to exactly the secrets and parameters the estate's auth references name
 *       ({@code secretsmanager:GetSecretValue}, {@code ssm:GetParameter}); {@code cloudwatch:PutMetricData} in the
 *       chosen namespace only when the {@code Publisher}
 *       parameter is {@code cloudwatch}.</li>
 * </ul>
 * Pure: the same estate and settings give the same text.
 */
public final class SamTemplate {

    /** The handler every canary function runs. */
    public static final String HANDLER = "io.vpcanary.lambda.CanaryHandler::handleRequest";
    /** The alias SAM publishes each version under; SnapStart applies to published versions. */
    public static final String ALIAS = "live";
    /** Where the packaged canary is, relative to {@code lambda/template.yaml}. */
    public static final String DEFAULT_CODE_URI = "target/vpcanary-lambda.zip";
    /** Default memory of a canary function, in MB. */
    public static final int DEFAULT_MEMORY_MB = 512;

    private static final List<Integer> RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /**
     * What the template is generated with.
     *
     * @param schedule the canaries' schedule
     * @param codeUri  the canary package, as SAM resolves it (relative to the template's directory, or an S3 URI)
     */
    public record Settings(CanarySchedule schedule, String codeUri) {
        public static final Settings DEFAULT = new Settings(CanarySchedule.DEFAULT, DEFAULT_CODE_URI);

        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            if (codeUri == null || codeUri.isBlank()) {
                throw new IllegalArgumentException("the code URI must not be blank");
            }
        }
    }

    /**
     * One canary function: a VPC of the estate and the targets it runs.
     *
     * @param vpc       the VPC
     * @param logicalId the prefix of its resources' logical ids, such as {@code CanaryEast}
     * @param targets   what it checks
     */
    public record Canary(Vpc vpc, String logicalId, List<Target> targets) {
    }

    private SamTemplate() {
    }

    /**
     * The template's text for {@code estate}.
     *
     * @param estate      a loaded (validated) estate
     * @param estateLabel how the template's description names the estate (a file name, {@code the demo estate})
     * @throws IllegalArgumentException when no VPC of the estate has a target: there is nothing to deploy
     */
    public static String render(Estate estate, String estateLabel, Settings settings) {
        return CloudFormation.yaml("# Generated by `vpcanary lambda template` from " + estateLabel + ". Regenerate it "
                + "rather than edit it.\n# Deploy it once per region: see docs/lambda-deploy.md.\n",
                document(estate, estateLabel, settings));
    }

    /**
     * The canaries of {@code estate}: each VPC with at least one target, in estate order.
     *
     * @throws IllegalArgumentException when there is none
     */
    public static List<Canary> canaries(Estate estate) {
        Map<String, List<Target>> byVantage = CanaryPlan.byVantage(estate);
        List<Canary> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Vpc vpc : estate.network().vpcs()) {
            List<Target> targets = byVantage.get(vpc.name());
            if (targets == null) {
                continue;
            }
            String id = pascal(vpc.name());
            for (int n = 2; !ids.add(id); n++) {
                id = pascal(vpc.name()) + n;
            }
            out.add(new Canary(vpc, id, targets));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no VPC of the estate has a check to run (on-premises checks have no "
                    + "Lambda canary): nothing to deploy");
        }
        return out;
    }

    /** The template as a tree. */
    static ObjectNode document(Estate estate, String estateLabel, Settings settings) {
        List<Canary> canaries = canaries(estate);
        CanarySchedule schedule = settings.schedule();
        Set<String> regions = new LinkedHashSet<>();
        canaries.forEach(c -> regions.add(c.vpc().region()));

        ObjectNode root = F.objectNode();
        root.put("AWSTemplateFormatVersion", "2010-09-09");
        root.put("Transform", "AWS::Serverless-2016-10-31");
        root.put("Description", "vpcanary Lambda canaries of " + estateLabel + ": one function per VPC ("
                + String.join(", ", canaries.stream().map(c -> c.vpc().name()).toList()) + "), "
                + schedule.expression() + ", " + schedule.rounds() + " rounds " + schedule.roundIntervalSetting()
                + " apart");

        ObjectNode params = root.putObject("Parameters");
        ObjectNode p = params.putObject("MemorySize");
        p.put("Type", "Number");
        p.put("Default", DEFAULT_MEMORY_MB);
        p.put("MinValue", 128);
        p.put("MaxValue", 10240);
        p.put("Description", "Memory of each canary function, in MB (CPU grows with it).");
        p = params.putObject("Timeout");
        p.put("Type", "Number");
        p.put("Default", schedule.timeout().toSeconds());
        p.put("MinValue", 10);
        p.put("MaxValue", CanarySchedule.MAX_TIMEOUT.toSeconds());
        p.put("Description", "Timeout of each invocation, in seconds. The default is the schedule's period; the "
                + "handler stops starting rounds when the remaining time would not hold another.");
        p = params.putObject("LogRetentionInDays");
        p.put("Type", "Number");
        p.put("Default", 30);
        RETENTION_DAYS.forEach(p.putArray("AllowedValues")::add);
        p.put("Description", "Days each canary's log group keeps its events (EMF metrics are extracted on arrival).");
        p = params.putObject("Publisher");
        p.put("Type", "String");
        p.put("Default", "emf");
        p.putArray("AllowedValues").add("emf").add("cloudwatch").add("none");
        p.put("Description", "How the canaries publish metrics: emf (log lines; needs the logs endpoint), cloudwatch "
                + "(PutMetricData; needs the monitoring endpoint, and grants that one action) or none.");
        p = params.putObject("Namespace");
        p.put("Type", "String");
        p.put("Default", "vpcanary");
        p.put("Description", "CloudWatch namespace of the canaries' metrics.");
        p = params.putObject("EstateFile");
        p.put("Type", "String");
        p.put("Default", "");
        p.put("Description", "Path of the estate file inside the function (such as /var/task/estate.yaml); empty for "
                + "the estate bundled in the package. It must be the estate this template was generated from.");
        for (Canary c : canaries) {
            p = params.putObject(c.logicalId() + "SubnetIds");
            p.put("Type", "CommaDelimitedList");
            p.put("Default", "");
            p.put("Description", "Subnets of VPC " + c.vpc().name() + " (" + c.vpc().id() + ", " + c.vpc().region()
                    + ") for its canary; required when deploying to " + c.vpc().region() + ".");
            p = params.putObject(c.logicalId() + "SecurityGroupIds");
            p.put("Type", "CommaDelimitedList");
            p.put("Default", "");
            p.put("Description", "Security groups of the canary in VPC " + c.vpc().name() + " (egress to 443 of its "
                    + "endpoints); required when deploying to " + c.vpc().region() + ".");
        }

        ObjectNode conditions = root.putObject("Conditions");
        conditions.set("PublishesToCloudWatch", fn("Fn::Equals", F.arrayNode().add(ref("Publisher")).add("cloudwatch")));
        conditions.set("HasEstateFile", fn("Fn::Not", F.arrayNode().add(
                fn("Fn::Equals", F.arrayNode().add(ref("EstateFile")).add("")))));
        for (String region : regions) {
            conditions.set(regionCondition(region), CloudFormation.inRegion(region));
        }

        ObjectNode rules = root.putObject("Rules");
        for (Canary c : canaries) {
            ObjectNode rule = rules.putObject(c.logicalId() + "NetworkGiven");
            rule.set("RuleCondition", fn("Fn::Equals", F.arrayNode().add(ref("AWS::Region")).add(c.vpc().region())));
            ArrayNode assertions = rule.putArray("Assertions");
            for (String kind : List.of("SubnetIds", "SecurityGroupIds")) {
                ObjectNode a = assertions.addObject();
                // a CommaDelimitedList left at its default "" is [""]
                a.set("Assert", fn("Fn::Not", F.arrayNode().add(
                        fn("Fn::Contains", F.arrayNode().add(ref(c.logicalId() + kind)).add("")))));
                a.put("AssertDescription", "deploying to " + c.vpc().region() + " needs " + c.logicalId() + kind
                        + " (the canary of VPC " + c.vpc().name() + " runs inside it)");
            }
        }

        ObjectNode resources = root.putObject("Resources");
        for (Canary c : canaries) {
            addCanary(resources, estate, c, schedule, settings.codeUri());
        }

        ObjectNode outputs = root.putObject("Outputs");
        for (Canary c : canaries) {
            ObjectNode o = outputs.putObject(c.logicalId() + "Function");
            o.put("Condition", regionCondition(c.vpc().region()));
            o.put("Description", "The canary function of VPC " + c.vpc().name());
            o.set("Value", ref(c.logicalId() + "Function"));
            o = outputs.putObject(c.logicalId() + "LogGroup");
            o.put("Condition", regionCondition(c.vpc().region()));
            o.put("Description", "Its log group (EMF metrics, the summary of each invocation)");
            o.set("Value", ref(c.logicalId() + "LogGroup"));
        }
        return root;
    }

    private static void addCanary(ObjectNode resources, Estate estate, Canary c, CanarySchedule schedule,
                                  String codeUri) {
        String id = c.logicalId();
        String condition = regionCondition(c.vpc().region());

        ObjectNode logGroup = resources.putObject(id + "LogGroup");
        logGroup.put("Type", "AWS::Logs::LogGroup");
        logGroup.put("Condition", condition);
        ObjectNode lp = logGroup.putObject("Properties");
        lp.set("LogGroupName", sub("/vpcanary/${AWS::StackName}/" + c.vpc().name()));
        lp.set("RetentionInDays", ref("LogRetentionInDays"));

        ObjectNode role = resources.putObject(id + "Role");
        role.put("Type", "AWS::IAM::Role");
        role.put("Condition", condition);
        ObjectNode rp = role.putObject("Properties");
        ObjectNode trust = rp.putObject("AssumeRolePolicyDocument");
        trust.put("Version", "2012-10-17");
        ObjectNode ts = trust.putArray("Statement").addObject();
        ts.put("Effect", "Allow");
        ts.putObject("Principal").put("Service", "lambda.amazonaws.com");
        ts.put("Action", "sts:AssumeRole");
        ArrayNode policies = rp.putArray("Policies");
        policies.add(policy("logs", statement(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                F.arrayNode().add(getAtt(id + "LogGroup", "Arn")))));
        policies.add(policy("vpc-network-interfaces", statement(List.of("ec2:CreateNetworkInterface",
                "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), F.arrayNode().add("*"))));
        List<String> invokeArns = invokeArns(estate, c.targets());
        if (!invokeArns.isEmpty()) {
            ArrayNode arns = F.arrayNode();
            invokeArns.forEach(a -> arns.add(sub(a)));
            policies.add(policy("execute-api-invoke", statement(List.of("execute-api:Invoke"), arns)));
        }
        List<String> manageArns = manageConnectionsArns(estate, c.targets());
        if (!manageArns.isEmpty()) {
            ArrayNode arns = F.arrayNode();
            manageArns.forEach(a -> arns.add(sub(a)));
            policies.add(policy("execute-api-manage-connections",
                    statement(List.of("execute-api:ManageConnections"), arns)));
        }
        Map<SecretRef.Store, List<String>> secrets = secretArns(estate, c.targets());
        if (secrets.containsKey(SecretRef.Store.SECRETS_MANAGER)) {
            ArrayNode arns = F.arrayNode();
            secrets.get(SecretRef.Store.SECRETS_MANAGER).forEach(a -> arns.add(sub(a)));
            policies.add(policy("read-secrets", statement(List.of("secretsmanager:GetSecretValue"), arns)));
        }
        if (secrets.containsKey(SecretRef.Store.SSM)) {
            ArrayNode arns = F.arrayNode();
            secrets.get(SecretRef.Store.SSM).forEach(a -> arns.add(sub(a)));
            policies.add(policy("read-parameters", statement(List.of("ssm:GetParameter"), arns)));
        }
        ObjectNode put = statement(List.of("cloudwatch:PutMetricData"), F.arrayNode().add("*"));
        put.putObject("Condition").putObject("StringEquals").set("cloudwatch:namespace", ref("Namespace"));
        policies.add(fn("Fn::If", F.arrayNode().add("PublishesToCloudWatch").add(policy("cloudwatch-put-metric-data",
                put)).add(ref("AWS::NoValue"))));

        ObjectNode fn = resources.putObject(id + "Function");
        fn.put("Type", "AWS::Serverless::Function");
        fn.put("Condition", condition);
        // cfn-lint resolves the network parameters to their default "" and warns that "" is no security group id;
        // this function exists only in its VPC's region, where a rule refuses the default: a false positive
        fn.putObject("Metadata").putObject("cfn-lint").putObject("config").putArray("ignore_checks").add("W1030");
        ObjectNode props = fn.putObject("Properties");
        props.put("Description", "vpcanary canary of VPC " + c.vpc().name() + " (" + c.vpc().id() + "): "
                + c.targets().size() + (c.targets().size() == 1 ? " target, " : " targets, ") + schedule.rounds() + " rounds per invocation");
        props.put("CodeUri", codeUri);
        props.put("Handler", HANDLER);
        props.put("Runtime", "java21");
        props.putArray("Architectures").add("arm64");
        props.set("MemorySize", ref("MemorySize"));
        props.set("Timeout", ref("Timeout"));
        props.set("Role", getAtt(id + "Role", "Arn"));
        props.put("AutoPublishAlias", ALIAS);
        props.putObject("SnapStart").put("ApplyOn", "PublishedVersions");
        ObjectNode vpc = props.putObject("VpcConfig");
        vpc.set("SubnetIds", ref(id + "SubnetIds"));
        vpc.set("SecurityGroupIds", ref(id + "SecurityGroupIds"));
        ObjectNode logging = props.putObject("LoggingConfig");
        logging.put("LogFormat", "Text");
        logging.set("LogGroup", ref(id + "LogGroup"));
        ObjectNode env = props.putObject("Environment").putObject("Variables");
        env.put("VPCANARY_VANTAGE", c.vpc().name());
        env.set("VPCANARY_PUBLISH", ref("Publisher"));
        env.set("VPCANARY_NAMESPACE", ref("Namespace"));
        env.put("VPCANARY_ROUNDS", Integer.toString(schedule.rounds()));
        env.put("VPCANARY_ROUND_INTERVAL", schedule.roundIntervalSetting());
        env.set("VPCANARY_ESTATE", fn("Fn::If", F.arrayNode().add("HasEstateFile").add(ref("EstateFile"))
                .add(ref("AWS::NoValue"))));
        ObjectNode invoke = props.putObject("EventInvokeConfig");
        invoke.put("MaximumRetryAttempts", 0);
        invoke.put("MaximumEventAgeInSeconds", Math.max(60, schedule.rate().toSeconds()));
        ObjectNode event = props.putObject("Events").putObject("Schedule");
        event.put("Type", "Schedule");
        ObjectNode ep = event.putObject("Properties");
        ep.put("Schedule", schedule.expression());
        ep.put("Description", "vpcanary canary of VPC " + c.vpc().name() + ": " + schedule.rounds() + " rounds "
                + schedule.roundIntervalSetting() + " apart per invocation");
    }

    /**
     * {@code execute-api:Invoke} resources (for {@code Fn::Sub}) of the IAM-authorised APIs {@code targets} call: one
     * per API, region and stage, in the order first called.
     */
    static List<String> invokeArns(Estate estate, List<Target> targets) {
        Set<String> out = new LinkedHashSet<>();
        for (Target t : targets) {
            if (t.auth() == AuthType.IAM) {
                String arn = PolicyParser.apiArn(t.region(), estate.account(), t.apiId());
                out.add(arn.replaceFirst("^arn:aws:", "arn:\\${AWS::Partition}:") + "/" + t.stage() + "/*");
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code execute-api:ManageConnections} resources (for {@code Fn::Sub}) of the WebSocket checks among
     * {@code targets} that push through {@code @connections} ({@code webSocket.push}): {@code POST @connections/*} of
     * each API, region and stage, whatever the API's {@code $connect} authorizer (the management API is always IAM).
     */
    static List<String> manageConnectionsArns(Estate estate, List<Target> targets) {
        Set<String> out = new LinkedHashSet<>();
        for (Target t : targets) {
            if (t.apiType() == io.vpcanary.estate.ApiType.WEBSOCKET
                    && io.vpcanary.estate.WebSocketCheck.of(estate, t.api(), t.check()).push()) {
                String arn = PolicyParser.apiArn(t.region(), estate.account(), t.apiId());
                out.add(arn.replaceFirst("^arn:aws:", "arn:\\${AWS::Partition}:") + "/" + t.stage()
                        + "/POST/@connections/*");
            }
        }
        return List.copyOf(out);
    }

    /**
     * The secrets and parameters ({@code auth.clientSecretRef}, {@code auth.tokenRef}) of the APIs {@code targets} call,
     * as resources for {@code Fn::Sub}: an ARN as written (a Secrets Manager ARN by name gets AWS's random
     * six-character suffix as {@code -??????}), a name in the function's own region and account. Read access to these
     * only.
     */
    static Map<SecretRef.Store, List<String>> secretArns(Estate estate, List<Target> targets) {
        Map<SecretRef.Store, Set<String>> out = new java.util.EnumMap<>(SecretRef.Store.class);
        Set<String> apis = new LinkedHashSet<>();
        targets.forEach(t -> apis.add(t.api()));
        for (String name : apis) {
            estate.api(name).ifPresent(api -> {
                for (String text : java.util.Arrays.asList(api.auth().clientSecretRef(), api.auth().tokenRef())) {
                    if (text == null) {
                        continue;
                    }
                    SecretRef ref = SecretRef.parse(text);
                    out.computeIfAbsent(ref.store(), k -> new LinkedHashSet<>()).add(resourceOf(ref));
                }
            });
        }
        Map<SecretRef.Store, List<String>> lists = new java.util.EnumMap<>(SecretRef.Store.class);
        out.forEach((k, v) -> lists.put(k, List.copyOf(v)));
        return lists;
    }

    private static String resourceOf(SecretRef ref) {
        if (ref.name().startsWith("arn:")) {
            return ref.name().replaceFirst("^arn:aws:", "arn:\\${AWS::Partition}:");
        }
        return switch (ref.store()) {
            case SECRETS_MANAGER -> "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
                    + ref.name() + "-??????";
            case SSM -> "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/"
                    + (ref.name().startsWith("/") ? ref.name().substring(1) : ref.name());
        };
    }

    private static ObjectNode policy(String name, ObjectNode statement) {
        ObjectNode p = F.objectNode();
        p.put("PolicyName", name);
        ObjectNode doc = p.putObject("PolicyDocument");
        doc.put("Version", "2012-10-17");
        doc.putArray("Statement").add(statement);
        return p;
    }

    private static ObjectNode statement(List<String> actions, ArrayNode resources) {
        ObjectNode s = F.objectNode();
        s.put("Effect", "Allow");
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        s.set("Resource", resources);
        return s;
    }
}
