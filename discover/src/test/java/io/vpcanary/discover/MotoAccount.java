package io.vpcanary.discover;

import io.vpcanary.metrics.MotoServer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/**
 * The fixture account of the discovery tests, built in moto_server through the SDK as an operator would build it:
 * <ul>
 *   <li>us-east-1: VPC canary-east (Name tag; execute-api endpoint with private DNS on, two zones) and an untagged VPC
 *       (endpoint with private DNS off); the private REST API {@code orders} associated with canary-east's endpoint,
 *       its policy admitting both regions' canary endpoints, with the private custom domain
 *       {@code orders.internal.example.com}; the private REST API {@code admin}, associated with nothing, admitting
 *       the untagged VPC by {@code aws:SourceVpc}; the regional REST API {@code inventory} with IAM; the HTTP API
 *       {@code payments} on {@code $default} with a JWT authorizer and an ALB behind a VPC link; the WebSocket API
 *       {@code live} with IAM on {@code $connect}.</li>
 *   <li>us-west-2: VPC canary-west (endpoint with private DNS on); {@code orders} again, with the same policy and its
 *       own {@code orders.internal.example.com}.</li>
 *   <li>Route 53: the private hosted zone internal.example.com (both canary VPCs) with failover records for
 *       orders.internal.example.com aliasing each region's endpoint: the primary with a CLOUDWATCH_METRIC health
 *       check, the secondary with an HTTPS one.</li>
 * </ul>
 * {@link #ids()} names what moto generated (endpoint and API ids), for the expected estate's placeholders.
 */
public final class MotoAccount {

    private final Map<String, String> ids = new LinkedHashMap<>();

    private MotoAccount() {
    }

    /** The ids moto gave, by placeholder name (eastEndpoint, ordersEast, ...). */
    public Map<String, String> ids() {
        return ids;
    }

    /** {@code text} with every {@code ${name}} replaced by its id. */
    public String fill(String text) {
        String out = text;
        for (var e : ids.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    /**
     * {@code a} with each HTTP and WebSocket API id lengthened by two characters: moto gives them 8 letters where AWS
     * gives 10 characters, which the estate requires. Only the tests that say so use it; everything else is moto's.
     */
    public static Account withTenCharacterV2Ids(Account a) {
        List<Account.RegionInventory> regions = a.regions().stream().map(r -> new Account.RegionInventory(r.region(),
                r.ownerAccount(), r.endpoints(), r.vpcNames(), r.restApis(), r.domains(), r.v2Apis().stream()
                .map(v -> new Account.V2Api(v.id() + "v2", v.name(), v.protocol(), v.routeSelectionExpression(),
                        v.stages(), v.routes(), v.authorizers())).toList(), r.vpcLinks(), r.associations())).toList();
        return new Account(regions, a.hostedZones(), a.notes());
    }

    public static MotoAccount build(URI moto) {
        MotoAccount a = new MotoAccount();
        a.region(moto, "us-east-1", "east");
        a.region(moto, "us-west-2", "west");
        a.apis(moto);
        a.route53(moto);
        return a;
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B client(
            B b, URI moto, Region region) {
        b.endpointOverride(moto).region(region).credentialsProvider(MotoServer.FAKE);
        ((software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?>) b)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        return b;
    }

    private void region(URI moto, String region, String key) {
        try (Ec2Client ec2 = client(Ec2Client.builder(), moto, Region.of(region)).build()) {
            String vpc = ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16").tagSpecifications(t -> t
                    .resourceType(ResourceType.VPC).tags(g -> g.key("Name").value("canary-" + key)))).vpc().vpcId();
            String s1 = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone(region + "a"))
                    .subnet().subnetId();
            List<String> subnets = key.equals("east") ? List.of(s1, ec2.createSubnet(b -> b.vpcId(vpc)
                    .cidrBlock("10.1.2.0/24").availabilityZone(region + "b")).subnet().subnetId()) : List.of(s1);
            String endpoint = ec2.createVpcEndpoint(b -> b.vpcId(vpc).vpcEndpointType("Interface")
                    .serviceName("com.amazonaws." + region + ".execute-api").subnetIds(subnets).privateDnsEnabled(true))
                    .vpcEndpoint().vpcEndpointId();
            ids.put(key + "Vpc", vpc);
            ids.put(key + "Endpoint", endpoint);
            if (key.equals("east")) {
                String partner = ec2.createVpc(b -> b.cidrBlock("10.2.0.0/16")).vpc().vpcId();
                String ps = ec2.createSubnet(b -> b.vpcId(partner).cidrBlock("10.2.1.0/24")
                        .availabilityZone(region + "a")).subnet().subnetId();
                ids.put("partnerVpc", partner);
                String pe = ec2.createVpcEndpoint(b -> b.vpcId(partner).vpcEndpointType("Interface")
                        .serviceName("com.amazonaws." + region + ".execute-api").subnetIds(ps).privateDnsEnabled(false))
                        .vpcEndpoint().vpcEndpointId();
                ids.put("partnerEndpoint", pe);
                dns(ec2, "partner", pe);
            }
            dns(ec2, key, endpoint);
        }
    }

    /**
     * The endpoint's DNS name as DescribeVpcEndpoints gives it, and the random part of its first label: moto makes
     * the name up ({@code vpce-...-{8 hex}.com.amazonaws.{region}.execute-api}, one entry, no zonal names) where AWS
     * answers {@code vpce-...-{8 chars}.execute-api.{region}.vpce.amazonaws.com} and one name per zone.
     */
    private void dns(Ec2Client ec2, String key, String endpoint) {
        String name = ec2.describeVpcEndpoints(b -> b.vpcEndpointIds(endpoint)).vpcEndpoints().getFirst().dnsEntries()
                .getFirst().dnsName();
        ids.put(key + "EndpointDns", name);
        ids.put(key + "Suffix", name.split("\\.")[0].substring(endpoint.length() + 1));
    }

    private String ordersPolicy() {
        return """
                {"Version":"2012-10-17","Statement":[\
                {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},\
                {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",\
                "Condition":{"StringNotEquals":{"aws:SourceVpce":["%s","%s"]}}}]}""".formatted(ids.get("eastEndpoint"),
                ids.get("westEndpoint"));
    }

    private void apis(URI moto) {
        for (String key : List.of("east", "west")) {
            Region region = Region.of(key.equals("east") ? "us-east-1" : "us-west-2");
            try (ApiGatewayClient gw = client(ApiGatewayClient.builder(), moto, region).build()) {
                String orders = restApi(gw, "orders", EndpointType.PRIVATE, List.of(ids.get(key + "Endpoint")),
                        ordersPolicy(), "/orders", "NONE", "{id}");
                ids.put("orders" + cap(key), orders);
                gw.createDomainName(b -> b.domainName("orders.internal.example.com")
                        .endpointConfiguration(c -> c.types(EndpointType.PRIVATE)));
                gw.createBasePathMapping(b -> b.domainName("orders.internal.example.com").restApiId(orders)
                        .stage("prod"));
                if (key.equals("east")) {
                    ids.put("inventory", restApi(gw, "inventory", EndpointType.REGIONAL, List.of(), null, "/items",
                            "AWS_IAM", null));
                    ids.put("admin", restApi(gw, "admin", EndpointType.PRIVATE, List.of(), """
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",\
                            "Action":"execute-api:Invoke","Resource":"execute-api:/*",\
                            "Condition":{"StringEquals":{"aws:SourceVpc":"%s"}}}]}""".formatted(ids.get("partnerVpc")),
                            "/health", "NONE", null));
                }
            }
        }
        try (ApiGatewayV2Client v2 = client(ApiGatewayV2Client.builder(), moto, Region.US_EAST_1).build()) {
            String payments = v2.createApi(b -> b.name("payments").protocolType("HTTP")).apiId();
            ids.put("payments", payments);
            String link = v2.createVpcLink(b -> b.name("payments-link").subnetIds("subnet-0a1b2c3d")).vpcLinkId();
            ids.put("paymentsLink", link);
            String integration = v2.createIntegration(b -> b.apiId(payments).integrationType("HTTP_PROXY")
                    .integrationMethod("ANY").connectionType("VPC_LINK").connectionId(link).payloadFormatVersion("1.0")
                    .integrationUri("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/payments-alb/"
                            + "50dc6c495c0c9188/0467ef3c8400ae65")).integrationId();
            String authorizer = v2.createAuthorizer(b -> b.apiId(payments).name("cognito").authorizerType("JWT")
                    .identitySource("$request.header.Authorization").jwtConfiguration(j -> j
                            .issuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PAYdemo01")
                            .audience("vpcanary-canary"))).authorizerId();
            v2.createRoute(b -> b.apiId(payments).routeKey("GET /payments").authorizationType("JWT")
                    .authorizerId(authorizer).authorizationScopes("payments/read").target("integrations/" + integration));
            v2.createRoute(b -> b.apiId(payments).routeKey("POST /payments/{id}/refund").authorizationType("JWT")
                    .authorizerId(authorizer).target("integrations/" + integration));
            v2.createStage(b -> b.apiId(payments).stageName("$default").autoDeploy(true));

            String live = v2.createApi(b -> b.name("live").protocolType("WEBSOCKET")
                    .routeSelectionExpression("$request.body.action")).apiId();
            ids.put("live", live);
            v2.createRoute(b -> b.apiId(live).routeKey("$connect").authorizationType("AWS_IAM"));
            v2.createRoute(b -> b.apiId(live).routeKey("$default"));
            v2.createRoute(b -> b.apiId(live).routeKey("echo"));
            v2.createStage(b -> b.apiId(live).stageName("prod"));
        }
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A REST API with a GET on {@code path} (and on {@code path/{param}} when given), deployed to stage prod. */
    private static String restApi(ApiGatewayClient gw, String name, EndpointType type, List<String> vpces,
                                  String policy, String path, String auth, String param) {
        String id = gw.createRestApi(b -> b.name(name).policy(policy)
                .endpointConfiguration(c -> c.types(type).vpcEndpointIds(vpces.isEmpty() ? null : vpces))).id();
        String root = gw.getResources(b -> b.restApiId(id)).items().getFirst().id();
        String resource = gw.createResource(b -> b.restApiId(id).parentId(root).pathPart(path.substring(1))).id();
        method(gw, id, resource, auth);
        if (param != null) {
            String child = gw.createResource(b -> b.restApiId(id).parentId(resource).pathPart(param)).id();
            method(gw, id, child, auth);
        }
        String deployment = gw.createDeployment(b -> b.restApiId(id)).id();
        gw.createStage(b -> b.restApiId(id).stageName("prod").deploymentId(deployment));
        return id;
    }

    private static void method(ApiGatewayClient gw, String api, String resource, String auth) {
        gw.putMethod(b -> b.restApiId(api).resourceId(resource).httpMethod("GET").authorizationType(auth));
        gw.putIntegration(b -> b.restApiId(api).resourceId(resource).httpMethod("GET").type("HTTP_PROXY")
                .integrationHttpMethod("GET").uri("http://orders.internal/").connectionType("VPC_LINK")
                .connectionId("vl0rders1"));
    }

    private void route53(URI moto) {
        try (Route53Client r53 = client(Route53Client.builder(), moto, Region.AWS_GLOBAL).build()) {
            String zone = r53.createHostedZone(b -> b.name("internal.example.com").callerReference("discover-test")
                    .hostedZoneConfig(c -> c.privateZone(true))
                    .vpc(v -> v.vpcId(ids.get("eastVpc")).vpcRegion(VPCRegion.US_EAST_1))).hostedZone().id();
            r53.associateVPCWithHostedZone(b -> b.hostedZoneId(zone)
                    .vpc(v -> v.vpcId(ids.get("westVpc")).vpcRegion(VPCRegion.US_WEST_2)));
            String primaryCheck = r53.createHealthCheck(b -> b.callerReference("orders-east").healthCheckConfig(c -> c
                    .type(HealthCheckType.CLOUDWATCH_METRIC).insufficientDataHealthStatus("Unhealthy")
                    .alarmIdentifier(a -> a.region("us-east-1").name("orders-us-east-1-health")))).healthCheck().id();
            String secondaryCheck = r53.createHealthCheck(b -> b.callerReference("orders-west").healthCheckConfig(c -> c
                    .type(HealthCheckType.HTTPS).fullyQualifiedDomainName("orders.internal.example.com")
                    .resourcePath("/ping").requestInterval(10).failureThreshold(3))).healthCheck().id();
            r53.changeResourceRecordSets(b -> b.hostedZoneId(zone).changeBatch(c -> c.changes(
                    alias("orders-us-east-1", "PRIMARY", ids.get("eastEndpointDns"), primaryCheck),
                    alias("west", "SECONDARY", ids.get("westEndpointDns"), secondaryCheck))));
        }
    }

    private static Change alias(String setId, String role, String target, String healthCheck) {
        return Change.builder().action(ChangeAction.CREATE).resourceRecordSet(ResourceRecordSet.builder()
                .name("orders.internal.example.com").type(RRType.A).setIdentifier(setId).failover(role)
                .healthCheckId(healthCheck)
                .aliasTarget(a -> a.hostedZoneId("Z7HUB22UULQXV").dnsName(target).evaluateTargetHealth(false))
                .build()).build();
    }
}
