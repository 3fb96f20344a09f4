package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One path rule of a load balancer listener (ALB) or one service of a Cloud Map namespace behind an integration:
 * requests whose path matches {@link #path()} go to {@link #target()}.
 *
 * @param path   the path pattern: exact ({@code /health}) or a prefix ending in {@code /*} ({@code /orders/*}, which
 *               also matches {@code /orders})
 * @param target the target group or Cloud Map service that serves it
 */
public record IntegrationRoute(
        @JsonPropertyDescription("Path pattern: exact (/health) or a prefix ending in /* (/orders/*, which also matches /orders).") String path,
        @JsonPropertyDescription("Target group or Cloud Map service serving the path, such as orders-svc.") String target) {

    /** Whether {@code requestPath} (inside the stage) matches this rule. */
    public boolean matches(String requestPath) {
        if (path.endsWith("/*")) {
            String prefix = path.substring(0, path.length() - 2);
            return requestPath.equals(prefix) || requestPath.startsWith(prefix + "/");
        }
        return requestPath.equals(path);
    }
}
