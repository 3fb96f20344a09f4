package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A routing rule of a custom domain name (API Gateway, June 2025): when every condition holds (at most two header
 * conditions and one base path condition, all of them; none makes a catch-all rule), the request invokes a stage of
 * an API. Rules are evaluated by ascending priority; the first that matches wins.
 */
public record RoutingRule(
        @JsonPropertyDescription("Priority, 1 to 1000000, unique within the domain: the lowest is evaluated first.") Integer priority,
        @JsonPropertyDescription("Header conditions (at most 2, all must hold): a header name (any case) and a value glob (case-sensitive): a literal, prefix*, *suffix or *contains*.") List<HeaderMatch> headers,
        @JsonPropertyDescription("Base path condition: the request path must begin with this base path (case-sensitive, such as v2 or users/admin).") String basePath,
        @JsonPropertyDescription("Action: the name of the API to invoke (apis[].name, deployed in the domain's region).") String api,
        @JsonPropertyDescription("Action: the stage to invoke. Default: the API's stage.") String stage,
        @JsonPropertyDescription("Action: strip the matched base path before the request reaches the API. Default false.") Boolean stripBasePath) {

    public RoutingRule {
        headers = headers == null ? List.of() : List.copyOf(headers);
        basePath = basePath == null || basePath.isBlank() ? null : CustomDomain.stripSlashes(basePath);
        if (stripBasePath == null) {
            stripBasePath = Boolean.FALSE;
        }
    }

    /** A header condition of a routing rule. */
    public record HeaderMatch(
            @JsonPropertyDescription("Header name, matched in any case.") String header,
            @JsonPropertyDescription("Value glob, case-sensitive: a literal, prefix*, *suffix, *contains* or *.") String valueGlob) {

        /** Whether {@code value} (of this header) matches the glob. */
        public boolean matches(String value) {
            if (value == null || valueGlob == null) {
                return false;
            }
            boolean head = valueGlob.startsWith("*");
            boolean tail = valueGlob.length() > 1 && valueGlob.endsWith("*");
            String core = valueGlob.substring(head ? 1 : 0, valueGlob.length() - (tail ? 1 : 0));
            if (head && tail) {
                return value.contains(core);
            }
            if (head) {
                return value.endsWith(core);
            }
            if (tail) {
                return value.startsWith(core);
            }
            return value.equals(core);
        }
    }

    /**
     * Whether the rule's conditions all hold for a request with these headers (names in lower case) and path.
     *
     * @param headers the request's headers, names lower case, first value of each
     * @param path    the request path, starting with {@code /}
     */
    public boolean matches(Map<String, String> headers, String path) {
        for (HeaderMatch h : this.headers) {
            if (h.header() == null || !h.matches(headers.get(h.header().toLowerCase(Locale.ROOT)))) {
                return false;
            }
        }
        return basePath == null || path.equals("/" + basePath) || path.startsWith("/" + basePath + "/");
    }

    /**
     * The rule a request goes to: the first of {@code rules} by ascending priority whose conditions all hold (rules
     * without a priority or an API, which validation refuses, are never chosen); empty when none does.
     *
     * @param headers the request's headers, names lower case, first value of each
     * @param path    the request path, starting with {@code /}
     */
    public static java.util.Optional<RoutingRule> firstMatch(List<RoutingRule> rules, Map<String, String> headers,
                                                             String path) {
        return rules.stream()
                .filter(r -> r != null && r.priority() != null && r.api() != null)
                .sorted(java.util.Comparator.comparing(RoutingRule::priority))
                .filter(r -> r.matches(headers, path))
                .findFirst();
    }

    /** The path the invoked API sees: without the matched base path when the rule strips it, else the whole path. */
    public String forwardedPath(String path) {
        if (!stripBasePath || basePath == null) {
            return path;
        }
        String rest = path.substring(basePath.length() + 1);
        return rest.isEmpty() ? "/" : rest;
    }
}
