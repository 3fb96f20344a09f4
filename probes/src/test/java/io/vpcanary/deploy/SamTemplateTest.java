package io.vpcanary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.testing.PythonTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SamTemplate}: what the generated template holds, read back as YAML, and that cfn-lint accepts it. */
class SamTemplateTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode demo(SamTemplate.Settings settings) throws Exception {
        return YAML.readTree(SamTemplate.render(EstateLoader.demo(), "the demo estate", settings));
    }

    @Test
    void oneFunctionPerVpcWithTargetsNoneForOnPremises() throws Exception {
        JsonNode t = demo(SamTemplate.Settings.DEFAULT);
        assertThat(t.path("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        List<String> functions = new ArrayList<>();
        t.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                functions.add(e.getKey());
            }
        });
        assertThat(functions).containsExactly("CanaryEastFunction", "PartnerEastFunction", "CanaryWestFunction");
        JsonNode west = t.path("Resources").path("CanaryWestFunction");
        assertThat(west.path("Condition").asText()).isEqualTo("InUsWest2");
        JsonNode p = west.path("Properties");
        assertThat(p.path("Runtime").asText()).isEqualTo("java21");
        assertThat(p.path("Architectures").get(0).asText()).isEqualTo("arm64");
        assertThat(p.path("Handler").asText()).isEqualTo("io.vpcanary.lambda.CanaryHandler::handleRequest");
        assertThat(p.path("AutoPublishAlias").asText()).isEqualTo("live");
        assertThat(p.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(p.path("VpcConfig").path("SubnetIds").path("Ref").asText()).isEqualTo("CanaryWestSubnetIds");
        assertThat(p.path("Environment").path("Variables").path("VPCANARY_VANTAGE").asText()).isEqualTo("canary-west");
        assertThat(p.path("Events").path("Schedule").path("Properties").path("Schedule").asText())
                .isEqualTo("rate(1 minute)");
        // the deploy in us-west-2 is refused without canary-west's network
        assertThat(t.path("Rules").path("CanaryWestNetworkGiven").path("RuleCondition").toString())
                .contains("us-west-2");
    }

    @Test
    void roundsTimesIntervalIsTheRate() throws Exception {
        JsonNode t = demo(new SamTemplate.Settings(new CanarySchedule(Duration.ofMinutes(5), 10), "x.zip"));
        JsonNode p = t.path("Resources").path("CanaryEastFunction").path("Properties");
        JsonNode env = p.path("Environment").path("Variables");
        assertThat(env.path("VPCANARY_ROUNDS").asText()).isEqualTo("10");
        assertThat(env.path("VPCANARY_ROUND_INTERVAL").asText()).isEqualTo("30s");
        assertThat(p.path("Events").path("Schedule").path("Properties").path("Schedule").asText())
                .isEqualTo("rate(5 minutes)");
        assertThat(t.path("Parameters").path("Timeout").path("Default").asInt()).isEqualTo(300);
        assertThat(p.path("CodeUri").asText()).isEqualTo("x.zip");
        assertThatThrownBy(() -> new CanarySchedule(Duration.ofSeconds(30), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole minutes from 1m to 15m");
        assertThatThrownBy(() -> new CanarySchedule(Duration.ofMinutes(1), 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 rounds do not divide");
    }

    @Test
    void invokePermissionOnlyForIamApisAndPutMetricDataOnlyWhenChosen() throws Exception {
        JsonNode t = demo(SamTemplate.Settings.DEFAULT);
        String east = t.path("Resources").path("CanaryEastRole").toString();
        // ledger and live are the demo's IAM APIs; orders, inventory and payments need no IAM permission
        assertThat(east).contains("execute-api:Invoke")
                .contains("arn:${AWS::Partition}:execute-api:us-east-1:111122223333:ledgreast1/prod/*")
                .contains("arn:${AWS::Partition}:execute-api:us-east-1:111122223333:livewseast/prod/*")
                .doesNotContain("ordrseast1").doesNotContain("invtryeast").doesNotContain("paymnteast");
        // canary-east's WebSocket check only connects: no push, so no @connections permission
        assertThat(east).doesNotContain("execute-api:ManageConnections");
        // a check that pushes (live's echo-and-push, from on-premises) needs POST @connections of its API and stage
        Estate demo = EstateLoader.demo();
        assertThat(SamTemplate.manageConnectionsArns(demo, io.vpcanary.core.CanaryPlan.onAws(demo))).containsExactly(
                "arn:${AWS::Partition}:execute-api:us-east-1:111122223333:livewseast/prod/POST/@connections/*");
        assertThat(t.path("Resources").path("CanaryWestRole").toString()).doesNotContain("execute-api:Invoke");
        // PutMetricData sits behind the condition on the Publisher parameter, limited to the namespace
        JsonNode conditional = null;
        for (JsonNode policy : t.path("Resources").path("CanaryEastRole").path("Properties").path("Policies")) {
            if (policy.has("Fn::If")) {
                conditional = policy.get("Fn::If");
            } else {
                assertThat(policy.toString()).doesNotContain("cloudwatch:");
            }
        }
        assertThat(conditional).isNotNull();
        assertThat(conditional.get(0).asText()).isEqualTo("PublishesToCloudWatch");
        assertThat(conditional.get(1).toString()).contains("cloudwatch:PutMetricData").contains("cloudwatch:namespace");
        assertThat(conditional.get(2).path("Ref").asText()).isEqualTo("AWS::NoValue");
        assertThat(t.path("Conditions").path("PublishesToCloudWatch").toString()).contains("cloudwatch");
    }

    @Test
    void readAccessToExactlyTheReferencedSecretsAndParameters() throws Exception {
        String text = EstateLoader.demoText()
                .replace("      clientSecretEnv: VPCANARY_PAYMENTS_CLIENT_SECRET",
                        "      clientSecretRef: secretsmanager:vpcanary/payments#clientSecret")
                .replace("      - name: list-payments\n        path: /payments\n",
                        "      - name: list-payments\n        path: /payments\n        from: canary-east\n");
        assertThat(text).contains("clientSecretRef").contains("from: canary-east\n        expect:\n          status: 200\n"
                + "          bodyContains: '\"target\":\"payments-svc\"'");
        Estate e = EstateLoader.parse(Path.of("with-refs.yaml"), text);
        JsonNode t = YAML.readTree(SamTemplate.render(e, "with-refs.yaml", SamTemplate.Settings.DEFAULT));
        String east = t.path("Resources").path("CanaryEastRole").toString();
        assertThat(east).contains("secretsmanager:GetSecretValue")
                .contains("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:vpcanary/payments-??????")
                .doesNotContain("ssm:GetParameter");
        assertThat(t.path("Resources").path("CanaryWestRole").toString()).doesNotContain("secretsmanager");
        assertThat(SamTemplate.secretArns(e, List.of())).isEmpty();
    }

    @Test
    void anEstateWithoutVpcChecksHasNothingToDeploy() throws Exception {
        String onlyOnPremises = """
                account: "111122223333"
                apis:
                  - name: public
                    type: HTTP
                    endpointType: REGIONAL
                    stage: prod
                    regions: [{region: us-east-1, id: pub1234567}]
                    checks: [{name: ping, path: /ping}]
                """;
        Estate e = EstateLoader.parse(Path.of("only-on-premises.yaml"), onlyOnPremises);
        assertThatThrownBy(() -> SamTemplate.render(e, "x", SamTemplate.Settings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to deploy");
    }

    /** A template for other settings than the checked-in one's, through cfn-lint (found as moto_server is). */
    @Test
    void cfnLintAcceptsATemplateOfAnotherSchedule(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("template.yaml"), SamTemplate.render(EstateLoader.demo(),
                "the demo estate", new SamTemplate.Settings(new CanarySchedule(Duration.ofMinutes(5), 5), "x.zip")));
        Process p = new ProcessBuilder(PythonTools.path("cfn-lint").toString(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
