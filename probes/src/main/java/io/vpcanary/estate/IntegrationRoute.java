package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One path rule of a load balancer listener (ALB) or one service of a Cloud Map namespace behind an integration:
 * requests whose path matches {@link #path()} go to {@link #target()}.
 *
 * @param path   the path pattern: exact ({@code /health}) or a prefix ending in {@code /*} ({@code /orders/*}, which
 *               also matches {@code /orders})
 * @param target the target group or Cloud Map service that serves it
 * @param type   what serves the path when it differs from the API's integration type, such as a {@code CLOUD_MAP}
 *               service behind an HTTP API route while other routes go to an ALB; null for the integration's type
 */
public record IntegrationRoute(
        @JsonPropertyDescription("Path pattern: exact (/health) or a prefix ending in /* (/orders/*, which also matches /orders).") String path,
        @JsonPropertyDescription("Target group or Cloud Map service serving the path, such as orders-svc.") String target,
        @JsonPropertyDescription("NLB, ALB or CLOUD_MAP when this route's integration differs from the API's (an HTTP API route to a Cloud Map service, say). Default: the integration's type.") IntegrationType type) {

    /** Whether {@code requestPath} (inside the stage) matches this rule. */
    public boolean matches(String requestPath) {
        if (path.endsWith("/*")) {
            String prefix = path.substring(0, path.length() - 2);
            return requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }
        return requestPath.equals(path);
    }
}
