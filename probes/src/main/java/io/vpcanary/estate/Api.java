package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** An API Gateway API deployed in one or more regions, with the checks to run against it. */
public record Api(
        @JsonPropertyDescription("Logical name, unique in the estate; used in metrics and reports.") String name,
        @JsonPropertyDescription("REST, HTTP or WEBSOCKET.") ApiType type,
        @JsonPropertyDescription("PRIVATE (REST only) or REGIONAL.") EndpointType endpointType,
        @JsonPropertyDescription("Stage name, such as prod; HTTP and WebSocket APIs may use $default, served at the root with no stage segment in the path.") String stage,
        @JsonPropertyDescription("The authorizer.") Auth auth,
        @JsonPropertyDescription("The API in each region it is deployed to.") List<ApiRegion> regions,
        @JsonPropertyDescription("IAM resource policy document (required for PRIVATE APIs).") JsonNode resourcePolicy,
        @JsonPropertyDescription("The integration behind the API's resources.") Integration integration,
        @JsonPropertyDescription("Resources the API serves, such as /orders. /ping and /sping are reserved.") List<String> resources,
        @JsonPropertyDescription("Checks to run against the API.") List<Check> checks,
        @JsonPropertyDescription("Thresholds of the API's CloudWatch alarms and health alarms (docs/alarms.md). Default: every default.") Alarms alarms,
        @JsonPropertyDescription("BASIC (default) or STRICT: the request must arrive with a TLS server name (SNI) matching its Host header, so the VPC endpoint hostname with Host: {api-id}.execute-api.{region}.amazonaws.com is refused with 403.") EndpointAccessMode endpointAccessMode,
        @JsonPropertyDescription("TLS security policy of the API's execute-api names: TLS_1_0, TLS_1_2 (default), SecurityPolicy_TLS13_1_2_2021_06 or SecurityPolicy_TLS13_1_3_2025_09 (TLS 1.3 only).") SecurityPolicy securityPolicy,
        @JsonPropertyDescription("WEBSOCKET only: the route selection expression, $request.body.{field} (dots for nested fields). Default $request.body.action.") String routeSelectionExpression,
        @JsonPropertyDescription("WEBSOCKET only: the routes besides $connect and $disconnect, such as echo and $default.") List<WebSocketRoute> routes,
        @JsonPropertyDescription("IPV4 or DUALSTACK (March 2025): which IP versions reach the API's execute-api name (AAAA records beside A when DUALSTACK). Default IPV4 for REGIONAL APIs; PRIVATE APIs can only be DUALSTACK (the default), and the VPC endpoint's ipAddressType and dnsRecordIpType decide whether a client reaches them over IPv6.") IpAddressType ipAddressType) {

    /** The stage an HTTP API serves at the root of its URL, without a stage segment in the path. */
    public static final String DEFAULT_STAGE = "$default";

    /** The route selection expression of a WebSocket API unless it names another. */
    public static final String DEFAULT_ROUTE_SELECTION = "$request.body.action";

    public Api {
        if (auth == null) {
            auth = Auth.NONE;
        }
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (integration == null) {
            integration = Integration.DEFAULT;
        }
        resources = resources == null ? List.of() : List.copyOf(resources);
        checks = checks == null ? List.of() : List.copyOf(checks);
        if (alarms == null) {
            alarms = Alarms.NONE;
        }
        if (endpointAccessMode == null) {
            endpointAccessMode = EndpointAccessMode.BASIC;
        }
        if (securityPolicy == null) {
            securityPolicy = SecurityPolicy.TLS_1_2;
        }
        if (routeSelectionExpression == null && type == ApiType.WEBSOCKET) {
            routeSelectionExpression = DEFAULT_ROUTE_SELECTION;
        }
        routes = routes == null ? List.of() : List.copyOf(routes);
        if (ipAddressType == null) {
            ipAddressType = endpointType == EndpointType.PRIVATE ? IpAddressType.DUALSTACK : IpAddressType.IPV4;
        }
    }

    public Optional<ApiRegion> region(String region) {
        return regions.stream().filter(r -> r.region().equals(region)).findFirst();
    }

    /**
     * What the stage adds to the path of the API's execute-api URL: {@code /{stage}}, or nothing for the
     * {@value #DEFAULT_STAGE} stage.
     */
    public String stagePath() {
        return DEFAULT_STAGE.equals(stage) ? "" : "/" + stage;
    }

    /** The route whose key is {@code key}, if this WebSocket API has one. */
    public Optional<WebSocketRoute> route(String key) {
        return routes.stream().filter(r -> r.key() != null && r.key().equals(key)).findFirst();
    }

    public boolean isPrivate() {
        return endpointType == EndpointType.PRIVATE;
    }
}
