package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The integration behind an API. In the lab it is simulated with {@link #latency()} and {@link #errorRate()}
 * (defaults from {@code lab.integration}); the integration answers JSON naming the serving region and API.
 */
public record Integration(
        @JsonPropertyDescription("NLB, ALB, CLOUD_MAP or MOCK. Default NLB.") IntegrationType type,
        @JsonPropertyDescription("VPC link id, such as vpclink-abc123 (private integrations).") String vpcLink,
        @JsonPropertyDescription("Target name: load balancer name or Cloud Map service.") String target,
        @JsonPropertyDescription("Lab only: added latency of the simulated target; default lab.integration.latency.") Latency latency,
        @JsonPropertyDescription("Lab only: fraction of requests answered 502/503/504, 0 to 1; default lab.integration.errorRate.") Double errorRate,
        @JsonPropertyDescription("ALB listener path rules or Cloud Map services behind the integration, first match wins; requests matching none go to target.") java.util.List<IntegrationRoute> routes) {

    public static final Integration DEFAULT = new Integration(null, null, null, null, null, null);

    public Integration {
        if (type == null) {
            type = IntegrationType.NLB;
        }
        routes = routes == null ? java.util.List.of() : java.util.List.copyOf(routes);
    }
}
