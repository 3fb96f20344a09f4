package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.vpcanary.access.AccessPath;
import java.util.List;
import java.util.Map;

/**
 * A request that probes, simulations and canaries send to an API through each of its access paths in each of its
 * regions, and what its outcome must be.
 */
public record Check(
        @JsonPropertyDescription("Check name, unique within its API.") String name,
        @JsonPropertyDescription("HTTP method. Default GET.") String method,
        @JsonPropertyDescription("Resource path below the stage (or base path), such as /orders. Default /.") String path,
        @JsonPropertyDescription("Request body, sent as is.") String body,
        @JsonPropertyDescription("Extra request headers.") Map<String, String> headers,
        @JsonPropertyDescription("Access paths to use. Default: every path the API supports.") List<AccessPath> accessPaths,
        @JsonPropertyDescription("Regions to check. Default: every region of the API.") List<String> regions,
        @JsonPropertyDescription("Vantage point: a VPC name from network.vpcs, or on-premises. Default: chosen per access path.") String from,
        @JsonPropertyDescription("VPC endpoint id to go through instead of the API's first associated endpoint.") String vpcEndpoint,
        @JsonPropertyDescription("Endpoint-hostname paths only: send neither Host nor x-apigw-api-id (the bare endpoint hostname).") Boolean omitApiHeader,
        @JsonPropertyDescription("Expected outcome.") Expectation expect,
        @JsonPropertyDescription("WEBSOCKET APIs: the messages to exchange after $connect (route, message, count, expected reply, push). Default: 3 messages of vpcanary to $default.") WebSocketCheck webSocket) {

    public Check {
        if (method == null) {
            method = "GET";
        }
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        accessPaths = accessPaths == null ? List.of() : List.copyOf(accessPaths);
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (omitApiHeader == null) {
            omitApiHeader = Boolean.FALSE;
        }
        if (expect == null) {
            expect = Expectation.SUCCESS;
        }
    }

    /** A check without WebSocket settings. */
    public Check(String name, String method, String path, String body, Map<String, String> headers,
                 List<AccessPath> accessPaths, List<String> regions, String from, String vpcEndpoint,
                 Boolean omitApiHeader, Expectation expect) {
        this(name, method, path, body, headers, accessPaths, regions, from, vpcEndpoint, omitApiHeader, expect, null);
    }

    /** The WebSocket settings of this check: its own, else the defaults. */
    public WebSocketCheck webSocketOrDefault() {
        return webSocket == null ? WebSocketCheck.DEFAULT : webSocket;
    }
}
