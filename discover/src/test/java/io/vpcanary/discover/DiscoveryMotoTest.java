package io.vpcanary.discover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.vpcanary.access.AccessPath;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.IntegrationType;
import io.vpcanary.metrics.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery of {@link MotoAccount}'s two regions in moto_server: what the reader reads, the estate the builder makes
 * of it compared with {@code expected-estate.yaml}, the written file validated and read back, and the calls made
 * against the read-only policy. Where moto answers differently from AWS, the assertion says so; nothing of moto's
 * answer is replaced except where a test says it does and why.
 */
class DiscoveryMotoTest {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    private static MotoServer moto;
    private static MotoAccount fixture;
    private static Account account;
    private static java.util.Set<String> operations;

    @BeforeAll
    static void discover() throws Exception {
        moto = MotoServer.start();
        fixture = MotoAccount.build(moto.uri());
        try (DiscoverClients clients = DiscoverClients.of(moto.uri(), MotoServer.FAKE)) {
            account = new AccountReader(clients).read(REGIONS);
            operations = clients.operations();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void writesTheExpectedEstateOfTheTwoRegions() throws Exception {
        EstateBuilder.Result r = EstateBuilder.build(account);
        String expectedText;
        try (var in = getClass().getResourceAsStream("expected-estate.yaml")) {
            expectedText = fixture.fill(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Estate expected = EstateLoader.parse(Path.of("expected-estate.yaml"), expectedText);
        assertThat(r.estate().network()).isEqualTo(expected.network());
        for (Api api : expected.apis()) {
            assertThat(r.estate().api(api.name())).as(api.name()).contains(api);
        }
        assertThat(r.estate()).isEqualTo(expected);
        // what moto does not answer, said in the notes rather than made up
        assertThat(r.notes()).as("moto does not implement GetDomainNameAccessAssociations: associations come from "
                        + "the hosted zone's alias records, and the notes say so")
                .anyMatch(n -> n.startsWith("us-east-1: GetDomainNameAccessAssociations was not answered (404"))
                .anyMatch(n -> n.contains("orders.internal.example.com: access associations inferred from the private "
                        + "hosted zone's records aliasing it to " + fixture.ids().get("eastEndpoint")));
        assertThat(r.notes()).as("moto returns no policy for a private domain")
                .anyMatch(n -> n.contains("orders.internal.example.com: no domain policy was returned"));
        assertThat(r.notes()).as("moto drops a CLOUDWATCH_METRIC health check's alarm (FACTS.md)")
                .anyMatch(n -> n.contains("is CLOUDWATCH_METRIC but names no alarm"));
        assertThat(r.notes()).as("moto gives API Gateway v2 APIs 8-letter ids; AWS's are 10 characters")
                .anyMatch(n -> n.equals("us-east-1: API id '" + fixture.ids().get("payments")
                        + "' is not 10 letters or digits: not written"));
    }

    @Test
    void readsEndpointsApisDomainsAndRecordsAsMotoStoresThem() {
        Account.RegionInventory east = account.regions().getFirst();
        assertThat(east.vpcNames()).containsEntry(fixture.ids().get("eastVpc"), "canary-east")
                .containsEntry(fixture.ids().get("partnerVpc"), null);
        Account.Endpoint e = east.endpoints().stream().filter(x -> x.id().equals(fixture.ids().get("eastEndpoint")))
                .findFirst().orElseThrow();
        assertThat(e.privateDns()).isTrue();
        assertThat(e.zones()).containsExactly("us-east-1a", "us-east-1b");
        assertThat(e.dnsNames()).as("moto's made-up DNS entry: one name, not AWS's regional plus zonal names")
                .containsExactly(fixture.ids().get("eastEndpointDns"));
        Account.RestApi orders = east.restApis().stream().filter(a -> a.name().equals("orders")).findFirst()
                .orElseThrow();
        assertThat(orders.methods()).extracting(Account.Method::path).containsExactly("/orders", "/orders/{id}");
        assertThat(orders.methods().getFirst().integration().connectionType()).isEqualTo("VPC_LINK");
        assertThat(orders.methods().getFirst().integration().connectionId())
                .as("moto drops the integration's connectionId (AWS returns the VPC link id)").isNull();
        assertThat(east.domains()).singleElement().satisfies(d -> {
            assertThat(d.isPrivate()).isTrue();
            assertThat(d.domainNameId()).as("moto returns no domainNameId for a private domain").isNull();
            assertThat(d.mappings()).containsExactly(new Account.Mapping("", orders.id(), "prod"));
        });
        assertThat(east.associations()).as("moto: GetDomainNameAccessAssociations not implemented").isNull();
        Account.V2Api payments = east.v2Apis().stream().filter(a -> a.name().equals("payments")).findFirst()
                .orElseThrow();
        assertThat(payments.stages()).containsExactly("$default");
        assertThat(payments.routes().getFirst().scopes()).containsExactly("payments/read");
        assertThat(payments.authorizers()).singleElement().satisfies(z -> {
            assertThat(z.issuer()).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PAYdemo01");
            assertThat(z.audiences()).containsExactly("vpcanary-canary");
        });
        assertThat(payments.routes().getFirst().integration().connectionId())
                .isEqualTo(fixture.ids().get("paymentsLink"));
        assertThat(east.vpcLinks()).contains(fixture.ids().get("paymentsLink"));
        Account.HostedZone zone = account.hostedZones().getFirst();
        assertThat(zone.vpcs()).containsExactlyInAnyOrder(fixture.ids().get("eastVpc"), fixture.ids().get("westVpc"));
        assertThat(zone.records()).filteredOn(x -> x.setIdentifier() != null).hasSize(2)
                .anySatisfy(x -> assertThat(x.healthCheck().type()).isEqualTo("HTTPS"));
    }

    /**
     * moto gives HTTP and WebSocket APIs 8-letter ids where AWS gives 10 characters (which the estate requires), so
     * this test, and only it, lengthens each v2 API id read from moto by two characters before building: everything
     * else is moto's answer. It proves what discovery writes for them: the $default stage, the JWT authorizer with its
     * issuer, audience and the route's scope, the ALB behind the VPC link, the WebSocket routes and its $connect check.
     */
    @Test
    void writesHttpAndWebSocketApisGivenAwsShapedIds() throws Exception {
        Estate e = EstateBuilder.build(MotoAccount.withTenCharacterV2Ids(account)).estate();
        Api payments = e.api("payments").orElseThrow();
        assertThat(payments.type()).isEqualTo(ApiType.HTTP);
        assertThat(payments.stage()).isEqualTo("$default");
        assertThat(payments.auth().type()).isEqualTo(AuthType.JWT);
        assertThat(payments.auth().issuer()).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PAYdemo01");
        assertThat(payments.auth().audiences()).containsExactly("vpcanary-canary");
        assertThat(payments.auth().clientId()).isEqualTo("vpcanary-canary");
        assertThat(payments.auth().scopes()).containsExactly("payments/read");
        assertThat(payments.integration().type()).isEqualTo(IntegrationType.ALB);
        assertThat(payments.integration().target()).isEqualTo("payments-alb");
        assertThat(payments.integration().vpcLink()).isEqualTo(fixture.ids().get("paymentsLink"));
        assertThat(payments.resources()).containsExactly("/payments", "/payments/{id}/refund");
        assertThat(payments.checks()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).as("the GET without path parameters, not the POST").isEqualTo("/payments");
        });
        Api live = e.api("live").orElseThrow();
        assertThat(live.type()).isEqualTo(ApiType.WEBSOCKET);
        assertThat(live.auth().type()).isEqualTo(AuthType.IAM);
        assertThat(live.routes()).extracting(io.vpcanary.estate.WebSocketRoute::key)
                .containsExactlyInAnyOrder("$default", "echo");
        assertThat(live.checks()).singleElement().satisfies(c -> assertThat(c.webSocket().messages()).isZero());
        assertThat(e.api("orders").orElseThrow().checks().getFirst().accessPaths()).containsExactly(
                AccessPath.PRIVATE_DNS, AccessPath.VPCE_HOST_HEADER, AccessPath.VPCE_API_ID_HEADER,
                AccessPath.ROUTE53_ALIAS, AccessPath.CUSTOM_DOMAIN);
        String yaml = EstateYaml.write(new EstateBuilder.Result(e, List.of()), List.of());
        assertThat(EstateLoader.parse(Path.of("with-v2.yaml"), yaml)).as("validates and round-trips").isEqualTo(e);
    }

    @Test
    void theWrittenFileValidatesRoundTripsAndMarksEachCheck() throws Exception {
        EstateBuilder.Result r = EstateBuilder.build(account);
        String yaml = EstateYaml.write(r, List.of("discovered from moto"));
        Estate back = EstateLoader.parse(Path.of("discovered.yaml"), yaml);
        assertThat(back).isEqualTo(r.estate());
        assertThat(yaml).startsWith("# discovered from moto\n");
        long checks = r.estate().apis().stream().mapToLong(a -> a.checks().size()).sum();
        assertThat(yaml.split(java.util.regex.Pattern.quote("#" + EstateYaml.CONFIRM), -1)).hasSize((int) checks + 1);
        assertThat(EstateYaml.write(EstateBuilder.build(account), List.of("discovered from moto")))
                .as("the same account writes the same text").isEqualTo(yaml);
    }

    @Test
    void everyCallIsAReadThePrintedPolicyAllows() {
        assertThat(operations).contains("Ec2:DescribeVpcEndpoints", "ApiGateway:GetRestApis",
                "ApiGatewayV2:GetApis", "Route53:ListResourceRecordSets");
        for (String op : operations) {
            String name = op.substring(op.indexOf(':') + 1);
            assertThat(name).as(op + " reads").matches("(Get|List|Describe).*");
            assertThat(DiscoveryPolicy.allows(op)).as(op + " is allowed by the printed policy").isTrue();
        }
    }

    /**
     * Throttled calls are retried: a WireMock proxy in front of moto answers the first GetRestApis with API Gateway's
     * 429 TooManyRequestsException and the first DescribeVpcEndpoints with EC2's 503 RequestLimitExceeded (both
     * documented shapes, a stub named as one), then passes everything to moto. Discovery reads the same account.
     */
    @Test
    void throttledCallsAreRetried() throws Exception {
        WireMockServer proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        try {
            proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto.uri().toString())));
            proxy.stubFor(get(urlPathEqualTo("/restapis")).atPriority(1).inScenario("apigw")
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled")
                    .willReturn(aResponse().withStatus(429).withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                            .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Too Many Requests\"}")));
            proxy.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeVpcEndpoints")).atPriority(1)
                    .inScenario("ec2").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled")
                    .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/xml").withBody(
                            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
                                    + "</Message></Error></Errors><RequestID>stub</RequestID></Response>")));
            Account throttled;
            try (DiscoverClients clients = DiscoverClients.of(java.net.URI.create(proxy.baseUrl()), MotoServer.FAKE)) {
                throttled = new AccountReader(clients).read(REGIONS);
            }
            assertThat(throttled).isEqualTo(account);
            assertThat(proxy.findAll(getRequestedFor(urlPathEqualTo("/restapis")))).as("the throttled call and its retry, "
                    + "then once more for us-west-2").hasSize(3);
        } finally {
            proxy.stop();
        }
    }

}
