package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The integration behind an API. In the lab it is simulated with {@link #latency()} and {@link #errorRate()}
 * (defaults from {@code lab.integration}); the integration answers JSON naming the serving region and API and the
 * backend path it received ({@link #backendPath}).
 */
public record Integration(
        @JsonPropertyDescription("NLB, ALB, CLOUD_MAP or MOCK. Default NLB.") IntegrationType type,
        @JsonPropertyDescription("VPC link id, such as vpclink-abc123 (private integrations).") String vpcLink,
        @JsonPropertyDescription("Target name: load balancer name or Cloud Map service.") String target,
        @JsonPropertyDescription("Lab only: added latency of the simulated target; default lab.integration.latency.") Latency latency,
        @JsonPropertyDescription("Lab only: fraction of requests answered 502/503/504, 0 to 1; default lab.integration.errorRate.") Double errorRate,
        @JsonPropertyDescription("ALB listener path rules or Cloud Map services behind the integration, first match wins; requests matching none go to target.") java.util.List<IntegrationRoute> routes,
        @JsonPropertyDescription("REST APIs with an ALB integration only: whether API Gateway prepends the stage to the backend path (/{stage}/{path}, as AWS does by default); false sends the path below the stage. Default true.") Boolean stagePrefix,
        @JsonPropertyDescription("REST APIs: BUFFERED (default) or STREAM, API Gateway's response streaming (November 2025) for proxy integrations.") ResponseTransferMode responseTransferMode,
        @JsonPropertyDescription("Lab only, STREAM: how the simulated integration streams (chunks, intervalMs, chunkBytes). Default 5 chunks 100 ms apart.") LabStream stream) {

    public static final Integration DEFAULT = new Integration(null, null, null, null, null, null, null, null, null);

    public Integration {
        if (type == null) {
            type = IntegrationType.NLB;
        }
        routes = routes == null ? java.util.List.of() : java.util.List.copyOf(routes);
        if (responseTransferMode == null) {
            responseTransferMode = ResponseTransferMode.BUFFERED;
        }
        if (stream == null) {
            stream = LabStream.DEFAULT;
        }
    }

    /**
     * The path the backend receives for {@code path} (below the stage) of {@code api} at {@code stage}: a REST API's
     * ALB integration (VPC link v2, November 2025) gets {@code /{stage}{path}} unless {@link #stagePrefix()} is
     * false; every other integration gets {@code path}.
     */
    public String backendPath(Api api, String stage, String path) {
        boolean prefix = api.type() == ApiType.REST && type == IntegrationType.ALB && !Boolean.FALSE.equals(stagePrefix)
                && !Api.DEFAULT_STAGE.equals(stage);
        return prefix ? "/" + stage + path : path;
    }
}
