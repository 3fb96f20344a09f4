package io.vpcanary.lab.dns;

import static io.vpcanary.lab.dns.LabDnsViewsTest.addrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AAAA records of dual-stack doors (AWS, March 2025) in the lab's views, without sockets: which names get {@code ::1},
 * which door {@code ::1} stands for when a client asks for a name, and the names the lab leaves without AAAA because
 * {@code ::1} would stand for different doors in different views.
 */
class DualStackViewsTest {

    static final String ESTATE = """
            account: "111122223333"
            network:
              vpcs:
                - {id: vpc-0a00000000000000a, name: alpha, region: us-east-1}
                - {id: vpc-0b00000000000000b, name: bravo, region: us-east-1}
                - {id: vpc-0c00000000000000c, name: charlie, region: us-east-1}
              vpcEndpoints:
                - {id: vpce-0a0000000000000a1, vpc: vpc-0a00000000000000a, dnsSuffix: aaaa1111, privateDns: true, zones: [us-east-1a], ipAddressType: DUALSTACK}
                - {id: vpce-0b0000000000000b1, vpc: vpc-0b00000000000000b, dnsSuffix: bbbb2222, privateDns: false, zones: [us-east-1a]}
                - {id: vpce-0c0000000000000c1, vpc: vpc-0c00000000000000c, dnsSuffix: cccc3333, privateDns: false, zones: [us-east-1a], ipAddressType: DUALSTACK, dnsRecordIpType: IPV6}
            apis:
              - name: pay
                type: REST
                endpointType: PRIVATE
                stage: prod
                regions:
                  - region: us-east-1
                    id: payeast001
                    vpcEndpoints: [vpce-0a0000000000000a1, vpce-0b0000000000000b1, vpce-0c0000000000000c1]
                    customDomains:
                      - domain: pay.internal.example.com
                        vpcEndpoint: vpce-0b0000000000000b1
                        accessAssociations:
                          - {vpcEndpoint: vpce-0c0000000000000c1}
                resourcePolicy:
                  Version: "2012-10-17"
                  Statement:
                    - {Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*}
              - name: shop
                type: HTTP
                endpointType: REGIONAL
                stage: prod
                ipAddressType: DUALSTACK
                regions:
                  - region: us-east-1
                    id: shopeast01
                    customDomains:
                      - {domain: shop.example.com, ipAddressType: DUALSTACK}
                      - {domain: old.example.com}
            lab:
              regions:
                - {region: us-east-1, addressBlock: 127.0.1.0/24}
            """;

    private static LabDnsViews views(String text) throws Exception {
        Estate estate = EstateLoader.parse(Path.of("dual-stack.yaml"), text);
        return LabDnsViews.of(estate, LabAddressPlan.of(estate));
    }

    private static final String A1_NAME = "vpce-0a0000000000000a1-aaaa1111.execute-api.us-east-1.vpce.amazonaws.com";
    private static final String B1_NAME = "vpce-0b0000000000000b1-bbbb2222.execute-api.us-east-1.vpce.amazonaws.com";
    private static final String C1_NAME = "vpce-0c0000000000000c1-cccc3333.execute-api.us-east-1.vpce.amazonaws.com";

    @Test
    void dualStackEndpointsAnswerAAndAaaaIpv4OnesAOnlyIpv6RecordsAaaaOnly() throws Exception {
        LabDnsViews v = views(ESTATE);
        for (String view : v.views()) {
            assertThat(v.answer(view, A1_NAME)).as(view).isEqualTo(addrs("127.0.1.16", "::1"));
            assertThat(v.answer(view, B1_NAME)).as(view).isEqualTo(addrs("127.0.1.20"));
            assertThat(v.answer(view, C1_NAME)).as("IPv6 records only, " + view).isEqualTo(addrs("::1"));
        }
        assertThat(v.ipv6Door(A1_NAME)).contains("vpce-0a0000000000000a1");
        assertThat(v.ipv6Door(C1_NAME.toUpperCase() + ".")).contains("vpce-0c0000000000000c1");
        assertThat(v.ipv6Door(B1_NAME)).as("an IPv4 endpoint has no IPv6 door").isEmpty();
        assertThat(v.servesIpv6()).isTrue();
    }

    @Test
    void privateDnsOfADualStackEndpointAnswersAaaaInItsVpcAndNameTheEndpoint() throws Exception {
        LabDnsViews v = views(ESTATE);
        assertThat(v.answer("alpha", "payeast001.execute-api.us-east-1.amazonaws.com"))
                .isEqualTo(addrs("127.0.1.16", "::1"));
        assertThat(v.answer("alpha", "anything0.execute-api.us-east-1.amazonaws.com"))
                .as("the private hosted zone's wildcard").isEqualTo(addrs("127.0.1.16", "::1"));
        assertThat(v.ipv6Door("payeast001.execute-api.us-east-1.amazonaws.com")).contains("vpce-0a0000000000000a1");
        assertThat(v.ipv6Door("anything0.execute-api.us-east-1.amazonaws.com")).contains("vpce-0a0000000000000a1");
        assertThat(v.answer("bravo", "payeast001.execute-api.us-east-1.amazonaws.com"))
                .as("no private DNS in bravo: the private API's name resolves nowhere else").isEmpty();
        String alias = "payeast001-vpce-0c0000000000000c1.execute-api.us-east-1.amazonaws.com";
        // ::1 would stand for a1 in alpha (private DNS captures alias names too) and for c1 elsewhere: no AAAA anywhere,
        // which leaves the alias of an endpoint with IPv6 records only without address records (a lab limitation)
        assertThat(v.answer("alpha", alias)).isEqualTo(addrs("127.0.1.16"));
        assertThat(v.answer("on-premises", alias)).isEqualTo(addrs());
        assertThat(v.ipv6Door(alias)).isEmpty();
        assertThat(v.ipv6Ambiguities()).contains(alias);
    }

    @Test
    void aPrivateDomainAnswersAsTheAssociatedEndpointOfTheAskingVpc() throws Exception {
        LabDnsViews v = views(ESTATE);
        assertThat(v.answer("bravo", "pay.internal.example.com")).isEqualTo(addrs("127.0.1.20"));
        assertThat(v.answer("charlie", "pay.internal.example.com")).isEqualTo(addrs("::1"));
        assertThat(v.ipv6Door("pay.internal.example.com")).contains("vpce-0c0000000000000c1");
    }

    @Test
    void aDualStackRegionalApiOrDomainHasAaaaForThePublicDoorUnlessCapturedByADualStackEndpoint() throws Exception {
        LabDnsViews v = views(ESTATE);
        String shop = "shopeast01.execute-api.us-east-1.amazonaws.com";
        assertThat(v.answer("on-premises", shop)).as("AAAA nowhere: ::1 would be the public door here and a1 in alpha")
                .isEqualTo(addrs("127.0.1.1"));
        assertThat(v.answer("alpha", shop)).isEqualTo(addrs("127.0.1.16"));
        assertThat(v.ipv6Door(shop)).isEmpty();
        assertThat(v.ipv6Ambiguities()).contains(shop);
        assertThat(v.answer("bravo", "shop.example.com")).isEqualTo(addrs("127.0.1.1", "::1"));
        assertThat(v.ipv6Door("shop.example.com")).contains("region:us-east-1");
        assertThat(v.answer("bravo", "old.example.com")).as("an IPv4 domain").isEqualTo(addrs("127.0.1.1"));

        // without the dual-stack private-DNS endpoint the regional name is unambiguous
        LabDnsViews plain = views(ESTATE.replace("privateDns: true, zones: [us-east-1a], ipAddressType: DUALSTACK",
                "privateDns: true, zones: [us-east-1a]"));
        assertThat(plain.answer("on-premises", shop)).isEqualTo(addrs("127.0.1.1", "::1"));
        assertThat(plain.answer("alpha", shop)).as("captured by an IPv4 endpoint").isEqualTo(addrs("127.0.1.16"));
        assertThat(plain.ipv6Door(shop)).contains("region:us-east-1");
        assertThat(plain.ipv6Ambiguities()).isEmpty();
    }

    @Test
    void twoVpcsWithDualStackPrivateDnsInOneRegionLeaveTheWildcardWithoutAaaa() throws Exception {
        LabDnsViews v = views(ESTATE.replace("dnsSuffix: bbbb2222, privateDns: false, zones: [us-east-1a]}",
                "dnsSuffix: bbbb2222, privateDns: true, zones: [us-east-1a], ipAddressType: DUALSTACK}"));
        assertThat(v.answer("alpha", "payeast001.execute-api.us-east-1.amazonaws.com")).isEqualTo(addrs("127.0.1.16"));
        assertThat(v.answer("bravo", "payeast001.execute-api.us-east-1.amazonaws.com")).isEqualTo(addrs("127.0.1.20"));
        assertThat(v.answer("bravo", "other0000.execute-api.us-east-1.amazonaws.com")).isEqualTo(addrs("127.0.1.20"));
        assertThat(v.ipv6Door("other0000.execute-api.us-east-1.amazonaws.com")).isEmpty();
        assertThat(v.ipv6Ambiguities()).contains("payeast001.execute-api.us-east-1.amazonaws.com",
                "*.execute-api.us-east-1.amazonaws.com");
        assertThat(v.answer("bravo", B1_NAME)).as("each endpoint's own name stays unambiguous")
                .isEqualTo(addrs("127.0.1.20", "::1"));
    }

    @Test
    void anIpv4EstateHasNoIpv6Door() throws Exception {
        LabDnsViews v = views(LabDnsViewsTest.ESTATE);
        assertThat(v.servesIpv6()).isFalse();
        for (String view : v.views()) {
            for (String name : v.names()) {
                assertThat(v.answer(view, name).orElse(List.of())).allMatch(a -> a instanceof java.net.Inet4Address);
            }
        }
    }
}
