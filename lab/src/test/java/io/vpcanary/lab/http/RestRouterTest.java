package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.aws.ErrorCorpus;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request semantics without sockets, on an estate that exercises what the demo estate does not. */
class RestRouterTest {

    static final String ESTATE = """
            account: "444455556666"
            network:
              vpcs:
                - {id: vpc-0aaa0000000000001, name: app, region: eu-west-1}
              vpcEndpoints:
                - {id: vpce-0aaa00000000000a1, vpc: vpc-0aaa0000000000001, dnsSuffix: abcd1234, privateDns: true, zones: [eu-west-1a]}
                - {id: vpce-0aaa00000000000a2, vpc: vpc-0aaa0000000000001, dnsSuffix: efgh5678, zones: [eu-west-1b]}
            apis:
              - name: billing
                type: REST
                endpointType: PRIVATE
                stage: v1
                regions:
                  - region: eu-west-1
                    id: billing001
                    vpcEndpoints: [vpce-0aaa00000000000a1]
                    customDomains:
                      - {domain: billing.internal.example.com, basePath: pay, vpcEndpoint: vpce-0aaa00000000000a1}
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Principal: "*"
                      Action: execute-api:Invoke
                      Resource: execute-api:/*
                      Condition:
                        StringEquals:
                          aws:SourceVpce: vpce-0aaa00000000000a1
                resources: [/invoices, "/invoices/{id}", "/files/{proxy+}"]
              - name: public
                type: HTTP
                endpointType: REGIONAL
                stage: live
                regions:
                  - region: eu-west-1
                    id: public0001
                    customDomains: [{domain: api.example.com}]
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - {Effect: Deny, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*/DELETE/*}
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*}
              - name: root
                type: HTTP
                endpointType: REGIONAL
                stage: $default
                regions:
                  - region: eu-west-1
                    id: rootapi001
                    customDomains: [{domain: root.example.com, basePath: r}]
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*}
                    - {Effect: Deny, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/$default/GET/secret}
                resources: [/items, "/items/{id}", /secret]
            lab:
              integration: {latency: {medianMs: 0}}
            """;

    static RestRouter router;
    static final FrontDoor E1 = new FrontDoor("eu-west-1", "vpce-0aaa00000000000a1", "vpc-0aaa0000000000001");
    static final FrontDoor E2 = new FrontDoor("eu-west-1", "vpce-0aaa00000000000a2", "vpc-0aaa0000000000001");
    static final FrontDoor PUBLIC = new FrontDoor("eu-west-1", null, null);

    @BeforeAll
    static void load() throws Exception {
        Estate estate = EstateLoader.parse(Path.of("router-estate.yaml"), ESTATE);
        router = new RestRouter(new ApiCatalog(estate, 1), estate.account());
    }

    private static Reply get(FrontDoor door, String host, String apiId, String path) {
        return router.route(door, new RestRouter.Request("GET", host, apiId, path, "rid"));
    }

    @Test
    void implicitDenyNamesTheResourceWithAwsWording() {
        Reply r = get(E2, null, "billing001", "/v1/invoices");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"Message\":\"User: anonymous is not authorized to perform: execute-api:Invoke"
                + " on resource: arn:aws:execute-api:eu-west-1:444455556666:billing001/v1/GET/invoices\"}");
        assertThat(r.headers()).containsEntry("x-amzn-ErrorType", "AccessDeniedException");
        assertThat(ErrorCorpus.entry("policy-no-allow").bodyMatches(r.body())).isTrue();
        assertThat(get(E1, null, "billing001", "/v1/invoices").status()).isEqualTo(200);
    }

    @Test
    void resourcesMatchParametersAndGreedyProxies() {
        assertThat(get(E1, "billing001.execute-api.eu-west-1.amazonaws.com:8443", null, "/v1/invoices/42").body())
                .contains("\"resource\":\"/invoices/{id}\"").contains("\"path\":\"/invoices/42\"");
        assertThat(get(E1, "billing001.execute-api.eu-west-1.amazonaws.com", null, "/v1/files/a/b/c").body())
                .contains("\"resource\":\"/files/{proxy+}\"");
        assertThat(get(E1, "billing001.execute-api.eu-west-1.amazonaws.com", null, "/v1/files").status()).isEqualTo(403);
        assertThat(get(E1, "billing001.execute-api.eu-west-1.amazonaws.com", null, "/v1/invoices/42/x").headers())
                .containsEntry("x-amzn-ErrorType", "MissingAuthenticationTokenException");
    }

    @Test
    void customDomainsMapTheirBasePathToTheStageAtTheirEndpointOnly() {
        Reply ok = get(E1, "Billing.Internal.Example.com.", null, "/pay/invoices");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"stage\":\"v1\"").contains("\"path\":\"/invoices\"");
        assertThat(get(E1, "billing.internal.example.com", null, "/other/invoices").body()).contains("Missing Authentication Token");
        assertThat(get(E2, "billing.internal.example.com", null, "/pay/invoices").body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(PUBLIC, "billing.internal.example.com", null, "/pay/invoices").status()).isEqualTo(403);
    }

    @Test
    void aliasesNeedAnAssociationWithTheEndpointTheyReach() {
        assertThat(get(E1, "billing001-vpce-0aaa00000000000a1.execute-api.eu-west-1.amazonaws.com", null, "/v1/invoices")
                .status()).isEqualTo(200);
        assertThat(get(E2, "billing001-vpce-0aaa00000000000a2.execute-api.eu-west-1.amazonaws.com", null, "/v1/invoices")
                .body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(E2, "billing001-vpce-0aaa00000000000a1.execute-api.eu-west-1.amazonaws.com", null, "/v1/invoices")
                .body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void theApiIdHeaderWinsOverHost() {
        Reply r = get(E1, "vpce-0aaa00000000000a1-abcd1234.execute-api.eu-west-1.vpce.amazonaws.com", "billing001",
                "/v1/invoices");
        assertThat(r.status()).isEqualTo(200);
        assertThat(get(E1, "billing001.execute-api.eu-west-1.amazonaws.com", "nosuchapi1", "/v1/invoices").status())
                .isEqualTo(403);
        assertThat(get(E1, "vpce-0aaa00000000000a1-abcd1234.execute-api.eu-west-1.vpce.amazonaws.com", null,
                "/v1/invoices").body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(E1, null, null, "/v1/invoices").body()).isEqualTo("{\"message\":\"Forbidden\"}");
    }

    @Test
    void regionalApisAreServedAtThePublicDoorWithTheirPolicyAndRefusedAtEndpoints() {
        Reply r = get(PUBLIC, "public0001.execute-api.eu-west-1.amazonaws.com", null, "/live/anything");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.rest()).isFalse();
        assertThat(r.body()).contains("\"vpcEndpoint\":null");
        assertThat(get(PUBLIC, "api.example.com", null, "/x").status()).isEqualTo(200);
        Reply denied = router.route(PUBLIC, new RestRouter.Request("DELETE",
                "public0001.execute-api.eu-west-1.amazonaws.com", null, "/live/thing", "rid"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains("public0001/live/DELETE/thing with an explicit deny");
        assertThat(get(E1, "public0001.execute-api.eu-west-1.amazonaws.com", null, "/live/anything").body())
                .isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(PUBLIC, "billing001.execute-api.eu-west-1.amazonaws.com", null, "/v1/invoices").body())
                .isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(get(PUBLIC, "public0001.execute-api.us-east-1.amazonaws.com", null, "/live/x").status()).isEqualTo(403);
    }

    @Test
    void theDefaultStageServesTheWholePathAndAStageSegmentIsNoRoute() {
        String host = "rootapi001.execute-api.eu-west-1.amazonaws.com";
        Reply ok = get(PUBLIC, host, null, "/items/7");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("\"stage\":\"$default\"").contains("\"path\":\"/items/7\"")
                .contains("\"resource\":\"/items/{id}\"");
        assertThat(get(PUBLIC, "root.example.com", null, "/r/items").body()).contains("\"path\":\"/items\"");
        for (String path : new String[] {"/live/items", "/$default/items", "/", "/items/7/x"}) {
            Reply r = get(PUBLIC, host, null, path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"message\":\"Not Found\"}");
            assertThat(r.headers()).doesNotContainKey("x-amzn-ErrorType");
            assertThat(ErrorCorpus.entry("http-api-unknown-route").bodyMatches(r.body())).isTrue();
        }
        // the execute-api resource ARN has the stage $default
        assertThat(get(PUBLIC, host, null, "/secret").body())
                .contains("rootapi001/$default/GET/secret with an explicit deny");
    }

    @Test
    void hostNamesLoseTheirPortCaseAndTrailingDot() {
        assertThat(RestRouter.hostName("A.Example.COM.:8443")).isEqualTo("a.example.com");
        assertThat(RestRouter.hostName("  ")).isNull();
        assertThat(RestRouter.hostName("[::1]:443")).isEqualTo("[::1]");
    }
}
