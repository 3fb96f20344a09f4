package io.vpcanary.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.testing.Repository;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The printed IAM policy: read-only actions only, and the one docs/discover.md shows. */
class DiscoveryPolicyTest {

    @Test
    void allowsOnlyReadsAndIsTheOneTheDocsShow() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(DiscoveryPolicy.json());
        for (JsonNode s : policy.get("Statement")) {
            assertThat(s.get("Effect").asText()).isEqualTo("Allow");
            for (JsonNode a : s.get("Action")) {
                assertThat(a.asText()).as("a read").matches("apigateway:GET|[a-z0-9]+:(Get|List|Describe)[A-Za-z]+");
            }
        }
        assertThat(DiscoveryPolicy.allows("ApiGateway:GetRestApis")).isTrue();
        assertThat(DiscoveryPolicy.allows("ApiGateway:CreateRestApi")).isFalse();
        assertThat(DiscoveryPolicy.allows("Ec2:CreateVpcEndpoint")).isFalse();
        assertThat(DiscoveryPolicy.allows("Route53:ChangeResourceRecordSets")).isFalse();
        assertThat(Files.readString(Repository.root().resolve("docs/discover.md")))
                .as("docs/discover.md shows the policy --print-policy prints").contains(DiscoveryPolicy.json());
    }
}
