package io.vpcanary.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.AccessPath;
import io.vpcanary.discover.Account.Authorizer;
import io.vpcanary.discover.Account.Domain;
import io.vpcanary.discover.Account.Endpoint;
import io.vpcanary.discover.Account.HostedZone;
import io.vpcanary.discover.Account.Mapping;
import io.vpcanary.discover.Account.Method;
import io.vpcanary.discover.Account.RecordSet;
import io.vpcanary.discover.Account.RegionInventory;
import io.vpcanary.discover.Account.RestApi;
import io.vpcanary.discover.Account.V2Api;
import io.vpcanary.estate.AccessAssociation;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.Auth;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.EndpointType;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Integration;
import io.vpcanary.estate.IpAddressType;
import io.vpcanary.estate.IntegrationType;
import io.vpcanary.estate.Network;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.Vpc;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.estate.WebSocketCheck;
import io.vpcanary.estate.WebSocketRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what {@link AccountReader} read into an estate: every API with the access paths it really supports from each
 * VPC, its auth, custom domains, routing domains, and a first check per API that discovery chose (a GET without path
 * parameters) for the user to confirm. Rules (docs/discover.md):
 * <ul>
 *   <li>VPCs are those with an execute-api interface endpoint, named by their {@code Name} tag, else their id.</li>
 *   <li>An API is one estate API at one stage (the estate has one stage per API id: {@code prod}, else the first);
 *       the same name and stage in several regions, with the same auth and resource policy, is one API with several
 *       regions.</li>
 *   <li>A private API is checked from each VPC whose endpoint its resource policy admits ({@code aws:SourceVpce},
 *       {@code aws:SourceVpc}; every endpoint of the region when the policy names none): private DNS only where that
 *       endpoint has it on, the Route 53 alias only where the API is associated with it, its custom domain only where
 *       the domain is associated with it.</li>
 *   <li>A routing domain is a private hosted zone record with a set identifier (failover, weighted or latency) whose
 *       target is a VPC endpoint or an API Gateway domain of a region where an API has a custom domain of the
 *       record's name.</li>
 * </ul>
 */
public final class EstateBuilder {

    /** What discovery writes: the estate and the notes on what it could not tell or inferred, one line each. */
    public record Result(Estate estate, List<String> notes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME_CHARS = Pattern.compile("[^a-z0-9_.-]+");
    private static final Pattern EXECUTE_API_REGION = Pattern.compile("execute-api\\.([a-z]{2}(?:-[a-z]+)+-\\d)\\.");
    private static final Pattern VPCE_ID = Pattern.compile("vpce-[0-9a-f]{8,17}");
    private static final Pattern DNS_SUFFIX = Pattern.compile("[a-z0-9]{8}");
    private static final Pattern API_ID = Pattern.compile("[a-z0-9]{10}");

    private final Account account;
    private final List<String> notes = new ArrayList<>();
    private final List<Vpc> vpcs = new ArrayList<>();
    private final List<VpcEndpoint> endpoints = new ArrayList<>();
    private final Map<String, String> endpointRegion = new LinkedHashMap<>();
    private final Map<String, List<String>> endpointDnsNames = new LinkedHashMap<>();

    private EstateBuilder(Account account) {
        this.account = account;
        notes.addAll(account.notes());
    }

    /** The estate of {@code account}. */
    public static Result build(Account account) {
        return new EstateBuilder(account).build();
    }

    private Result build() {
        String owner = account.regions().stream().map(RegionInventory::ownerAccount).filter(Objects::nonNull)
                .findFirst().orElse(null);
        if (owner == null) {
            notes.add("account: no execute-api endpoint names its owner; write the 12-digit account id in 'account'");
            owner = "000000000000";
        }
        network();
        List<Candidate> candidates = new ArrayList<>();
        for (RegionInventory r : account.regions()) {
            for (RestApi a : r.restApis()) {
                stage(r, "REST API", a.name(), a.id(), a.stages())
                        .flatMap(stage -> restCandidate(r, a, stage)).ifPresent(candidates::add);
            }
            for (V2Api a : r.v2Apis()) {
                stage(r, a.protocol() + " API", a.name(), a.id(), a.stages())
                        .flatMap(stage -> v2Candidate(r, a, stage)).ifPresent(candidates::add);
            }
        }
        List<Api> apis = group(candidates);
        List<RoutingDomain> routing = routingDomains(apis);
        Estate estate = new Estate(owner, new Network(vpcs, endpoints), apis, routing, null);
        return new Result(estate, List.copyOf(notes));
    }

    /**
     * The stage an API is monitored at: the estate has one stage per API id, so of several, {@code prod} (or
     * {@code production}, or {@code $default}) else the first by name, the others named in a note.
     */
    private Optional<String> stage(RegionInventory r, String what, String name, String id, List<String> stages) {
        if (stages.isEmpty()) {
            notes.add(r.region() + ": " + what + " " + name + " (" + id + ") has no stage: not written");
            return Optional.empty();
        }
        String chosen = stages.stream().filter(s -> s.equals("prod") || s.equals("production")
                || s.equals(Api.DEFAULT_STAGE)).findFirst().orElse(stages.stream().sorted().findFirst().orElseThrow());
        if (stages.size() > 1) {
            notes.add(r.region() + ": " + what + " " + name + " (" + id + ") has stages " + String.join(", ", stages)
                    + ": the estate monitors one stage per API; written with '" + chosen + "'");
        }
        return Optional.of(chosen);
    }

    // ---- network

    private void network() {
        Set<String> names = new HashSet<>();
        for (RegionInventory r : account.regions()) {
            Set<String> seen = new LinkedHashSet<>();
            for (Endpoint e : r.endpoints()) {
                Optional<String> suffix = dnsSuffix(e);
                if (!VPCE_ID.matcher(e.id()).matches() || suffix.isEmpty()) {
                    notes.add(r.region() + ": endpoint " + e.id() + " has no DNS name of the form {id}-{8 characters}."
                            + "..: not written");
                    continue;
                }
                if (seen.add(e.vpc())) {
                    String tag = r.vpcNames().get(e.vpc());
                    String name = tag == null ? e.vpc() : slug(tag);
                    if (name.isEmpty() || !names.add(name)) {
                        name = name.isEmpty() ? e.vpc() : name + "-" + e.vpc();
                        names.add(name);
                    }
                    vpcs.add(new Vpc(e.vpc(), name, r.region()));
                }
                if (e.zones().isEmpty()) {
                    notes.add(r.region() + ": endpoint " + e.id() + " has no subnet: no zonal names");
                }
                endpoints.add(new VpcEndpoint(e.id(), e.vpc(), suffix.get(), e.privateDns(), e.zones(),
                        endpointPolicy(e), ipType(e.ipAddressType()), ipType(e.dnsRecordIpType())));
                endpointRegion.put(e.id(), r.region());
                endpointDnsNames.put(e.id(), e.dnsNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
            }
        }
    }

    /**
     * The random part of the endpoint's DNS names: the first label of its regional name is {@code {id}-{suffix}}
     * (a zonal name's is {@code {id}-{suffix}-{zone}}).
     */
    static Optional<String> dnsSuffix(Endpoint e) {
        for (String name : e.dnsNames()) {
            String label = name.toLowerCase(Locale.ROOT).split("\\.", 2)[0];
            if (label.startsWith(e.id() + "-")) {
                String rest = label.substring(e.id().length() + 1);
                if (DNS_SUFFIX.matcher(rest).matches()) {
                    return Optional.of(rest);
                }
            }
        }
        return Optional.empty();
    }

    /** The endpoint's policy, or null for AWS's default (one statement allowing everything to everyone). */
    private JsonNode endpointPolicy(Endpoint e) {
        JsonNode p = parsePolicy(e.policy(), "endpoint " + e.id());
        if (p == null) {
            return null;
        }
        JsonNode st = p.path("Statement");
        JsonNode only = st.isArray() && st.size() == 1 ? st.get(0) : st.isObject() ? st : null;
        if (only != null && "Allow".equals(only.path("Effect").asText()) && only.path("Condition").isMissingNode()
                && isStar(only.path("Principal")) && isStar(only.path("Action")) && isStar(only.path("Resource"))) {
            return null;
        }
        return p;
    }

    private static boolean isStar(JsonNode n) {
        if (n.isTextual()) {
            return n.asText().equals("*") || n.asText().equals("execute-api:*");
        }
        if (n.isArray() && n.size() == 1) {
            return isStar(n.get(0));
        }
        return n.isObject() && n.size() == 1 && n.has("AWS") && isStar(n.get("AWS"));
    }

    /**
     * A policy document as API Gateway or EC2 returns it, or null when absent. API Gateway returns a REST API's
     * policy with its quotes escaped ({@code {\"Version\":...}}), which is unescaped first.
     */
    private JsonNode parsePolicy(String text, String what) {
        if (text == null || text.isBlank()) {
            return null;
        }
        for (String t : List.of(text, text.replace("\\\"", "\"").replace("\\/", "/"))) {
            try {
                JsonNode n = JSON.readTree(t);
                if (n.isObject()) {
                    return n;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException tryUnescaped) {
                // next form
            }
        }
        notes.add(what + ": its policy is not JSON: not written");
        return null;
    }

    // ---- APIs

    /** One stage of one API in one region, before regions are grouped. */
    private record Candidate(String name, String stage, ApiType type, EndpointType endpointType,
                             Auth auth, JsonNode policy, List<String> resources, Integration integration,
                             String routeSelection, List<WebSocketRoute> routes, Method check, ApiRegion region,
                             Set<String> allowedEndpoints, IpAddressType ipAddressType) {
    }

    /**
     * EC2's or API Gateway's IP address type ({@code ipv4}, {@code dualstack}, {@code ipv6}) as the estate's; null
     * (the estate's default) when absent or {@code service-defined}, which the estate does not model.
     */
    static IpAddressType ipType(String aws) {
        if (aws == null) {
            return null;
        }
        return switch (aws.toLowerCase(Locale.ROOT)) {
            case "ipv4" -> IpAddressType.IPV4;
            case "dualstack" -> IpAddressType.DUALSTACK;
            case "ipv6" -> IpAddressType.IPV6;
            default -> null;
        };
    }

    private Optional<Candidate> restCandidate(RegionInventory r, RestApi a, String stage) {
        EndpointType et = switch (a.endpointType()) {
            case "PRIVATE" -> EndpointType.PRIVATE;
            case "REGIONAL" -> EndpointType.REGIONAL;
            default -> null;
        };
        if (et == null) {
            notes.add(r.region() + ": REST API " + a.name() + " (" + a.id() + ") is " + a.endpointType()
                    + "-optimized: vpcanary checks PRIVATE and REGIONAL APIs; not written");
            return Optional.empty();
        }
        if (!API_ID.matcher(a.id()).matches()) {
            notes.add(r.region() + ": REST API id '" + a.id() + "' is not 10 letters or digits: not written");
            return Optional.empty();
        }
        JsonNode policy = parsePolicy(a.policy(), r.region() + ": REST API " + a.name());
        if (et == EndpointType.PRIVATE && policy == null) {
            notes.add(r.region() + ": private REST API " + a.name() + " (" + a.id()
                    + ") has no resource policy, so nothing can call it: not written");
            return Optional.empty();
        }
        Method check = firstSafeGet(a.methods()).orElse(null);
        Method authFrom = check != null ? check : a.methods().isEmpty() ? null : a.methods().getFirst();
        Auth auth = authFrom == null ? Auth.NONE : auth("REST API", a.name(), a.authorizers(), authFrom, r.region());
        List<String> resources = a.methods().stream().map(Method::path).distinct().toList();
        Integration integration = authFrom == null ? Integration.DEFAULT : integration(authFrom.integration());
        Set<String> allowed = et == EndpointType.PRIVATE ? allowedEndpoints(policy, r.region()) : Set.of();
        List<String> associated = a.vpcEndpointIds().stream().filter(endpointRegion::containsKey).toList();
        List<String> vpces = new ArrayList<>(associated);
        if (et == EndpointType.PRIVATE && vpces.isEmpty()) {
            if (allowed.isEmpty()) {
                notes.add(r.region() + ": private REST API " + a.name() + " (" + a.id() + ") admits no VPC endpoint"
                        + " of this account: not written");
                return Optional.empty();
            }
            vpces.addAll(allowed);
            notes.add(r.region() + ": private REST API " + a.name() + " is associated with no VPC endpoint: its "
                    + "vpcEndpoints are the endpoints its policy admits, and its checks leave out the Route 53 alias");
        }
        if (et != EndpointType.PRIVATE) {
            vpces.clear();
        } else if (allowed.isEmpty()) {
            notes.add(r.region() + ": private REST API " + a.name() + " (" + a.id() + ") admits no VPC endpoint of this "
                    + "account in its resource policy: no check from a VPC of it is written");
        }
        List<CustomDomain> domains = customDomains(r, a.id(), stage, et, a.name());
        ApiRegion region = new ApiRegion(r.region(), a.id(), vpces, domains);
        return Optional.of(new Candidate(slug(a.name()), stage, ApiType.REST, et, auth, policy,
                resources, integration, null, List.of(), check, region, withAssociated(allowed, associated),
                et == EndpointType.PRIVATE ? null : ipType(a.ipAddressType())));
    }

    /** The admitted endpoints, with the associated ones marked by their order (associated first). */
    private static Set<String> withAssociated(Set<String> allowed, List<String> associated) {
        Set<String> out = new LinkedHashSet<>();
        associated.stream().filter(allowed::contains).forEach(out::add);
        out.addAll(allowed);
        return out;
    }

    private Optional<Candidate> v2Candidate(RegionInventory r, V2Api a, String stage) {
        if (!API_ID.matcher(a.id()).matches()) {
            notes.add(r.region() + ": API id '" + a.id() + "' is not 10 letters or digits: not written");
            return Optional.empty();
        }
        ApiType type = "WEBSOCKET".equals(a.protocol()) ? ApiType.WEBSOCKET : ApiType.HTTP;
        Auth auth;
        Method check;
        List<String> resources;
        List<WebSocketRoute> routes = List.of();
        String selection = null;
        Integration integration;
        if (type == ApiType.WEBSOCKET) {
            Method connect = a.routes().stream().filter(m -> m.path().equals("$connect")).findFirst().orElse(null);
            auth = connect != null && "AWS_IAM".equals(connect.authorizationType()) ? new Auth(AuthType.IAM, null,
                    null, null, null, null, null, null, null, null, null, null) : Auth.NONE;
            if (connect != null && "CUSTOM".equals(connect.authorizationType())) {
                notes.add(r.region() + ": WebSocket API " + a.name() + " authorises $connect with a Lambda authorizer,"
                        + " which the estate does not model: written without auth");
            }
            routes = a.routes().stream().map(Method::path).filter(k -> !k.equals("$connect") && !k.equals("$disconnect"))
                    .map(k -> new WebSocketRoute(k, null, null)).toList();
            selection = a.routeSelectionExpression();
            resources = List.of();
            check = connect; // $connect and close: nothing sent
            Method first = a.routes().stream().filter(m -> m.integration() != null).findFirst().orElse(null);
            integration = first == null ? Integration.DEFAULT : integration(first.integration());
        } else {
            check = firstSafeGet(a.routes()).orElse(null);
            Method authFrom = check != null ? check : a.routes().isEmpty() ? null : a.routes().getFirst();
            auth = authFrom == null ? Auth.NONE : auth("HTTP API", a.name(), a.authorizers(), authFrom, r.region());
            resources = a.routes().stream().map(Method::path).distinct().toList();
            integration = authFrom == null ? Integration.DEFAULT : integration(authFrom.integration());
        }
        List<CustomDomain> domains = customDomains(r, a.id(), stage, EndpointType.REGIONAL, a.name());
        ApiRegion region = new ApiRegion(r.region(), a.id(), List.of(), domains);
        return Optional.of(new Candidate(slug(a.name()), stage, type, EndpointType.REGIONAL,
                auth, null, resources, integration, selection, routes, check, region, Set.of(),
                ipType(a.ipAddressType())));
    }

    /** The first GET (or ANY) without path parameters, shortest path first: the one check discovery writes. */
    static Optional<Method> firstSafeGet(List<Method> methods) {
        return methods.stream()
                .filter(m -> m.path().equals("$default") || ("GET".equals(m.httpMethod()) || "ANY".equals(m.httpMethod()))
                        && !m.path().contains("{"))
                .min(Comparator.comparing((Method m) -> m.path().equals("$default"))
                        .thenComparingInt(m -> m.path().length()).thenComparing(Method::path));
    }

    /**
     * The auth of an API, from the authorizer of the method or route its check calls: IAM; a Cognito (REST) or JWT
     * (HTTP) authorizer, the client id and token endpoint left for the user where AWS does not say them; a Lambda
     * authorizer as a token in an environment variable.
     */
    private Auth auth(String what, String name, List<Authorizer> authorizers, Method m, String region) {
        String type = m.authorizationType() == null ? "NONE" : m.authorizationType();
        Authorizer z = authorizers.stream().filter(x -> x.id().equals(m.authorizerId())).findFirst().orElse(null);
        String env = "VPCANARY_" + slug(name).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String api = region + ": " + what + " " + name;
        return switch (type) {
            case "AWS_IAM" -> new Auth(AuthType.IAM, null, null, null, null, null, null, null, null, null, null, null);
            case "COGNITO_USER_POOLS" -> {
                String issuer = z == null || z.providerArns() == null || z.providerArns().isEmpty() ? null
                        : cognitoIssuer(z.providerArns().getFirst());
                notes.add(api + " uses a Cognito authorizer: give auth.clientId and auth.tokenEndpoint of the app "
                        + "client the canary uses; its secret goes in " + env + "_CLIENT_SECRET");
                yield new Auth(AuthType.COGNITO, issuer, null, m.scopes(), null, null, null, env + "_CLIENT_SECRET",
                        null, null, null, null);
            }
            case "JWT" -> {
                List<String> audiences = z == null ? List.of() : z.audiences();
                notes.add(api + " uses a JWT authorizer: auth.clientId is its first audience (a Cognito app client "
                        + "id); give auth.tokenEndpoint, and the client secret in " + env + "_CLIENT_SECRET");
                yield new Auth(AuthType.JWT, z == null ? null : z.issuer(), audiences, m.scopes(),
                        z == null ? null : header(z.identitySource()), null,
                        audiences.isEmpty() ? null : audiences.getFirst(), env + "_CLIENT_SECRET", null, null, null,
                        null);
            }
            case "CUSTOM" -> {
                notes.add(api + " uses a Lambda authorizer: the canary's token goes in " + env + "_TOKEN");
                yield new Auth(AuthType.TOKEN, null, null, null, z == null ? null : header(z.identitySource()), null,
                        null, null, null, env + "_TOKEN", null, null);
            }
            default -> Auth.NONE;
        };
    }

    /** {@code method.request.header.X} or {@code $request.header.X} to {@code X}; null for Authorization. */
    private static String header(String identitySource) {
        if (identitySource == null) {
            return null;
        }
        String h = identitySource.replaceFirst("^(method\\.request|\\$request)\\.header\\.", "");
        return h.equalsIgnoreCase("Authorization") ? null : h;
    }

    /** {@code arn:aws:cognito-idp:{region}:{account}:userpool/{pool}} to its issuer URL. */
    static String cognitoIssuer(String arn) {
        String[] p = arn.split(":", 6);
        return p.length == 6 && p[5].startsWith("userpool/")
                ? "https://cognito-idp." + p[3] + ".amazonaws.com/" + p[5].substring("userpool/".length()) : null;
    }

    private static Integration integration(Account.Integration in) {
        if (in == null) {
            return Integration.DEFAULT;
        }
        if ("MOCK".equals(in.type())) {
            return new Integration(IntegrationType.MOCK, null, null, null, null, null, null, null, null);
        }
        if (!"VPC_LINK".equals(in.connectionType())) {
            return Integration.DEFAULT;
        }
        String uri = in.uri() == null ? "" : in.uri();
        IntegrationType type = IntegrationType.NLB;
        String target = null;
        Matcher lb = Pattern.compile(":listener/(app|net)/([^/]+)/").matcher(uri);
        if (lb.find()) {
            type = lb.group(1).equals("app") ? IntegrationType.ALB : IntegrationType.NLB;
            target = lb.group(2);
        } else if (uri.contains(":servicediscovery:")) {
            type = IntegrationType.CLOUD_MAP;
            target = uri.substring(uri.lastIndexOf('/') + 1);
        }
        return new Integration(type, in.connectionId(), target, null, null, null, null, null, null);
    }

    /** The endpoints of {@code region} a private API's policy admits (every one when it names none). */
    private Set<String> allowedEndpoints(JsonNode policy, String region) {
        Set<String> vpces = new LinkedHashSet<>();
        Set<String> vpcIds = new LinkedHashSet<>();
        for (JsonNode st : policy.path("Statement").isArray() ? policy.path("Statement") : List.of(policy.path("Statement"))) {
            st.path("Condition").forEach(op -> op.properties().forEach(kv -> {
                List<String> values = new ArrayList<>();
                if (kv.getValue().isArray()) {
                    kv.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(kv.getValue().asText());
                }
                if (kv.getKey().equalsIgnoreCase("aws:SourceVpce")) {
                    vpces.addAll(values);
                } else if (kv.getKey().equalsIgnoreCase("aws:SourceVpc")) {
                    vpcIds.addAll(values);
                }
            }));
        }
        Set<String> out = new LinkedHashSet<>();
        for (VpcEndpoint e : endpoints) {
            if (!endpointRegion.get(e.id()).equals(region)) {
                continue;
            }
            if (vpces.isEmpty() && vpcIds.isEmpty() || vpces.contains(e.id()) || vpcIds.contains(e.vpc())) {
                out.add(e.id());
            }
        }
        return out;
    }

    /** The custom domains of region {@code r} mapped to the API's stage. */
    private List<CustomDomain> customDomains(RegionInventory r, String apiId, String stage, EndpointType et,
                                             String apiName) {
        List<CustomDomain> out = new ArrayList<>();
        for (Domain d : r.domains()) {
            Optional<Mapping> m = d.mappings().stream()
                    .filter(x -> apiId.equals(x.apiId()) && (x.stage() == null || stage.equals(x.stage()))).findFirst();
            if (m.isEmpty()) {
                continue;
            }
            if (et != EndpointType.PRIVATE) {
                if (d.isPrivate()) {
                    continue;
                }
                out.add(new CustomDomain(d.name(), m.get().basePath(), null, null, null, null, null, null, null, null,
                        null, ipType(d.ipAddressType()) == IpAddressType.DUALSTACK ? IpAddressType.DUALSTACK : null));
                continue;
            }
            if (!d.isPrivate()) {
                notes.add(r.region() + ": " + d.name() + " maps to private API " + apiName + " but is not a private"
                        + " domain: not written");
                continue;
            }
            List<String> associated = new ArrayList<>();
            if (r.associations() != null) {
                r.associations().getOrDefault(d.name(), List.of()).stream().filter(endpointRegion::containsKey)
                        .forEach(associated::add);
            } else {
                for (HostedZone z : account.hostedZones()) {
                    for (RecordSet rs : z.records()) {
                        if (rs.name().equalsIgnoreCase(d.name())) {
                            endpointOf(rs).filter(e -> endpointRegion.get(e).equals(r.region()))
                                    .filter(e -> !associated.contains(e)).ifPresent(associated::add);
                        }
                    }
                }
            }
            if (associated.isEmpty()) {
                notes.add(r.region() + ": private domain " + d.name() + " has no access association with a VPC "
                        + "endpoint of this account" + (r.associations() == null ? " (inferred from hosted zone records)"
                        : "") + ": not written");
                continue;
            }
            if (r.associations() == null) {
                notes.add(r.region() + ": private domain " + d.name() + ": access associations inferred from the "
                        + "private hosted zone's records aliasing it to " + String.join(", ", associated));
            }
            JsonNode policy = parsePolicy(d.policy(), r.region() + ": domain " + d.name());
            if (policy == null) {
                notes.add(r.region() + ": private domain " + d.name() + ": no domain policy was returned, so the lab "
                        + "evaluates no domain layer");
            }
            String id = CustomDomain.validDomainNameId(d.domainNameId()) ? d.domainNameId() : null;
            List<AccessAssociation> further = associated.subList(1, associated.size()).stream()
                    .map(e -> new AccessAssociation(e, null)).toList();
            out.add(new CustomDomain(d.name(), m.get().basePath(), associated.getFirst(), null, null, null, id, policy,
                    further, null, null, null));
        }
        return out;
    }

    /** The endpoint a record aliases (or points) to, by its DNS names. */
    private Optional<String> endpointOf(RecordSet rs) {
        String target = rs.aliasTarget() != null ? rs.aliasTarget()
                : rs.values().isEmpty() ? null : rs.values().getFirst();
        if (target == null) {
            return Optional.empty();
        }
        String t = target.toLowerCase(Locale.ROOT).replaceFirst("^dualstack\\.", "");
        return endpointDnsNames.entrySet().stream().filter(e -> e.getValue().contains(t)).map(Map.Entry::getKey)
                .findFirst();
    }

    private List<Api> group(List<Candidate> candidates) {
        Map<String, List<Candidate>> groups = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            groups.computeIfAbsent(c.name() + "\n" + c.stage() + "\n" + c.type() + "\n" + c.endpointType(),
                    k -> new ArrayList<>()).add(c);
        }
        Set<String> names = new HashSet<>();
        List<Api> out = new ArrayList<>();
        for (List<Candidate> g : groups.values()) {
            Candidate first = g.getFirst();
            String name = first.name();
            boolean together = g.stream().allMatch(c -> Objects.equals(c.auth(), first.auth())
                    && Objects.equals(c.policy(), first.policy()))
                    && g.stream().map(c -> c.region().region()).distinct().count() == g.size();
            if (together) {
                out.add(api(unique(name, names), g));
            } else {
                notes.add(name + ": its regions differ in auth or resource policy (or one region has two): one API per"
                        + " region");
                for (Candidate c : g) {
                    out.add(api(unique(name + "-" + c.region().region(), names), List.of(c)));
                }
            }
        }
        return out;
    }

    private static String unique(String name, Set<String> names) {
        String n = name;
        for (int i = 2; !names.add(n) && i < 10_000; i++) {
            n = name + "-" + i;
        }
        return n;
    }

    private Api api(String name, List<Candidate> g) {
        Candidate first = g.getFirst();
        List<ApiRegion> regions = g.stream().map(Candidate::region).toList();
        Set<String> resources = new LinkedHashSet<>();
        g.forEach(c -> resources.addAll(c.resources()));
        List<Check> checks = new ArrayList<>();
        if (first.check() != null) {
            String path = first.check().path().equals("$default") || first.check().path().equals("$connect")
                    ? "/" : first.check().path();
            String checkName = first.type() == ApiType.WEBSOCKET ? "connect"
                    : "get-" + (path.equals("/") ? "root" : slug(path.substring(1).replace('/', '-')));
            WebSocketCheck ws = first.type() == ApiType.WEBSOCKET
                    ? new WebSocketCheck(null, null, 0, null, null, null, null) : null;
            if (first.endpointType() == EndpointType.PRIVATE) {
                for (Candidate c : g) {
                    for (String e : c.allowedEndpoints()) {
                        checks.add(new Check(checkName + "-from-" + vpcName(e), null, path, null, null,
                                accessPaths(c.region(), e), List.of(c.region().region()), vpcName(e), e, null, null,
                                null));
                    }
                }
            } else {
                checks.add(new Check(checkName, null, first.type() == ApiType.WEBSOCKET ? null : path, null, null,
                        null, null, null, null, null, null, ws));
            }
        } else {
            notes.add(name + ": no GET without path parameters: no check written; add one");
        }
        return new Api(name, first.type(), first.endpointType(), first.stage(), first.auth(), regions, first.policy(),
                first.integration(), List.copyOf(resources), checks, null, null, null,
                first.routeSelection() == null || first.routeSelection().equals(Api.DEFAULT_ROUTE_SELECTION)
                        ? null : first.routeSelection(), first.routes(), first.ipAddressType());
    }

    /** The paths a private API really has from endpoint {@code e}. */
    private List<AccessPath> accessPaths(ApiRegion region, String e) {
        VpcEndpoint endpoint = endpoints.stream().filter(x -> x.id().equals(e)).findFirst().orElseThrow();
        List<AccessPath> out = new ArrayList<>();
        if (endpoint.privateDnsEnabled()) {
            out.add(AccessPath.PRIVATE_DNS);
        }
        out.add(AccessPath.VPCE_HOST_HEADER);
        out.add(AccessPath.VPCE_API_ID_HEADER);
        if (region.vpcEndpoints().contains(e) && associatedInAws(region, e)) {
            out.add(AccessPath.ROUTE53_ALIAS);
        }
        if (!region.customDomains().isEmpty() && region.customDomains().getFirst().associatedWith(e)) {
            out.add(AccessPath.CUSTOM_DOMAIN);
        }
        return out;
    }

    private boolean associatedInAws(ApiRegion region, String e) {
        for (RegionInventory r : account.regions()) {
            for (RestApi a : r.restApis()) {
                if (a.id().equals(region.id()) && r.region().equals(region.region())) {
                    return a.vpcEndpointIds().contains(e);
                }
            }
        }
        return false;
    }

    private String vpcName(String endpointId) {
        String vpc = endpoints.stream().filter(x -> x.id().equals(endpointId)).findFirst().orElseThrow().vpc();
        return vpcs.stream().filter(v -> v.id().equals(vpc)).findFirst().orElseThrow().name();
    }

    // ---- routing domains

    private List<RoutingDomain> routingDomains(List<Api> apis) {
        Map<String, List<RoutingRecord>> records = new LinkedHashMap<>();
        Map<String, RoutingPolicy> policies = new LinkedHashMap<>();
        Set<String> incomplete = new HashSet<>();
        for (HostedZone z : account.hostedZones()) {
            for (RecordSet rs : z.records()) {
                if (rs.setIdentifier() == null) {
                    continue;
                }
                RoutingPolicy policy = rs.failover() != null ? RoutingPolicy.FAILOVER
                        : rs.weight() != null ? RoutingPolicy.WEIGHTED : rs.region() != null ? RoutingPolicy.LATENCY : null;
                if (policy == null) {
                    continue;
                }
                String region = endpointOf(rs).map(endpointRegion::get).orElse(null);
                if (region == null) {
                    String target = rs.aliasTarget() != null ? rs.aliasTarget()
                            : rs.values().isEmpty() ? "" : rs.values().getFirst();
                    Matcher m = EXECUTE_API_REGION.matcher(target.toLowerCase(Locale.ROOT) + ".");
                    region = m.find() ? m.group(1) : rs.region();
                }
                String inRegion = region;
                Optional<Api> api = apis.stream().filter(a -> a.region(inRegion).map(ar -> ar.customDomains().stream()
                        .anyMatch(d -> d.domain().equalsIgnoreCase(rs.name()))).orElse(false)).findFirst();
                if (api.isEmpty()) {
                    notes.add("Route 53: " + rs.name() + " record " + rs.setIdentifier() + " points at no API with a "
                            + "custom domain of that name" + (region == null ? "" : " in " + region) + " in the "
                            + "regions read: the routing domain is not written (read every region it spans)");
                    incomplete.add(rs.name());
                    continue;
                }
                if (policies.containsKey(rs.name()) && policies.get(rs.name()) != policy) {
                    notes.add("Route 53: " + rs.name() + " mixes routing policies: the routing domain is not written");
                    incomplete.add(rs.name());
                    continue;
                }
                policies.put(rs.name(), policy);
                records.computeIfAbsent(rs.name(), k -> new ArrayList<>()).add(record(rs, api.get().name(), region));
            }
        }
        List<RoutingDomain> out = new ArrayList<>();
        records.keySet().removeAll(incomplete);
        records.forEach((name, recs) -> {
            RecordSet any = account.hostedZones().stream().flatMap(z -> z.records().stream())
                    .filter(r -> r.name().equals(name) && r.setIdentifier() != null).findFirst().orElseThrow();
            boolean alias = any.aliasTarget() != null;
            out.add(new RoutingDomain(name, policies.get(name), recs, alias ? null : any.ttl(), alias ? null : false));
        });
        return out;
    }

    private RoutingRecord record(RecordSet rs, String api, String region) {
        String role = rs.failover();
        Integer weight = rs.weight() == null ? null : rs.weight().intValue();
        String setId = rs.setIdentifier().equals(api + "-" + region) ? null : rs.setIdentifier();
        Boolean evaluate = Boolean.TRUE.equals(rs.evaluateTargetHealth()) ? true : null;
        String alarm = null;
        RoutingRecord.HealthCheck hc;
        Account.HealthCheck h = rs.healthCheck();
        if (h == null) {
            hc = new RoutingRecord.HealthCheck(RoutingRecord.HealthCheckType.NONE, null, null, null, null, null);
        } else {
            Boolean inverted = Boolean.TRUE.equals(h.inverted()) ? true : null;
            Boolean disabled = Boolean.TRUE.equals(h.disabled()) ? true : null;
            switch (h.type()) {
                case "CLOUDWATCH_METRIC" -> {
                    alarm = h.alarmName();
                    if (alarm == null) {
                        notes.add("Route 53: health check " + h.id() + " of " + rs.name() + " is CLOUDWATCH_METRIC but "
                                + "names no alarm: healthAlarm left to the default");
                    }
                    String insufficient = h.insufficientData() == null || h.insufficientData().equals(
                            RoutingRecord.HealthCheck.DEFAULT_INSUFFICIENT_DATA) ? null : h.insufficientData();
                    hc = inverted == null && disabled == null && insufficient == null ? null
                            : new RoutingRecord.HealthCheck(null, null, null, insufficient, inverted, disabled);
                }
                case "HTTPS" -> hc = new RoutingRecord.HealthCheck(RoutingRecord.HealthCheckType.HTTPS,
                        h.interval() == null || h.interval() == RoutingRecord.HealthCheck.DEFAULT_INTERVAL_SECONDS
                                ? null : h.interval(),
                        h.failureThreshold() == null
                                || h.failureThreshold() == RoutingRecord.HealthCheck.DEFAULT_FAILURE_THRESHOLD
                                ? null : h.failureThreshold(), null, inverted, disabled);
                default -> {
                    notes.add("Route 53: health check " + h.id() + " of " + rs.name() + " is " + h.type()
                            + ", which the estate does not model: written as NONE");
                    hc = new RoutingRecord.HealthCheck(RoutingRecord.HealthCheckType.NONE, null, null, null, null,
                            null);
                }
            }
        }
        return new RoutingRecord(api, region, role, weight, alarm, setId, hc, evaluate);
    }

    /** A name the estate accepts: lowercase letters, digits, '-', '_' and '.', starting with a letter or digit. */
    static String slug(String s) {
        String n = NAME_CHARS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("^[^a-z0-9]+", "")
                .replaceAll("-+$", "");
        return n.length() > 64 ? n.substring(0, 64) : n;
    }
}
