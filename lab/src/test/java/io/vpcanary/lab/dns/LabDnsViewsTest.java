package io.vpcanary.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The resolution rules of the lab's views, without sockets, on an estate that exercises each of them. */
class LabDnsViewsTest {

    static final String ESTATE = """
            account: "111122223333"
            network:
              vpcs:
                - {id: vpc-0a00000000000000a, name: alpha, region: us-east-1}
                - {id: vpc-0b00000000000000b, name: bravo, region: us-east-1}
                - {id: vpc-0c00000000000000c, name: charlie, region: us-west-2}
              vpcEndpoints:
                - {id: vpce-0a0000000000000a1, vpc: vpc-0a00000000000000a, dnsSuffix: aaaa1111, privateDns: true, zones: [us-east-1a, us-east-1b]}
                - {id: vpce-0b0000000000000b1, vpc: vpc-0b00000000000000b, dnsSuffix: bbbb2222, privateDns: false, zones: [us-east-1c]}
            apis:
              - name: pay
                type: REST
                endpointType: PRIVATE
                stage: prod
                regions:
                  - region: us-east-1
                    id: payeast001
                    vpcEndpoints: [vpce-0b0000000000000b1, vpce-0a0000000000000a1]
                    customDomains:
                      - domain: pay.internal.example.com
                        vpcEndpoint: vpce-0b0000000000000b1
                        hostedZoneVpcs: [vpc-0a00000000000000a, vpc-0c00000000000000c]
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*}
              - name: shop
                type: HTTP
                endpointType: REGIONAL
                stage: prod
                regions:
                  - region: us-east-1
                    id: shopeast01
                    customDomains:
                      - domain: shop.example.com
                  - region: us-west-2
                    id: shopwest02
            lab:
              regions:
                - {region: us-east-1, addressBlock: 127.0.1.0/24}
                - {region: us-west-2, addressBlock: 127.0.2.0/24}
            """;

    static Estate estate() throws Exception {
        return EstateLoader.parse(Path.of("views-test.yaml"), ESTATE);
    }

    private final LabDnsViews views;

    LabDnsViewsTest() throws Exception {
        Estate estate = estate();
        views = LabDnsViews.of(estate, LabAddressPlan.of(estate));
    }

    static Optional<List<InetAddress>> addrs(String... ips) {
        return Optional.of(java.util.Arrays.stream(ips).map(ip -> {
            try {
                return InetAddress.getByName(ip);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }).toList());
    }

    // us-east-1 is 127.0.1.0/24: endpoint a1 at .16/.17, b1 at .20; us-west-2 is 127.0.2.0/24.
    private static final Optional<List<InetAddress>> A1 = addrs("127.0.1.16", "127.0.1.17");
    private static final Optional<List<InetAddress>> B1 = addrs("127.0.1.20");
    private static final Optional<List<InetAddress>> EAST_DOOR = addrs("127.0.1.1");
    private static final Optional<List<InetAddress>> WEST_DOOR = addrs("127.0.2.1");

    @Test
    void viewsAreTheVpcsThenOnPremises() {
        assertThat(views.views()).containsExactly("alpha", "bravo", "charlie", "on-premises");
    }

    @Test
    void endpointNamesResolveInEveryView() {
        for (String view : views.views()) {
            assertThat(views.answer(view, "vpce-0a0000000000000a1-aaaa1111.execute-api.us-east-1.vpce.amazonaws.com"))
                    .as(view).isEqualTo(A1);
            assertThat(views.answer(view, "vpce-0a0000000000000a1-aaaa1111-us-east-1b.execute-api.us-east-1.vpce.amazonaws.com"))
                    .as(view).isEqualTo(addrs("127.0.1.17"));
            assertThat(views.answer(view, "vpce-0b0000000000000b1-bbbb2222-us-east-1c.execute-api.us-east-1.vpce.amazonaws.com"))
                    .as(view).isEqualTo(B1);
            assertThat(views.answer(view, "vpce-0a0000000000000a1-aaaa1111-us-east-1c.execute-api.us-east-1.vpce.amazonaws.com"))
                    .as("a zone the endpoint is not in, " + view).isEmpty();
        }
    }

    @Test
    void privateDnsCatchesEveryExecuteApiNameOfItsRegionInsideItsVpcOnly() {
        assertThat(views.answer("alpha", "payeast001.execute-api.us-east-1.amazonaws.com")).isEqualTo(A1);
        assertThat(views.answer("alpha", "shopeast01.execute-api.us-east-1.amazonaws.com"))
                .as("the DNS issue: a regional API's name lands on the endpoint").isEqualTo(A1);
        assertThat(views.answer("alpha", "payeast001-vpce-0b0000000000000b1.execute-api.us-east-1.amazonaws.com"))
                .as("alias names too").isEqualTo(A1);
        assertThat(views.answer("alpha", "whatever00.execute-api.us-east-1.amazonaws.com")).isEqualTo(A1);
        assertThat(views.answer("alpha", "deep.name.execute-api.us-east-1.amazonaws.com")).isEqualTo(A1);
        assertThat(views.answer("alpha", "execute-api.us-east-1.amazonaws.com")).as("the zone apex").isEmpty();
        assertThat(views.answer("alpha", "shopwest02.execute-api.us-west-2.amazonaws.com"))
                .as("another region is public DNS").isEqualTo(WEST_DOOR);
        for (String view : List.of("bravo", "charlie", "on-premises")) {
            assertThat(views.answer(view, "payeast001.execute-api.us-east-1.amazonaws.com")).as(view).isEmpty();
            assertThat(views.answer(view, "whatever00.execute-api.us-east-1.amazonaws.com")).as(view).isEmpty();
            assertThat(views.answer(view, "shopeast01.execute-api.us-east-1.amazonaws.com")).as(view).isEqualTo(EAST_DOOR);
        }
    }

    @Test
    void regionalApiNamesResolveOnlyInTheirRegion() {
        assertThat(views.answer("bravo", "shopwest02.execute-api.us-west-2.amazonaws.com")).isEqualTo(WEST_DOOR);
        assertThat(views.answer("bravo", "shopwest02.execute-api.us-east-1.amazonaws.com")).isEmpty();
        assertThat(views.answer("bravo", "shopeast01.execute-api.us-west-2.amazonaws.com")).isEmpty();
    }

    @Test
    void aliasNamesResolveForAssociatedEndpointsOnly() {
        for (String view : List.of("bravo", "charlie", "on-premises")) {
            assertThat(views.answer(view, "payeast001-vpce-0b0000000000000b1.execute-api.us-east-1.amazonaws.com"))
                    .as(view).isEqualTo(B1);
            assertThat(views.answer(view, "payeast001-vpce-0a0000000000000a1.execute-api.us-east-1.amazonaws.com"))
                    .as(view).isEqualTo(A1);
            assertThat(views.answer(view, "payeast001-vpce-0ffffffffffffffff.execute-api.us-east-1.amazonaws.com"))
                    .as(view).isEmpty();
            assertThat(views.answer(view, "shopeast01-vpce-0b0000000000000b1.execute-api.us-east-1.amazonaws.com"))
                    .as("a regional API has no alias, " + view).isEmpty();
        }
    }

    @Test
    void privateCustomDomainsResolveInTheirHostedZoneVpcsOnly() {
        assertThat(views.answer("alpha", "pay.internal.example.com")).isEqualTo(B1);
        assertThat(views.answer("charlie", "pay.internal.example.com")).as("another region's VPC").isEqualTo(B1);
        assertThat(views.answer("bravo", "pay.internal.example.com"))
                .as("the endpoint's own VPC, not in hostedZoneVpcs").isEmpty();
        assertThat(views.answer("on-premises", "pay.internal.example.com")).isEmpty();
    }

    @Test
    void regionalCustomDomainsResolveEverywhere() {
        for (String view : views.views()) {
            assertThat(views.answer(view, "shop.example.com")).as(view).isEqualTo(EAST_DOOR);
        }
    }

    @Test
    void namesAreCaseInsensitiveWithOrWithoutTheTrailingDot() {
        assertThat(views.answer("alpha", "PAY.Internal.Example.COM.")).isEqualTo(B1);
        assertThat(views.answer("on-premises", "ShopEast01.EXECUTE-API.us-east-1.AmazonAWS.com.")).isEqualTo(EAST_DOOR);
    }

    @Test
    void anUnknownViewIsAnError() {
        assertThatThrownBy(() -> views.answer("delta", "shop.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delta").hasMessageContaining("alpha");
    }

    @Test
    void namesListEveryNameTheEstateDefines() {
        assertThat(views.names()).containsExactly(
                "vpce-0a0000000000000a1-aaaa1111.execute-api.us-east-1.vpce.amazonaws.com",
                "vpce-0a0000000000000a1-aaaa1111-us-east-1a.execute-api.us-east-1.vpce.amazonaws.com",
                "vpce-0a0000000000000a1-aaaa1111-us-east-1b.execute-api.us-east-1.vpce.amazonaws.com",
                "vpce-0b0000000000000b1-bbbb2222.execute-api.us-east-1.vpce.amazonaws.com",
                "vpce-0b0000000000000b1-bbbb2222-us-east-1c.execute-api.us-east-1.vpce.amazonaws.com",
                "payeast001.execute-api.us-east-1.amazonaws.com",
                "payeast001-vpce-0b0000000000000b1.execute-api.us-east-1.amazonaws.com",
                "payeast001-vpce-0a0000000000000a1.execute-api.us-east-1.amazonaws.com",
                "pay.internal.example.com",
                "shopeast01.execute-api.us-east-1.amazonaws.com",
                "shop.example.com",
                "shopwest02.execute-api.us-west-2.amazonaws.com");
    }

    @Test
    void negativeAnswersNameTheZoneHoldingTheName() {
        assertThat(views.zoneOf("x.execute-api.us-east-1.vpce.amazonaws.com")).isEqualTo("execute-api.us-east-1.vpce.amazonaws.com");
        assertThat(views.zoneOf("Nope.execute-api.eu-west-1.amazonaws.com.")).isEqualTo("execute-api.eu-west-1.amazonaws.com");
        assertThat(views.zoneOf("pay.internal.example.com")).isEqualTo("pay.internal.example.com");
        assertThat(views.zoneOf("a.pay.internal.example.com")).isEqualTo("pay.internal.example.com");
        assertThat(views.zoneOf("s3.amazonaws.com")).isEqualTo("amazonaws.com");
        assertThat(views.zoneOf("unknown.example.org")).isEmpty();
    }
}
