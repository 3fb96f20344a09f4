package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static io.vpcanary.estate.EstateProblems.lineOf;
import static io.vpcanary.estate.EstateProblems.onlyProblem;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.access.AccessPath;
import io.vpcanary.probe.ErrorClass;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EstateLoaderTest {

    private static final Path FILE = Path.of("estate.yaml");

    /** The demo estate with one line replaced. */
    private static String demoWith(String from, String to) {
        String text = EstateLoader.demoText();
        assertThat(text).contains(from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    @Test
    void demoEstateLoads() {
        Estate estate = EstateLoader.demo();
        assertThat(estate.account()).isEqualTo("111122223333");
        assertThat(estate.apis()).extracting(Api::name).containsExactly("orders", "inventory", "ledger", "payments", "live");
        Api orders = estate.api("orders").orElseThrow();
        assertThat(orders.isPrivate()).isTrue();
        assertThat(orders.regions()).extracting(ApiRegion::region).containsExactly("us-east-1", "us-west-2");
        assertThat(orders.checks().get(2).expect().errorClass()).isEqualTo(ErrorClass.POLICY_DENIED);
        assertThat(orders.checks().get(1).accessPaths()).containsExactly(AccessPath.VPCE_HOST_HEADER);
        assertThat(estate.lab().regions()).hasSize(2);
        assertThat(estate.vantagePoints()).containsExactly("canary-east", "partner-east", "canary-west", "on-premises");
    }

    @Test
    void unknownFieldNamesFileLineAndField() {
        String yaml = demoWith("    stage: prod\n", "    stage: prod\n    stagee: beta\n");
        var p = onlyProblem(yaml);
        assertThat(p.file()).isEqualTo(FILE);
        assertThat(p.line()).isEqualTo(lineOf(yaml, "stagee"));
        assertThat(p.field()).isEqualTo("apis[0].stagee");
        assertThat(p.message()).contains("unknown field 'stagee'").contains("stage");
        assertThat(p.toString()).startsWith("estate.yaml:" + p.line() + ":");
    }

    @Test
    void badEnumNamesTheAllowedValues() {
        String yaml = demoWith("    type: REST\n    endpointType: REGIONAL", "    type: SOAP\n    endpointType: REGIONAL");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[1].type");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "SOAP"));
        assertThat(p.message()).contains("'SOAP'").contains("REST").contains("WEBSOCKET");
    }

    @Test
    void anUnknownSecurityPolicyNamesTheKnownOnesAndAKnownOneLoads() throws EstateException {
        String yaml = demoWith("    type: REST\n    endpointType: REGIONAL",
                "    type: REST\n    securityPolicy: TLS_1_3\n    endpointType: REGIONAL");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[1].securityPolicy");
        assertThat(p.toString()).startsWith("estate.yaml:" + lineOf(yaml, "TLS_1_3") + ":5: apis[1].securityPolicy: ");
        assertThat(p.message()).contains("'TLS_1_3'").contains("TLS_1_0", "TLS_1_2", "SecurityPolicy_TLS13_1_3_2025_09");
        Estate ok = EstateLoader.parse(FILE, yaml.replace("TLS_1_3", "SecurityPolicy_TLS13_1_3_2025_09"));
        assertThat(ok.apis().get(1).securityPolicy()).isEqualTo(SecurityPolicy.SecurityPolicy_TLS13_1_3_2025_09);
        assertThat(ok.apis().get(0).securityPolicy()).isEqualTo(SecurityPolicy.TLS_1_2);
    }

    @Test
    void wrongTypeIsReported() {
        String yaml = demoWith("    https: 8443", "    https: [8443]");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("lab.ports.https");
        assertThat(p.message()).contains("integer");
    }

    @Test
    void brokenReferenceIsReportedAtItsLine() {
        String yaml = demoWith("        vpcEndpoints: [vpce-0b1a00000000000c3]", "        vpcEndpoints: [vpce-0fffffffffffffff9]");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[0].regions[1].vpcEndpoints[0]");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "vpce-0fffffffffffffff9"));
        assertThat(p.message()).contains("no VPC endpoint with id 'vpce-0fffffffffffffff9'");
    }

    @Test
    void privateHttpApiIsRejected() {
        String yaml = demoWith("    type: REST\n    endpointType: PRIVATE", "    type: HTTP\n    endpointType: PRIVATE");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[0].endpointType");
        assertThat(p.message()).contains("only REST APIs can be PRIVATE");
    }

    @Test
    void missingRequiredFieldAndManyProblemsAtOnce() {
        String yaml = demoWith("    stage: prod\n", "\n").replace("account: \"111122223333\"", "account: \"12\"");
        assertThatThrownBy(() -> EstateLoader.parse(FILE, yaml))
                .isInstanceOf(EstateException.class)
                .satisfies(t -> {
                    var problems = ((EstateException) t).problems();
                    assertThat(problems).extracting(EstateException.Problem::field).contains("account", "apis[0].stage");
                    assertThat(problems).allSatisfy(pr -> assertThat(pr.line()).isPositive());
                });
    }

    @Test
    void aSecretComesFromAnEnvironmentVariableOrAReferenceNotBoth() throws EstateException {
        String env = "      clientSecretEnv: VPCANARY_PAYMENTS_CLIENT_SECRET\n";
        String yaml = demoWith(env, env + "      clientSecretRef: secretsmanager:payments/canary#clientSecret\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[3].auth.clientSecretRef");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "clientSecretRef"));
        assertThat(p.message()).isEqualTo("give the client secret once: clientSecretEnv or clientSecretRef, not both");
        assertThat(p.toString()).startsWith("estate.yaml:" + p.line() + ":7: ");

        assertThat(EstateLoader.parse(FILE, demoWith(env, "      clientSecretRef: ssm:/payments/canary\n"))
                .api("payments").orElseThrow().auth().clientSecretRef()).isEqualTo("ssm:/payments/canary");
    }

    @Test
    void signingSigV4aIsForIamApisOnly() throws EstateException {
        String env = "      clientSecretEnv: VPCANARY_PAYMENTS_CLIENT_SECRET\n";
        String yaml = demoWith(env, env + "      signing: SIGV4A\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[3].auth.signing");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "signing: SIGV4A"));
        assertThat(p.message()).isEqualTo("signing applies to IAM auth only; this API's auth is JWT");
        assertThat(EstateLoader.parse(FILE, demoWith("      type: IAM\n", "      type: IAM\n      signing: SIGV4A\n"))
                .apis().stream().filter(a -> a.auth().signing() == Signing.SIGV4A).count()).isEqualTo(1);
    }

    @Test
    void aSecretReferenceNeedsAKnownSchemeAndAName() {
        String env = "      clientSecretEnv: VPCANARY_PAYMENTS_CLIENT_SECRET\n";
        for (String bad : java.util.List.of("vault:payments/canary", "'ssm:'", "secretsmanager:#clientSecret",
                "payments/canary")) {
            String yaml = demoWith(env, "      clientSecretRef: " + bad + "\n");
            var p = onlyProblem(yaml);
            assertThat(p.field()).as(bad).isEqualTo("apis[3].auth.clientSecretRef");
            assertThat(p.line()).as(bad).isEqualTo(lineOf(yaml, "clientSecretRef"));
            assertThat(p.message()).as(bad).isEqualTo("'" + bad.replace("'", "")
                    + "' is not a secret reference: secretsmanager:<secret id or ARN>[#<json key>] or "
                    + "ssm:<parameter name or ARN>");
        }
    }

    @Test
    void unsupportedPolicyOperatorIsReported() {
        String yaml = demoWith("            StringNotEquals:", "            NumericLessThan:");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[0].resourcePolicy.Statement[1].Condition.NumericLessThan");
        assertThat(p.message()).contains("unsupported condition operator");
    }

    @Test
    void malformedYamlAndEmptyFile() {
        var p = onlyProblem("apis: [\n  - name: x\n");
        assertThat(p.message()).startsWith("not valid YAML");
        assertThat(p.line()).isPositive();
        assertThat(onlyProblem("   \n").message()).contains("empty");
        assertThat(onlyProblem("- just\n- a list\n").message()).contains("mapping");
    }

    @Test
    void duplicateKeyIsAnError() {
        String yaml = demoWith("    stage: prod\n", "    stage: prod\n    stage: beta\n");
        var p = onlyProblem(yaml);
        assertThat(p.message()).containsIgnoringCase("duplicate");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "stage: beta"));
    }

    @Test
    void labAddressBlockOutsideLoopbackIsRejected() {
        var p = onlyProblem(demoWith("addressBlock: 127.0.2.0/24", "addressBlock: 10.0.2.0/24"));
        assertThat(p.field()).isEqualTo("lab.regions[1].addressBlock");
        assertThat(p.message()).contains("127.0.0.0/8");
    }

    /** The inventory API's resources line, followed by an alarms block. */
    private static final String INVENTORY_RESOURCES = "    resources: [/items]\n";

    @Test
    void alarmsBlockLoadsWithDefaultsForWhatItLeavesOut() throws EstateException {
        Estate estate = EstateLoader.parse(FILE, demoWith(INVENTORY_RESOURCES,
                INVENTORY_RESOURCES + "    alarms: {successRatio: 0.95, periods: 2}\n"));
        Alarms alarms = estate.api("inventory").orElseThrow().alarms();
        assertThat(alarms).isEqualTo(new Alarms(0.95, null, 2, null, null, null));
        assertThat(alarms.orDefaults()).isEqualTo(new Alarms(0.95, null, 2, 2, 0.9, 3));
        assertThat(estate.api("orders").orElseThrow().alarms()).isEqualTo(Alarms.NONE);
        assertThat(Alarms.NONE.orDefaults()).isEqualTo(new Alarms(0.99, null, 5, 3, 0.9, 3));
    }

    @Test
    void moreDatapointsToAlarmThanPeriodsIsRejectedAtTheField() {
        String yaml = demoWith(INVENTORY_RESOURCES, INVENTORY_RESOURCES
                + "    alarms:\n      periods: 4\n      datapointsToAlarm: 5\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[1].alarms.datapointsToAlarm");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "datapointsToAlarm"));
        assertThat(p.toString()).isEqualTo("estate.yaml:" + p.line()
                + ":7: apis[1].alarms.datapointsToAlarm: datapointsToAlarm (5) cannot exceed the periods evaluated (4)");
    }

    /** The demo estate with routing domains appended. */
    private static String demoWithRouting(String routingDomains) {
        return io.vpcanary.testing.DemoEstates.withRoutingDomains(routingDomains);
    }

    /** {@code estate.yaml:line:column} of the healthAlarm key on the line holding {@code needle}. */
    private static String at(String text, String needle) {
        String line = text.lines().filter(l -> l.contains(needle)).findFirst().orElseThrow();
        return "estate.yaml:" + lineOf(text, needle) + ":" + (line.indexOf("healthAlarm") + 1);
    }

    @Test
    void oneHealthAlarmPerApiRegionAndOneApiRegionPerHealthAlarm() throws EstateException {
        String twoNames = demoWithRouting("""
                  - domain: orders.internal.example.com
                    policy: FAILOVER
                    records:
                      - {api: orders, region: us-east-1, role: PRIMARY, healthAlarm: orders-east}
                      - {api: orders, region: us-west-2, role: SECONDARY, healthAlarm: orders-east}
                  - domain: orders2.internal.example.com
                    policy: WEIGHTED
                    records:
                      - {api: orders, region: us-east-1, weight: 1, healthAlarm: orders-east-again}
                """);
        try {
            EstateLoader.parse(FILE, twoNames);
            throw new AssertionError("expected the estate to be rejected");
        } catch (EstateException e) {
            assertThat(e.problems()).extracting(EstateException.Problem::toString).containsExactly(
                    at(twoNames, "{api: orders, region: us-west-2") + ": "
                            + "routingDomains[0].records[1].healthAlarm: health alarm 'orders-east' already stands "
                            + "for API orders in us-east-1",
                    at(twoNames, "{api: orders, region: us-east-1, weight") + ": "
                            + "routingDomains[1].records[0].healthAlarm: API orders in us-east-1 already follows "
                            + "health alarm 'orders-east': one health alarm per API region");
        }
        // the same name for the same API region in two domains is one alarm
        EstateLoader.parse(FILE, demoWithRouting("""
                  - domain: orders.internal.example.com
                    policy: FAILOVER
                    records:
                      - {api: orders, region: us-east-1, role: PRIMARY, healthAlarm: orders-east}
                  - domain: orders2.internal.example.com
                    policy: WEIGHTED
                    records:
                      - {api: orders, region: us-east-1, weight: 1, healthAlarm: orders-east}
                """));
    }

    // ---- stages and routes as API Gateway has them (issue 15, items 3 and 8)

    private static final String PAYMENTS_STAGE = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";

    @Test
    void anHttpApiMayHaveTheDefaultStageServedAtTheRoot() throws EstateException {
        Estate estate = EstateLoader.parse(FILE, demoWith(PAYMENTS_STAGE, PAYMENTS_STAGE.replace("prod", "$default")));
        Api payments = estate.api("payments").orElseThrow();
        assertThat(payments.stage()).isEqualTo(Api.DEFAULT_STAGE);
        assertThat(payments.stagePath()).isEmpty();
        assertThat(estate.api("orders").orElseThrow().stagePath()).isEqualTo("/prod");
    }

    @Test
    void aRestApiWithTheDefaultStageOrTheDefaultRouteIsRejectedAtThatField() {
        String yaml = demoWith("    stage: prod\n", "    stage: $default\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[0].stage");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "$default"));
        assertThat(p.column()).isEqualTo(5);
        assertThat(p.message()).isEqualTo("only HTTP and WebSocket APIs have the $default stage; a REST API's stages are named, such as prod");
        // nor the $default route
        assertThat(onlyProblem(demoWith("    resources: [/orders]\n", "    resources: [/orders, $default]\n")).toString())
                .endsWith(": apis[0].resources[1]: $default is an HTTP API route; a REST API lists resource paths");
    }

    @Test
    void theDemoWebSocketApiHasItsRoutesAndTheLabAwsLimits() throws EstateException {
        Estate estate = EstateLoader.demo();
        Api live = estate.api("live").orElseThrow();
        assertThat(live.type()).isEqualTo(ApiType.WEBSOCKET);
        assertThat(live.routeSelectionExpression()).isEqualTo(Api.DEFAULT_ROUTE_SELECTION);
        assertThat(live.routes()).extracting(WebSocketRoute::key)
                .containsExactly("echo", "whoami", "broadcast", "delayed", "push");
        assertThat(live.route("push").orElseThrow().reply()).isEqualTo(WebSocketReply.PUSH);
        assertThat(estate.lab().webSocket()).isEqualTo(new LabWebSocket(32768, 131072, 600, 7200, 500));
        assertThat(estate.api("orders").orElseThrow().routeSelectionExpression()).isNull();
    }

    @Test
    void webSocketRoutesSelectionAndAuthAreCheckedAtTheirFields() {
        String live = "    routeSelectionExpression: $request.body.action\n";
        assertThat(onlyProblem(demoWith(live, "    routeSelectionExpression: $request.header.x\n")).toString())
                .endsWith(": apis[4].routeSelectionExpression: '$request.header.x' is not $request.body.{field}, "
                        + "such as $request.body.action");
        assertThat(onlyProblem(demoWith("      - key: delayed ", "      - key: echo ")).toString())
                .endsWith(": apis[4].routes[3].key: route 'echo' is listed twice");
        assertThat(onlyProblem(demoWith("          route: echo\n          message: hello\n",
                "          route: nosuch\n          message: hello\n")).toString())
                .contains(": apis[4].checks[0].webSocket.route: API 'live' has no route 'nosuch'");
        assertThat(onlyProblem(demoWith("    resources: [/items]\n", "    resources: [/items]\n    routes: [{key: x}]\n"))
                .toString()).endsWith(": apis[1].routes: only WEBSOCKET APIs have routes; a REST API lists resources");
        assertThat(onlyProblem(demoWith("    type: WEBSOCKET\n    endpointType: REGIONAL\n    stage: prod\n    auth:\n      type: IAM\n",
                "    type: WEBSOCKET\n    endpointType: REGIONAL\n    stage: prod\n    auth:\n      type: TOKEN\n      tokenEnv: T\n"))
                .toString()).contains(": apis[4].auth.type: a WEBSOCKET API authorises $connect with IAM or NONE");
    }

    private static final String INVENTORY_NLB = "      type: NLB\n      vpcLink: vpclink-invtry1\n";

    @Test
    void aRestApiTakesAnAlbIntegrationAndItsStagePrefixSetting() throws EstateException {
        Estate estate = EstateLoader.parse(FILE, demoWith(INVENTORY_NLB,
                "      type: ALB\n      stagePrefix: false\n      vpcLink: vpclink-invtry1\n"));
        Api inventory = estate.api("inventory").orElseThrow();
        assertThat(inventory.integration().type()).isEqualTo(IntegrationType.ALB);
        assertThat(inventory.integration().backendPath(inventory, "prod", "/items")).isEqualTo("/items");
        Api byDefault = EstateLoader.parse(FILE, demoWith(INVENTORY_NLB, "      type: ALB\n      vpcLink: vpclink-invtry1\n"))
                .api("inventory").orElseThrow();
        assertThat(byDefault.integration().backendPath(byDefault, "prod", "/items")).isEqualTo("/prod/items");
        // an HTTP API's ALB and a REST API's NLB get the path below the stage
        Api payments = estate.api("payments").orElseThrow();
        assertThat(payments.integration().backendPath(payments, "prod", "/orders")).isEqualTo("/orders");
        Api orders = estate.api("orders").orElseThrow();
        assertThat(orders.integration().backendPath(orders, "prod", "/orders")).isEqualTo("/orders");
    }

    @Test
    void cloudMapOnARestApiAndStagePrefixOutsideARestAlbAreRejectedAtTheirFields() {
        String yaml = demoWith(INVENTORY_NLB, "      type: CLOUD_MAP\n      vpcLink: vpclink-invtry1\n");
        assertThat(onlyProblem(yaml).toString()).isEqualTo("estate.yaml:" + lineOf(yaml, "type: CLOUD_MAP") + ":7: "
                + "apis[1].integration.type: Cloud Map integrations are for HTTP APIs only; a REST API's private "
                + "integration reaches an NLB or an ALB through a VPC link");
        String prefixed = demoWith(INVENTORY_NLB, INVENTORY_NLB + "      stagePrefix: false\n");
        assertThat(onlyProblem(prefixed).toString()).isEqualTo("estate.yaml:" + lineOf(prefixed, "stagePrefix") + ":7: "
                + "apis[1].integration.stagePrefix: stagePrefix applies to a REST API's ALB integration only (API "
                + "Gateway prepends the stage to the backend path there); this is a REST API's NLB integration");
    }

    @Test
    void aCheckPathOutsideTheResourcesIsRejectedAtItsPath() {
        String yaml = demoWith("        path: /payments\n", "        path: /paymnts\n");
        var p = onlyProblem(yaml);
        assertThat(p.toString()).isEqualTo("estate.yaml:" + lineOf(yaml, "/paymnts") + ":9: apis[3].checks[0].path: "
                + "'/paymnts' matches none of the API's resources [/payments, /orders, /ledger] (a check of an "
                + "unknown route expects errorClass FORBIDDEN or HTTP_4XX, or status 403 or 404)");
    }

    @Test
    void checkPathsMatchParametersGreedyPathsAndTheDefaultRoute() throws EstateException {
        String resources = "    resources: [/payments, /orders, /ledger]\n";
        String checks = "    checks:\n      - name: list-payments\n        path: /payments\n";
        String many = demoWith(resources, "    resources: ['/payments/{id}', '/orders/{proxy+}', /ledger]\n")
                .replace(checks, checks.replace("/payments\n", "/payments/p-1?expand=true\n"))
                .replace("        path: /orders\n        expect:\n          status: 200\n          bodyContains: '\"target\":\"orders-svc\"'",
                        "        path: /orders/a/b\n        expect:\n          status: 200\n          bodyContains: '\"target\":\"orders-svc\"'");
        assertThat(many).contains("path: /orders/a/b").contains("path: /payments/p-1?expand=true");
        EstateLoader.parse(FILE, many);
        // {param} is one segment and {proxy+} at least one: /orders alone matches neither
        String bare = demoWith(resources, "    resources: ['/payments/{id}', '/orders/{proxy+}', /ledger]\n");
        assertThatThrownBy(() -> EstateLoader.parse(FILE, bare)).isInstanceOf(EstateException.class)
                .satisfies(t -> assertThat(((EstateException) t).problems()).extracting(EstateException.Problem::field)
                        .containsExactly("apis[3].checks[0].path", "apis[3].checks[1].path"));
        // the $default route catches what no other route does
        EstateLoader.parse(FILE, demoWith(resources, "    resources: ['/payments/{id}', $default]\n"));
    }

    @Test
    void aNegativeCheckOfAnUnknownRouteMayNameAMissingPathOtherNegativeChecksMayNot() throws EstateException {
        // bare-endpoint-refused expects FORBIDDEN: the answer to an unknown route, so its path is not checked
        String forbidden = "        omitApiHeader: true\n        expect:\n          status: 403\n          errorClass: FORBIDDEN";
        EstateLoader.parse(FILE, demoWith("        path: /orders\n        accessPaths: [VPCE_HOST_HEADER]\n        omitApiHeader",
                "        path: /nowhere\n        accessPaths: [VPCE_HOST_HEADER]\n        omitApiHeader"));
        assertThat(EstateLoader.demoText()).contains(forbidden);
        // a check expecting POLICY_DENIED tests the policy, which an unknown route would never reach
        String denied = demoWith("        path: /orders\n        accessPaths: [VPCE_API_ID_HEADER]",
                "        path: /order\n        accessPaths: [VPCE_API_ID_HEADER]");
        assertThat(onlyProblem(denied).field()).isEqualTo("apis[0].checks[2].path");
    }
}
