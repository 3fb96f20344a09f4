package io.vpcanary.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rediscovery into an existing estate file: what the account has and the file lacks is added, and the user's edits and
 * comments stay. The discovered estate is {@code expected-estate.yaml} (what discovery writes for the moto fixture)
 * with made-up ids, so no AWS is needed here; {@code DiscoverCommandTest} does the same through the command.
 */
class EstateMergeTest {

    private static final String IDS_EAST = "vpce-0e1a00000000000a1";

    private static EstateBuilder.Result discovered() throws Exception {
        String text;
        try (var in = EstateMergeTest.class.getResourceAsStream("expected-estate.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text = text.replace("${eastVpc}", "vpc-0e1a0000000000001").replace("${partnerVpc}", "vpc-0e2b0000000000002")
                .replace("${westVpc}", "vpc-0b1a0000000000003").replace("${eastEndpoint}", IDS_EAST)
                .replace("${partnerEndpoint}", "vpce-0e2b00000000000b2").replace("${westEndpoint}", "vpce-0b1a00000000000c3")
                .replace("${eastSuffix}", "k3x9q2ab").replace("${partnerSuffix}", "p7m4t8cd")
                .replace("${westSuffix}", "w5n2r6ef").replace("${ordersEast}", "ordrseast1")
                .replace("${ordersWest}", "ordrswest2").replace("${inventory}", "invtryeast").replace("${admin}", "admin00001");
        return new EstateBuilder.Result(EstateLoader.parse(Path.of("discovered.yaml"), text), List.of());
    }

    @Test
    void keepsTheUsersEditsAndCommentsAndAddsWhatIsNew() throws Exception {
        EstateBuilder.Result found = discovered();
        String written = EstateYaml.write(found, List.of("discovered"));
        // the user's edits: a comment, a renamed API, a check made stricter, an inline note; and the account has since
        // gained the inventory API (here: the user's file is from before it)
        String edited = written
                .replace("apis:\n", "# Owned by the payments team; page #orders-oncall.\napis:\n")
                .replace("  - name: orders\n", "  - name: orders-api   # our name for it\n")
                .replace("      - api: orders\n", "      - api: orders-api\n")
                .replace("        name: get-orders-from-canary-east\n        path: /orders\n",
                        "        name: get-orders-from-canary-east\n        path: /orders\n        expect:\n"
                                + "          status: 200\n          bodyContains: '\"orders\"'\n");
        int from = edited.indexOf("  - name: inventory\n");
        int to = edited.indexOf("  - name: admin\n");
        edited = edited.substring(0, from) + edited.substring(to);
        assertThat(EstateLoader.parse(Path.of("edited.yaml"), edited).api("inventory")).isEmpty();

        EstateYaml.Merge m = EstateYaml.merge(edited, found);
        assertThat(m.added()).containsExactly("API inventory (us-east-1 invtryeast)");
        assertThat(m.text()).contains("# Owned by the payments team; page #orders-oncall.\napis:\n")
                .contains("- name: orders-api # our name for it\n")
                .contains("bodyContains: '\"orders\"'")
                .contains("# added by rediscovery\n    name: inventory");
        Estate merged = EstateLoader.parse(Path.of("merged.yaml"), m.text());
        assertThat(merged.api("orders")).as("the renamed API is known by its ids, not added again").isEmpty();
        assertThat(merged.api("orders-api").orElseThrow().checks().getFirst().expect().status()).isEqualTo(200);
        assertThat(merged.api("inventory")).contains(found.estate().api("inventory").orElseThrow());
        assertThat(merged.network()).isEqualTo(found.estate().network());

        EstateYaml.Merge again = EstateYaml.merge(m.text(), found);
        assertThat(again.added()).as("a second rediscovery finds nothing new").isEmpty();
        assertThat(again.text()).isEqualTo(m.text());
    }

    @Test
    void addsNewEndpointsRegionsAndRoutingDomainsToAFileWithout() throws Exception {
        EstateBuilder.Result found = discovered();
        // a hand-written file with the east region of orders only, no west VPC or endpoint, no routing domain
        String mine = """
                # my estate
                account: "123456789012"
                network:
                  vpcs:
                    - {id: vpc-0e1a0000000000001, name: east, region: us-east-1}   # flow style, kept
                  vpcEndpoints:
                    - id: vpce-0e1a00000000000a1
                      vpc: vpc-0e1a0000000000001
                      dnsSuffix: k3x9q2ab
                      privateDns: true
                      zones: [us-east-1a]
                apis:
                  - name: orders
                    type: REST
                    endpointType: PRIVATE
                    stage: prod
                    regions:
                      - region: us-east-1
                        id: ordrseast1
                        vpcEndpoints: [vpce-0e1a00000000000a1]
                    resourcePolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*"}]}
                    checks:
                      - name: mine
                        path: /orders
                """;
        EstateYaml.Merge m = EstateYaml.merge(mine, found);
        assertThat(m.added()).contains("VPC vpc-0b1a0000000000003", "VPC endpoint vpce-0b1a00000000000c3",
                "region us-west-2 (ordrswest2) of API orders", "API inventory (us-east-1 invtryeast)",
                "routing domain orders.internal.example.com");
        assertThat(m.added()).as("the east VPC is the user's, under the user's name")
                .doesNotContain("VPC vpc-0e1a0000000000001");
        assertThat(m.text()).startsWith("# my estate\n").contains("# flow style, kept")
                .contains("{id: vpc-0e1a0000000000001, name: east, region: us-east-1}");
        Estate merged = EstateLoader.parse(Path.of("merged.yaml"), m.text());
        assertThat(merged.api("orders").orElseThrow().checks()).extracting(c -> c.name()).containsExactly("mine");
        assertThat(merged.api("orders").orElseThrow().regions()).hasSize(2);
        assertThat(merged.routingDomains()).hasSize(1);
    }
}
