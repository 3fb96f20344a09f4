package io.vpcanary.estate;

import static io.vpcanary.estate.EstateProblems.lineOf;
import static io.vpcanary.estate.EstateProblems.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * IP address types (AWS, March 2025) on the full demo estate with one edit each: the defaults, and each combination
 * API Gateway or EC2 refuses, reported at its line.
 */
class DualStackValidationTest {

    private static String fullWith(String from, String to) {
        String text = EstateLoader.fullDemoText();
        assertThat(text).contains(from);
        return text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
    }

    @Test
    void privateApisAreDualStackRegionalOnesIpv4AndEndpointRecordsFollowTheirInterfaces() {
        Estate estate = EstateLoader.fullDemo();
        assertThat(estate.api("ledger").orElseThrow().ipAddressType()).isEqualTo(IpAddressType.DUALSTACK);
        assertThat(estate.api("quotes").orElseThrow().ipAddressType()).isEqualTo(IpAddressType.DUALSTACK);
        VpcEndpoint consumer = estate.network().endpoint("vpce-0f1a00000000000b2").orElseThrow();
        assertThat(consumer.dnsRecordIpType()).as("records default to the interfaces' type")
                .isEqualTo(IpAddressType.DUALSTACK);
        VpcEndpoint provider = estate.network().endpoint("vpce-0f1a00000000000a1").orElseThrow();
        assertThat(provider.ipAddressType()).isEqualTo(IpAddressType.IPV4);
        assertThat(estate.network().endpoint("vpce-0f1a00000000000c3").orElseThrow().dnsRecordIpType())
                .isEqualTo(IpAddressType.IPV6);
    }

    @Test
    void aPrivateApiCannotBeIpv4() {
        String yaml = fullWith("  - name: ledger\n    type: REST\n    endpointType: PRIVATE\n",
                "  - name: ledger\n    type: REST\n    endpointType: PRIVATE\n    ipAddressType: IPV4\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("apis[0].ipAddressType");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "ipAddressType: IPV4"));
        assertThat(p.message()).contains("a PRIVATE API can only be DUALSTACK");
    }

    @Test
    void anApiIsNeverIpv6Only() {
        var p = onlyProblem(fullWith("(March 2025)\n    ipAddressType: DUALSTACK\n",
                "(March 2025)\n    ipAddressType: IPV6\n"));
        assertThat(p.field()).isEqualTo("apis[6].ipAddressType");
        assertThat(p.message()).contains("IPV4 or DUALSTACK");
    }

    @Test
    void anIpv4EndpointCannotHaveIpv6Records() {
        String yaml = fullWith("      ipAddressType: DUALSTACK\n      dnsRecordIpType: IPV6\n",
                "      ipAddressType: IPV4\n      dnsRecordIpType: IPV6\n");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("network.vpcEndpoints[2].dnsRecordIpType");
        assertThat(p.message()).contains("an endpoint of ipAddressType IPV4 cannot have IPV6 DNS records");
    }

    @Test
    void anUnknownTypeIsRefusedWithTheValuesThatExist() {
        var p = onlyProblem(fullWith("      dnsRecordIpType: IPV6\n", "      dnsRecordIpType: IPV5\n"));
        assertThat(p.message()).contains("IPV5").contains("DUALSTACK");
    }
}
