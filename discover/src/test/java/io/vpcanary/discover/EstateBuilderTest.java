package io.vpcanary.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.discover.Account.Endpoint;
import io.vpcanary.discover.Account.Method;
import io.vpcanary.discover.Account.RegionInventory;
import io.vpcanary.discover.Account.RestApi;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.IpAddressType;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builder's rules on inventories shaped as AWS documents its answers (not moto's): what moto cannot show. Each
 * inventory here is written by hand, and the estate built from it must load.
 */
class EstateBuilderTest {

    private static final String E1 = "vpce-0123456789abcdef0";
    private static final String VPC = "vpc-0123456789abcdef0";

    /** An endpoint with AWS's DNS names: the regional one and one per zone. */
    private static Endpoint endpoint(String policy) {
        return new Endpoint(E1, VPC, true, List.of(E1 + "-abcd1234.execute-api.us-east-1.vpce.amazonaws.com",
                E1 + "-abcd1234-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com",
                "execute-api.us-east-1.amazonaws.com"), List.of("us-east-1a"), policy);
    }

    private static Method get(String path, String auth, String authorizer) {
        return new Method(path, "GET", auth, authorizer, List.of("orders/read"), null);
    }

    @Test
    void readsAwsShapedNamesEscapedPoliciesStagesAndAuthorizers() throws Exception {
        // API Gateway returns a REST API's policy with its quotes escaped
        String escaped = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"execute-api:Invoke\\\",\\\"Resource\\\":"
                + "\\\"execute-api:/*\\\"}]}";
        RestApi orders = new RestApi("ordrs00001", "Orders API", "PRIVATE", List.of(E1), escaped, List.of("prod", "test"),
                List.of(get("/orders", "COGNITO_USER_POOLS", "auth1"), get("/orders/{id}", "COGNITO_USER_POOLS", "auth1")),
                List.of(new Account.Authorizer("auth1", "COGNITO_USER_POOLS", null, List.of(), "method.request.header.Authorization",
                        List.of("arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbCdE"))));
        RestApi edge = new RestApi("edge000001", "legacy", "EDGE", List.of(), null, List.of("prod"),
                List.of(get("/", "NONE", null)), List.of());
        String custom = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\","
                + "\"Resource\":\"arn:aws:execute-api:us-east-1:111122223333:ordrs00001/*\"}]}";
        EstateBuilder.Result built = EstateBuilder.build(new Account(List.of(new RegionInventory("us-east-1",
                "111122223333", List.of(endpoint(custom)), Map.of(VPC, "Canary East"), List.of(orders, edge), List.of(),
                List.of(), List.of(), Map.of())), List.of(), List.of()));
        Estate e = EstateLoader.parse(Path.of("built.yaml"), EstateYaml.write(built, List.of()));
        assertThat(built.notes()).contains("us-east-1: REST API Orders API (ordrs00001) has stages prod, test: the "
                + "estate monitors one stage per API; written with 'prod'");

        assertThat(e.network().vpcs()).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("canary-east"));
        assertThat(e.network().vpcEndpoints()).singleElement().satisfies(x -> {
            assertThat(x.dnsSuffix()).as("from AWS's regional name, not the zonal one").isEqualTo("abcd1234");
            assertThat(x.policy()).as("a custom endpoint policy is kept").isNotNull();
        });
        assertThat(e.apis()).as("EDGE APIs are left out").extracting(Api::name).containsExactly("orders-api");
        Api prod = e.api("orders-api").orElseThrow();
        assertThat(prod.stage()).isEqualTo("prod");
        assertThat(prod.resourcePolicy().get("Statement").get(0).get("Resource").asText()).isEqualTo("execute-api:/*");
        assertThat(prod.auth().type()).isEqualTo(AuthType.COGNITO);
        assertThat(prod.auth().issuer()).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdE");
        assertThat(prod.auth().clientSecretEnv()).isEqualTo("VPCANARY_ORDERS_API_CLIENT_SECRET");
        assertThat(prod.checks()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get-orders-from-canary-east");
            assertThat(c.path()).isEqualTo("/orders");
        });
    }

    @Test
    void theDefaultEndpointPolicyIsLeftOutAndRegionsThatDifferStaySeparate() throws Exception {
        String allowAll = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}";
        RestApi east = new RestApi("invntry001", "inventory", "REGIONAL", List.of(), null, List.of("prod"),
                List.of(get("/items", "AWS_IAM", null)), List.of());
        RegionInventory r1 = new RegionInventory("us-east-1", "111122223333", List.of(endpoint(allowAll)),
                Map.of(VPC, "east"), List.of(east), List.of(), List.of(), List.of(), Map.of());
        RestApi west = new RestApi("invntry002", "inventory", "REGIONAL", List.of(), null, List.of("prod"),
                List.of(get("/items", "NONE", null)), List.of());
        RegionInventory r2 = new RegionInventory("us-west-2", "111122223333", List.of(), Map.of(), List.of(west),
                List.of(), List.of(), List.of(), Map.of());
        EstateBuilder.Result r = EstateBuilder.build(new Account(List.of(r1, r2), List.of(), List.of()));
        assertThat(r.estate().network().vpcEndpoints().getFirst().policy()).isNull();
        assertThat(r.estate().apis()).extracting(Api::name).as("IAM in one region, none in the other")
                .containsExactly("inventory-us-east-1", "inventory-us-west-2");
        assertThat(r.notes()).contains("inventory: its regions differ in auth or resource policy (or one region has "
                + "two): one API per region");
    }

    @Test
    void aListSharedByTwoEntriesIsWrittenTwiceNotAsAYamlAlias() throws Exception {
        List<String> zones = List.of("us-east-1a"); // one instance in both endpoints (List.copyOf keeps it)
        Estate e = new Estate("111122223333", new io.vpcanary.estate.Network(
                List.of(new io.vpcanary.estate.Vpc(VPC, "east", "us-east-1")),
                List.of(new io.vpcanary.estate.VpcEndpoint(E1, VPC, "abcd1234", true, zones),
                        new io.vpcanary.estate.VpcEndpoint("vpce-0123456789abcdef1", VPC, "abcd1235", false, zones))),
                List.of(), List.of(), null);
        String yaml = EstateYaml.write(new EstateBuilder.Result(e, List.of()), List.of());
        assertThat(yaml).doesNotContain("&id").doesNotContain("*id");
        assertThat(EstateLoader.parse(Path.of("shared.yaml"), yaml).network()).isEqualTo(e.network());
    }

    @Test
    void ipAddressTypesAreReadAsAwsNamesThemAndWrittenOnlyWhereNotTheDefault() throws Exception {
        String allowAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"execute-api:/*\"}]}";
        Endpoint dual = new Endpoint(E1, VPC, true, List.of(E1 + "-abcd1234.execute-api.us-east-1.vpce.amazonaws.com"),
                List.of("us-east-1a"), null, "dualstack", "ipv6");
        RestApi orders = new RestApi("ordrs00001", "orders", "PRIVATE", List.of(E1), allowAll, List.of("prod"),
                List.of(get("/orders", "NONE", null)), List.of(), "dualstack");
        RestApi shop = new RestApi("shopp00001", "shop", "REGIONAL", List.of(), null, List.of("prod"),
                List.of(get("/items", "NONE", null)), List.of(), "dualstack");
        RestApi old = new RestApi("oldap00001", "old", "REGIONAL", List.of(), null, List.of("prod"),
                List.of(get("/items", "NONE", null)), List.of(), "ipv4");
        EstateBuilder.Result built = EstateBuilder.build(new Account(List.of(new RegionInventory("us-east-1",
                "111122223333", List.of(dual), Map.of(VPC, "east"), List.of(orders, shop, old), List.of(), List.of(),
                List.of(), Map.of())), List.of(), List.of()));
        String yaml = EstateYaml.write(built, List.of());
        Estate e = EstateLoader.parse(Path.of("dual.yaml"), yaml);
        assertThat(e.network().vpcEndpoints().getFirst().ipAddressType()).isEqualTo(IpAddressType.DUALSTACK);
        assertThat(e.network().vpcEndpoints().getFirst().dnsRecordIpType()).isEqualTo(IpAddressType.IPV6);
        assertThat(e.api("orders").orElseThrow().ipAddressType()).as("private: always dual-stack")
                .isEqualTo(IpAddressType.DUALSTACK);
        assertThat(e.api("shop").orElseThrow().ipAddressType()).isEqualTo(IpAddressType.DUALSTACK);
        assertThat(e.api("old").orElseThrow().ipAddressType()).isEqualTo(IpAddressType.IPV4);
        assertThat(yaml.lines().filter(l -> l.contains("ipAddressType")).count())
                .as("the endpoint's and shop's; the defaults are left out").isEqualTo(2);
        assertThat(EstateBuilder.ipType("service-defined")).as("not modelled: the default").isNull();
    }
}
