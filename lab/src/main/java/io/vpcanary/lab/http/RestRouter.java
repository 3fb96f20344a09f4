package io.vpcanary.lab.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.EndpointAccessMode;
import io.vpcanary.estate.ResponseTransferMode;
import io.vpcanary.estate.RoutingRule;
import io.vpcanary.lab.http.ApiCatalog.Deployment;
import io.vpcanary.lab.http.ApiCatalog.DomainMapping;
import io.vpcanary.lab.faults.LabFaults;
import io.vpcanary.lab.integration.SimulatedTarget;
import io.vpcanary.lab.policy.Decision;
import io.vpcanary.lab.policy.RequestContext;
import io.vpcanary.lab.policy.ResourcePolicy;
import io.vpcanary.policy.PolicyParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's request semantics at one front door, without any I/O: which API a request names, whether the
 * front door may serve it, stage and resource routing, the resource policy and the integration. The rules are
 * those of {@code docs/lab-http.md}; in short, at a VPC endpoint front door:
 *
 * <ol>
 *   <li>{@code /ping} and {@code /sping} answer 200 (the service health check);</li>
 *   <li>the API is named by {@code x-apigw-api-id}, else by Host: {@code {api-id}.execute-api.{region}.amazonaws.com},
 *       the Route 53 alias {@code {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com} (an association of that API
 *       with this endpoint), or a private custom domain with a domain name access association with this endpoint
 *       (by the domain's routing mode: its routing rules by priority, then the base path mapping with the longest
 *       base path the path starts with); nothing naming an API of this
 *       region, a regional API, or a domain this endpoint has no association with, gets 403 Forbidden;</li>
 *   <li>in STRICT endpoint access mode (the custom domain's when a domain named the API, else the API's) the TLS
 *       server name must be the Host header's name, else 403 Forbidden: the endpoint hostname with a Host naming
 *       the API or domain is refused;</li>
 *   <li>the first path segment must be the stage (custom domains: the base path maps to the stage; an HTTP API's
 *       {@code $default} stage takes the whole path) and the rest a resource of the API, else 403 Missing
 *       Authentication Token (HTTP APIs: 404 Not Found);</li>
 *   <li>the API's authorizer ({@link LabAuthorizers}: IAM, JWT, Cognito or token) must accept the request, else
 *       it answers API Gateway's 401 or 403;</li>
 *   <li>the policies are evaluated for {@code execute-api:Invoke} by the IAM signer's principal ARN (anonymous for
 *       other authorizers) with {@code aws:SourceVpce} and {@code aws:SourceVpc}, layer by layer: the VPC endpoint's
 *       policy, the private custom domain's policy (on the domain's ARN, when a domain named the API), the API's
 *       resource policy; a deny gets 403 with IAM's message naming the principal and the layer's resource (and, for
 *       the endpoint policy, the layer);</li>
 *   <li>the simulated integration answers: at once (BUFFERED), or chunk by chunk for a REST API whose integration
 *       streams ({@code responseTransferMode: STREAM}, see {@link StreamedAnswer}).</li>
 * </ol>
 * A public front door serves regional APIs of its region by their execute-api name or custom domain and refuses
 * everything else with 403 Forbidden. Thread-safe.
 */
final class RestRouter {

    /** Header naming the API at a VPC endpoint. */
    static final String API_ID_HEADER = "x-apigw-api-id";

    private static final Pattern EXECUTE_API_HOST =
            Pattern.compile("([a-z0-9]+)(?:-(vpce-[a-z0-9]+))?\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com");

    private final ApiCatalog catalog;
    private final String account;
    private final LabAuthorizers authorizers;
    private final LabFaults faults;
    private final WebSocketConnections connections;

    /** A router whose IAM, JWT, COGNITO and TOKEN authorizers let nothing through. */
    RestRouter(ApiCatalog catalog, String account) {
        this(catalog, account, null);
    }

    RestRouter(ApiCatalog catalog, String account, LabAuthorizers authorizers) {
        this(catalog, account, authorizers, null, new WebSocketConnections(io.vpcanary.estate.LabWebSocket.DEFAULT));
    }

    /**
     * A router whose integrations answer with the ERROR_RATE and LATENCY faults of {@code faults} (null: none) and whose
     * WebSocket APIs keep their connections in {@code connections}.
     */
    RestRouter(ApiCatalog catalog, String account, LabAuthorizers authorizers, LabFaults faults,
               WebSocketConnections connections) {
        this.catalog = catalog;
        this.account = account;
        this.authorizers = authorizers;
        this.faults = faults;
        this.connections = connections;
    }

    /** The WebSocket connections open at the front doors this router serves. */
    WebSocketConnections connections() {
        return connections;
    }

    /** What a WebSocket {@code $connect} (an HTTP upgrade request) gets. */
    sealed interface Upgrade permits Refused, Accepted {
    }

    /** The upgrade is refused with {@code reply}; the connection is closed after it. */
    record Refused(Reply reply) implements Upgrade {
    }

    /** The upgrade may complete: the connection belongs to {@code deployment}. */
    record Accepted(Deployment deployment) implements Upgrade {
    }

    /**
     * The answer to a WebSocket {@code $connect} at {@code door}: the API is identified as for any request (a regional
     * API's name captured by a VPC endpoint's private DNS reaches an endpoint and gets 403 Forbidden), must be a
     * WEBSOCKET API reached at its stage ({@code /{stage}}, or a custom domain's base path), within the region's
     * new-connection rate (429 beyond it) and accepted by its {@code $connect} authorizer (IAM: SigV4 in the query
     * string or in headers; 403 otherwise).
     */
    Upgrade upgrade(FrontDoor door, Request request) {
        Optional<Identified> identified = door.isVpcEndpoint() ? identifyAtEndpoint(door, request)
                : identifyAtPublicDoor(door, request);
        if (identified.isEmpty() || door.isVpcEndpoint() != identified.get().deployment().api().isPrivate()
                || identified.get().deployment().api().type() != ApiType.WEBSOCKET) {
            return new Refused(withType(Reply.aws("apiNotIdentified"), false));
        }
        if (strict(identified.get()) && !serverNameMatchesHost(request)) {
            return new Refused(withType(Reply.aws("endpointAccessMode.strict"), false));
        }
        Deployment d = identified.get().deployment();
        Optional<Routed> routed = identified.get().customDomain() != null
                ? stageByBasePath(d, identified.get().customDomain().domain().basePath(), request.path())
                : stageByPath(d, request.path());
        if (routed.isEmpty() || !routed.get().resourcePath().equals("/")) {
            return new Refused(withType(Reply.aws("apiNotIdentified"), false));
        }
        if (!connections.admit(d.region().region())) {
            return new Refused(withType(Reply.aws("throttled"), false));
        }
        if (d.api().auth().type() != AuthType.NONE) {
            LabAuthorizers.Outcome outcome = authorizers == null
                    ? new LabAuthorizers.Reject(Reply.aws("missingAuthenticationToken"))
                    : authorizers.check(d.api(), d.region().region(), request.raw());
            if (outcome instanceof LabAuthorizers.Reject reject) {
                return new Refused(withType(reject.reply(), false));
            }
        }
        return new Accepted(d);
    }

    /**
     * A plain HTTPS request to a WebSocket API: the {@code @connections} management API
     * ({@code POST|GET|DELETE /{stage}/@connections/{id}}, SigV4 signed whatever the API's authorizer; 410 Gone for a
     * connection that is not open), else 403 Forbidden.
     */
    private Reply webSocketManagement(Deployment d, Routed routed, Request request) {
        String prefix = "/@connections/";
        String path = routed.resourcePath();
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return withType(Reply.aws("apiNotIdentified"), false);
        }
        LabAuthorizers.Outcome outcome = authorizers == null
                ? new LabAuthorizers.Reject(Reply.aws("missingAuthenticationToken"))
                : authorizers.signature(d.region().region(), request.raw());
        if (outcome instanceof LabAuthorizers.Reject reject) {
            return withType(reject.reply(), false);
        }
        String id = path.substring(prefix.length());
        Optional<WebSocketConnections.Connection> c = connections.find(d.region().id(), id);
        if (c.isEmpty()) {
            return withType(Reply.aws("webSocket.gone"), false);
        }
        return switch (request.method()) {
            case "POST" -> {
                String text = request.raw() == null ? ""
                        : request.raw().content().toString(java.nio.charset.StandardCharsets.UTF_8);
                yield c.get().send(text) ? new Reply(200, "", Map.of(), 0, false)
                        : withType(Reply.aws("webSocket.gone"), false);
            }
            case "GET" -> new Reply(200, c.get().describe(), Map.of(), 0, false);
            case "DELETE" -> {
                connections.close(c.get(),
                        io.netty.handler.codec.http.websocketx.WebSocketCloseStatus.NORMAL_CLOSURE.code(), "");
                yield new Reply(204, "", Map.of(), 0, false);
            }
            default -> withType(Reply.aws("apiNotIdentified"), false);
        };
    }

    /**
     * One request as the front door sees it.
     *
     * @param method    HTTP method
     * @param host      the Host header, possibly with a port, or null
     * @param apiId     the {@code x-apigw-api-id} header, or null
     * @param path      the decoded request path (no query), starting with {@code /}
     * @param requestId the request id given to this request
     * @param raw       the request as received (headers, query and body for the authorizers), or null for none
     * @param serverName the TLS server name (SNI) the connection's client asked for, or null when it sent none
     */
    record Request(String method, String host, String apiId, String path, String requestId, FullHttpRequest raw,
                   String serverName) {

        /** A request without headers beyond Host and the API id, query or body, on a connection without SNI. */
        Request(String method, String host, String apiId, String path, String requestId) {
            this(method, host, apiId, path, requestId, null, null);
        }

        /** A request on a connection without SNI. */
        Request(String method, String host, String apiId, String path, String requestId, FullHttpRequest raw) {
            this(method, host, apiId, path, requestId, raw, null);
        }
    }

    /** How a request reached an API: the deployment, the stage and the path inside the stage. */
    private record Routed(Deployment deployment, String stage, String resourcePath) {
    }

    /** The reply to {@code request} at {@code door}. */
    Reply route(FrontDoor door, Request request) {
        if (isHealthCheck(request)) {
            return new Reply(200, "{\"status\":\"healthy\"}", Map.of(), 0, true);
        }
        Optional<Identified> identified = door.isVpcEndpoint() ? identifyAtEndpoint(door, request)
                : identifyAtPublicDoor(door, request);
        if (identified.isEmpty()) {
            return Reply.aws("apiNotIdentified");
        }
        Deployment d = identified.get().deployment();
        boolean rest = d.api().type() == ApiType.REST;
        if (door.isVpcEndpoint() != d.api().isPrivate()) {
            // a regional API reached through a VPC endpoint (private DNS captured its name), or a private API at the
            // public front door
            return Reply.aws("apiNotIdentified");
        }
        if (strict(identified.get()) && !serverNameMatchesHost(request)) {
            return withType(Reply.aws("endpointAccessMode.strict"), rest);
        }
        RoutingRule rule = identified.get().rule();
        Optional<Routed> routed = rule != null
                ? Optional.of(new Routed(d, d.api().stage(), rule.forwardedPath(request.path())))
                : identified.get().customDomain() != null
                ? stageByBasePath(d, identified.get().customDomain().domain().basePath(), request.path())
                : stageByPath(d, request.path());
        if (d.api().type() == ApiType.WEBSOCKET) {
            return routed.isEmpty() ? withType(Reply.aws("apiNotIdentified"), false)
                    : webSocketManagement(d, routed.get(), request);
        }
        if (routed.isEmpty()) {
            return unknownRoute(rest);
        }
        Optional<String> resource = d.resources().match(routed.get().resourcePath());
        if (resource.isEmpty()) {
            return unknownRoute(rest);
        }
        String principal = null;
        if (d.api().auth().type() != AuthType.NONE) {
            LabAuthorizers.Outcome outcome = authorizers == null
                    ? new LabAuthorizers.Reject(Reply.aws("missingAuthenticationToken"))
                    : authorizers.check(d.api(), d.region().region(), request.raw());
            if (outcome instanceof LabAuthorizers.Reject reject) {
                return withType(reject.reply(), rest);
            }
            principal = ((LabAuthorizers.Pass) outcome).principalArn();
        }
        Reply denied = evaluatePolicies(door, identified.get(), routed.get(), request, principal);
        if (denied != null) {
            return withType(denied, rest);
        }
        SimulatedTarget.Response r = d.target().invoke(new SimulatedTarget.Invocation(routed.get().stage(),
                request.method(), routed.get().resourcePath(), resource.get(), door.vpcEndpoint(), request.requestId()));
        if (faults != null) {
            r = faulted(r, d.api().name(), door.region());
        }
        Map<String, String> headers = r.error() == null ? Map.of() : Reply.aws(r.error()).headers();
        if (r.error() == null && rest && d.api().integration().responseTransferMode() == ResponseTransferMode.STREAM) {
            return new Reply(r.status(), r.body(), headers, r.delayNanos(), true,
                    StreamedAnswer.plan(r.body(), d.api().integration().stream()));
        }
        return new Reply(r.status(), r.body(), headers, r.delayNanos(), rest);
    }

    /** The integration's answer with the ERROR_RATE and LATENCY faults in force for {@code api} in {@code region}. */
    private SimulatedTarget.Response faulted(SimulatedTarget.Response r, String api, String region) {
        long delay = r.delayNanos() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(faults.addedLatencyMs(api, region));
        double rate = faults.errorRate(api, region);
        if (rate > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < rate) {
            return SimulatedTarget.error(delay);
        }
        return new SimulatedTarget.Response(delay, r.status(), r.body(), r.error());
    }

    /**
     * Whether the endpoint access mode that governs this call is STRICT: the custom domain's when a domain named the
     * API, else the API's.
     */
    private static boolean strict(Identified identified) {
        EndpointAccessMode mode = identified.customDomain() != null
                ? identified.customDomain().domain().endpointAccessMode()
                : identified.deployment().api().endpointAccessMode();
        return mode == EndpointAccessMode.STRICT;
    }

    /** STRICT endpoint access mode: the TLS server name is the name the Host header gives (no SNI never matches). */
    private static boolean serverNameMatchesHost(Request request) {
        String host = hostName(request.host());
        return host != null && request.serverName() != null
                && host.equals(request.serverName().toLowerCase(Locale.ROOT));
    }

    /** No stage or resource serves the request: REST APIs answer 403 Missing Authentication Token, HTTP APIs 404. */
    private static Reply unknownRoute(boolean rest) {
        return rest ? Reply.aws("missingAuthenticationToken") : withType(Reply.aws("notFound"), false);
    }

    private static Reply withType(Reply r, boolean rest) {
        return rest ? r : new Reply(r.status(), r.body(), r.headers(), r.delayNanos(), false);
    }

    private static boolean isHealthCheck(Request r) {
        return (r.method().equals("GET") || r.method().equals("HEAD"))
                && (r.path().equals("/ping") || r.path().equals("/sping"));
    }

    /**
     * An identified API, the custom domain that named it (null for execute-api names and the header) and the domain's
     * routing rule that chose the API (null when a base path mapping or no domain did).
     */
    private record Identified(Deployment deployment, DomainMapping customDomain, RoutingRule rule) {

        Identified(Deployment deployment, DomainMapping customDomain) {
            this(deployment, customDomain, null);
        }
    }

    private Optional<Identified> identifyAtEndpoint(FrontDoor door, Request request) {
        if (request.apiId() != null && !request.apiId().isBlank()) {
            return catalog.byId(request.apiId().trim())
                    .filter(d -> d.region().region().equals(door.region()))
                    .map(d -> new Identified(d, null));
        }
        String host = hostName(request.host());
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = EXECUTE_API_HOST.matcher(host);
        if (m.matches()) {
            if (!m.group(3).equals(door.region())) {
                return Optional.empty();
            }
            String vpce = m.group(2);
            return catalog.byId(m.group(1))
                    .filter(d -> d.region().region().equals(door.region()))
                    .filter(d -> vpce == null
                            || (vpce.equals(door.vpcEndpoint()) && d.region().vpcEndpoints().contains(vpce)))
                    .map(d -> new Identified(d, null));
        }
        return byDomain(catalog.byDomain(host).stream()
                .filter(dm -> dm.deployment().region().region().equals(door.region()))
                .filter(dm -> dm.domain().associatedWith(door.vpcEndpoint()))
                .toList(), request);
    }

    /**
     * The API a request on a custom domain goes to, by the domain's routing mode: its routing rules by ascending
     * priority (the first whose conditions all hold), then, unless the mode is ROUTING_RULE_ONLY, its base path
     * mappings; empty when neither picks one.
     */
    private Optional<Identified> byDomain(List<DomainMapping> mappings, Request request) {
        if (mappings.isEmpty()) {
            return Optional.empty();
        }
        DomainMapping domain = mappings.getFirst();
        if (domain.domain().routingMode().usesRules()) {
            Map<String, String> headers = new java.util.HashMap<>();
            if (request.raw() != null) {
                request.raw().headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            }
            Optional<RoutingRule> rule = RoutingRule.firstMatch(domain.domain().routingRules(), headers, request.path());
            if (rule.isPresent()) {
                return catalog.byName(rule.get().api(), domain.deployment().region().region())
                        .map(d -> new Identified(d, domain, rule.get()));
            }
            if (!domain.domain().routingMode().usesMappings()) {
                return Optional.empty();
            }
        }
        return basePathMapping(mappings, request.path());
    }

    /**
     * The base path mapping a request on a custom domain goes to: the one with the longest base path the request path
     * starts with (mappings come longest first), else the first, which then answers for an unknown route.
     */
    private static Optional<Identified> basePathMapping(List<DomainMapping> mappings, String path) {
        for (DomainMapping dm : mappings) {
            String base = dm.domain().basePath();
            if (base.isEmpty() || path.equals("/" + base) || path.startsWith("/" + base + "/")) {
                return Optional.of(new Identified(dm.deployment(), dm));
            }
        }
        return mappings.stream().findFirst().map(dm -> new Identified(dm.deployment(), dm));
    }

    private Optional<Identified> identifyAtPublicDoor(FrontDoor door, Request request) {
        String host = hostName(request.host());
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = EXECUTE_API_HOST.matcher(host);
        if (m.matches()) {
            if (m.group(2) != null || !m.group(3).equals(door.region())) {
                return Optional.empty();
            }
            return catalog.byId(m.group(1))
                    .filter(d -> d.region().region().equals(door.region()))
                    .map(d -> new Identified(d, null));
        }
        return byDomain(catalog.byDomain(host).stream()
                .filter(dm -> dm.deployment().region().region().equals(door.region()))
                .filter(dm -> dm.domain().vpcEndpoint() == null)
                .toList(), request);
    }

    /** The Host header without port and trailing dot, lower case; null when absent or blank. */
    static String hostName(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? null : h;
    }

    /**
     * execute-api names and the API id header: {@code /{stage}/{resource...}}, or the whole path for the
     * {@code $default} stage (a stage segment in front of it is then part of the resource path).
     */
    private static Optional<Routed> stageByPath(Deployment d, String path) {
        if (Api.DEFAULT_STAGE.equals(d.api().stage())) {
            return Optional.of(new Routed(d, Api.DEFAULT_STAGE, path));
        }
        String rest = path.substring(1);
        int slash = rest.indexOf('/');
        String stage = slash < 0 ? rest : rest.substring(0, slash);
        if (!stage.equals(d.api().stage())) {
            return Optional.empty();
        }
        String resourcePath = slash < 0 ? "/" : rest.substring(slash);
        return Optional.of(new Routed(d, stage, resourcePath));
    }

    /** Custom domains: {@code /{basePath}/{resource...}}, or every path when the base path is empty. */
    private static Optional<Routed> stageByBasePath(Deployment d, String basePath, String path) {
        if (basePath.isEmpty()) {
            return Optional.of(new Routed(d, d.api().stage(), path));
        }
        String prefix = "/" + basePath;
        if (path.equals(prefix)) {
            return Optional.of(new Routed(d, d.api().stage(), "/"));
        }
        if (path.startsWith(prefix + "/")) {
            return Optional.of(new Routed(d, d.api().stage(), path.substring(prefix.length())));
        }
        return Optional.empty();
    }

    /**
     * The policy layers in the order API Gateway names them: the VPC endpoint's policy, the private custom domain's
     * policy, the API's resource policy. The first that does not allow the call answers; null when all allow it.
     */
    private Reply evaluatePolicies(FrontDoor door, Identified identified, Routed routed, Request request,
                                   String principal) {
        Deployment d = identified.deployment();
        String apiArn = ResourcePolicy.resourceArn(PolicyParser.apiArn(d.region().region(), account, d.region().id()),
                routed.stage(), request.method(), routed.resourcePath());
        Map<String, String> keys = new LinkedHashMap<>();
        if (door.isVpcEndpoint()) {
            keys.put("aws:SourceVpce", door.vpcEndpoint());
            keys.put("aws:SourceVpc", door.vpc());
        }
        ResourcePolicy endpointPolicy = door.isVpcEndpoint() ? catalog.endpointPolicy(door.vpcEndpoint()) : null;
        if (endpointPolicy != null) {
            Reply r = denial(endpointPolicy.evaluate(RequestContext.invoke(principal, apiArn, keys)), "policy.endpoint",
                    principal, apiArn);
            if (r != null) {
                return r;
            }
        }
        DomainMapping dm = identified.customDomain();
        if (dm != null && dm.domainPolicy() != null) {
            Reply r = denial(dm.domainPolicy().evaluate(RequestContext.invoke(principal, dm.domainArn(), keys)),
                    "policy.domain", principal, dm.domainArn());
            if (r != null) {
                return r;
            }
        }
        if (d.policy() != null) {
            return denial(d.policy().evaluate(RequestContext.invoke(principal, apiArn, keys)), "policy", principal, apiArn);
        }
        return null;
    }

    /** The answer of a policy layer whose decision is not ALLOW, with IAM's message; null when it allows the call. */
    private static Reply denial(Decision decision, String layer, String principal, String resource) {
        if (decision == Decision.ALLOW) {
            return null;
        }
        Map<String, String> values = Map.of("principal", principal == null ? "anonymous" : principal,
                "resource", resource);
        return Reply.aws(layer + (decision == Decision.EXPLICIT_DENY ? ".explicitDeny" : ".implicitDeny"), values);
    }
}
