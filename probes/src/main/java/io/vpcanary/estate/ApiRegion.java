package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * One regional instance of an API: its id in that region, the VPC endpoints it is associated with (private APIs;
 * these give the Route 53 alias names {@code {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com}) and its custom
 * domains there.
 */
public record ApiRegion(
        @JsonPropertyDescription("AWS region, such as us-east-1.") String region,
        @JsonPropertyDescription("API id in that region: 10 lowercase letters or digits.") String id,
        @JsonPropertyDescription("Private APIs: ids of the VPC endpoints associated with the API (Route 53 alias names); the first is the one probes use by default.") List<String> vpcEndpoints,
        @JsonPropertyDescription("Custom domain names of the API in this region.") List<CustomDomain> customDomains) {

    public ApiRegion {
        vpcEndpoints = vpcEndpoints == null ? List.of() : List.copyOf(vpcEndpoints);
        customDomains = customDomains == null ? List.of() : List.copyOf(customDomains);
    }

    /** {@code {id}.execute-api.{region}.amazonaws.com}: the private DNS name of a private API, the public name of a regional one. */
    public String executeApiHost() {
        return id + ".execute-api." + region + ".amazonaws.com";
    }

    /** The Route 53 alias name of this API through an associated endpoint. */
    public String aliasHost(String vpceId) {
        return id + "-" + vpceId + ".execute-api." + region + ".amazonaws.com";
    }
}
