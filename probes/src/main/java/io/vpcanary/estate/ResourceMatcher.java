package io.vpcanary.estate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches request paths against an API's resources the way API Gateway routes: a literal segment matches itself, a
 * {@code {param}} segment matches any one non-empty segment, a trailing {@code {proxy+}} matches one or more
 * segments, and the HTTP API route {@value #DEFAULT_ROUTE} matches every path no other resource matches. Literal
 * resources win over parameterised ones. An empty resource list serves every path. The lab routes with it and
 * {@code vpcanary validate} checks the checks' paths with it. Immutable.
 */
public final class ResourceMatcher {

    /** The HTTP API route that catches the requests no other route matches. */
    public static final String DEFAULT_ROUTE = "$default";

    private final List<String[]> resources = new ArrayList<>();
    private final List<String> templates = new ArrayList<>();
    private final boolean defaultRoute;

    public ResourceMatcher(List<String> resources) {
        List<String> sorted = new ArrayList<>(resources);
        defaultRoute = sorted.remove(DEFAULT_ROUTE);
        sorted.removeIf(r -> r == null || r.equals(DEFAULT_ROUTE));
        // literal resources first, so that /orders/latest wins over /orders/{id}
        sorted.sort((a, b) -> Boolean.compare(a.contains("{"), b.contains("{")));
        for (String r : sorted) {
            this.resources.add(segments(r));
            this.templates.add(r);
        }
    }

    /**
     * The resource template that serves {@code path} (without its query), {@value #DEFAULT_ROUTE} when only that
     * route does, or empty when none does.
     */
    public Optional<String> match(String path) {
        if (resources.isEmpty() && !defaultRoute) {
            return Optional.of(path);
        }
        String[] p = segments(path);
        for (int i = 0; i < resources.size(); i++) {
            if (matches(resources.get(i), p)) {
                return Optional.of(templates.get(i));
            }
        }
        return defaultRoute ? Optional.of(DEFAULT_ROUTE) : Optional.empty();
    }

    private static boolean matches(String[] template, String[] path) {
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("+}")) {
                return i == template.length - 1 && path.length > i;
            }
            if (i >= path.length) {
                return false;
            }
            boolean param = t.startsWith("{") && t.endsWith("}");
            if (param ? path[i].isEmpty() : !t.equals(path[i])) {
                return false;
            }
        }
        return template.length == path.length;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
