package io.vpcanary.estate;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.AccessPaths;
import io.vpcanary.policy.PolicyException;
import io.vpcanary.policy.PolicyParser;
import io.vpcanary.probe.ErrorClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an estate for everything the type system cannot: the field rules shared with the schema (required fields,
 * formats and ranges of {@link EstateSchema}) and the rules that relate fields to each other (references,
 * duplicates, rules that depend on the API type).
 */
public final class EstateValidator {

    /** A problem at a JSON pointer of the estate document. */
    /** A rule broken at a JSON pointer ({@code /apis/0/stage}), with its one-line message. */
    public record Violation(String pointer, String message) {
    }

    // Formats of fields. EstateSchema.FORMATS says which field has which, for the schema and for fields() below.
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    static final Pattern DOMAIN_NAME_ID = Pattern.compile("[a-z0-9]{8,10}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    static final Pattern VPC_ID = Pattern.compile("vpc-[0-9a-f]{8,17}");
    static final Pattern VPCE_ID = Pattern.compile("vpce-[0-9a-f]{8,17}");
    static final Pattern DNS_SUFFIX = Pattern.compile("[a-z0-9]{8}");
    static final Pattern API_ID = Pattern.compile("[a-z0-9]{10}");
    static final Pattern STAGE = Pattern.compile("\\$default|[A-Za-z0-9_\\-]{1,128}");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");
    static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    static final Pattern METHOD = Pattern.compile("GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS");
    static final Pattern PATH = Pattern.compile("/.*");
    static final Pattern RESOURCE = Pattern.compile("\\$default|/.*");
    static final Pattern CIDR24 = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})\\.0/24");
    static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    static final Pattern ROUTE_SELECTION = Pattern.compile("\\$request\\.body\\.[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");

    /** Whether {@code name} has the form of an AWS region name, such as us-east-1 (what the estate accepts). */
    public static boolean isRegionName(String name) {
        return name != null && REGION.matcher(name).matches();
    }

    private static final String CLOUD_MAP_HTTP_ONLY = "Cloud Map integrations are for HTTP APIs only";

    private final Estate estate;
    private final List<Violation> out = new ArrayList<>();
    private boolean missingRequired;

    private EstateValidator(Estate estate) {
        this.estate = estate;
    }

    static List<Violation> validate(Estate estate) {
        EstateValidator v = new EstateValidator(estate);
        v.run();
        return v.out;
    }

    private void fail(String pointer, String message) {
        out.add(new Violation(pointer, message));
    }

    private boolean require(String pointer, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            fail(pointer, "required field is missing");
            return false;
        }
        return true;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private void run() {
        fields("", estate);
        if (missingRequired) {
            // The rules below relate fields to each other and assume the required ones are there.
            return;
        }
        network();
        apis();
        routing();
        lab();
        load();
    }

    /** Each weight of the {@code load} section names an API (or an API's check) of the estate and is 0 or more. */
    private void load() {
        estate.load().weights().forEach((key, weight) -> {
            String at = "/load/weights/" + key.replace("~", "~0").replace("/", "~1");
            int colon = key.indexOf(':');
            String api = colon < 0 ? key : key.substring(0, colon);
            Optional<Api> a = estate.api(api);
            if (a.isEmpty()) {
                fail(at, "no API named '" + api + "' in apis");
            } else if (colon >= 0 && a.get().checks().stream().noneMatch(c -> c.name().equals(key.substring(colon + 1)))) {
                fail(at, "API '" + api + "' has no check named '" + key.substring(colon + 1) + "'");
            }
            if (weight == null || !(weight >= 0) || Double.isInfinite(weight)) {
                fail(at, "a weight is a number 0 or more");
            }
        });
    }

    /**
     * The rules of {@link EstateSchema} that apply field by field, through the whole model: required fields
     * ({@link EstateSchema#REQUIRED}), string formats ({@link EstateSchema#FORMATS}) and numeric ranges
     * ({@link EstateSchema#RANGES}).
     */
    private void fields(String at, Object node) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                fields(at + "/" + i, list.get(i));
            }
            return;
        }
        if (!(node instanceof Record record)) {
            return;
        }
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c, e);
            }
            String field = at + "/" + c.getName();
            String key = EstateSchema.key(record.getClass(), c.getName());
            if (EstateSchema.isRequired(record.getClass(), c.getName())) {
                if (value instanceof List<?> l && l.isEmpty()) {
                    fail(field, "at least one entry is required");
                    missingRequired = true;
                    continue;
                }
                if (!require(field, value)) {
                    missingRequired = true;
                    continue;
                }
            }
            EstateSchema.Format format = EstateSchema.FORMATS.get(key);
            if (format != null && value instanceof String s && !format.pattern().matcher(s).matches()) {
                fail(field, "'" + s + "' is not " + format.what());
            } else if (format != null && value instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    if (l.get(i) instanceof String s && !format.pattern().matcher(s).matches()) {
                        fail(field + "/" + i, "'" + s + "' is not " + format.what());
                    }
                }
            }
            EstateSchema.Range range = EstateSchema.RANGES.get(key);
            if (range != null && value instanceof Number n && !range.contains(n)) {
                fail(field, range.message());
            }
            fields(field, value);
        }
    }

    /** Whether network interfaces of {@code interfaces} can carry DNS records of {@code records}. */
    private static boolean supports(IpAddressType interfaces, IpAddressType records) {
        return interfaces == IpAddressType.DUALSTACK || interfaces == records;
    }

    private void network() {
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < estate.network().vpcs().size(); i++) {
            Vpc v = estate.network().vpcs().get(i);
            String at = "/network/vpcs/" + i;
            if (v.id() != null && !ids.add(v.id())) {
                fail(at + "/id", "duplicate VPC id '" + v.id() + "'");
            }
            if (v.name() != null && !names.add(v.name())) {
                fail(at + "/name", "duplicate VPC name '" + v.name() + "'");
            }
            if (Estate.ON_PREMISES.equals(v.name())) {
                fail(at + "/name", "'" + Estate.ON_PREMISES + "' is reserved for the vantage point outside every VPC");
            }
        }
        Set<String> endpointIds = new HashSet<>();
        for (int i = 0; i < estate.network().vpcEndpoints().size(); i++) {
            VpcEndpoint e = estate.network().vpcEndpoints().get(i);
            String at = "/network/vpcEndpoints/" + i;
            if (e.id() != null && !endpointIds.add(e.id())) {
                fail(at + "/id", "duplicate VPC endpoint id '" + e.id() + "'");
            }
            if (present(e.vpc())) {
                var vpc = estate.network().vpc(e.vpc());
                if (vpc.isEmpty()) {
                    fail(at + "/vpc", "no VPC with id '" + e.vpc() + "' in network.vpcs");
                } else {
                    for (int z = 0; z < e.zones().size(); z++) {
                        String zone = e.zones().get(z);
                        if (zone == null || !zone.matches(Pattern.quote(vpc.get().region()) + "[a-z]")) {
                            fail(at + "/zones/" + z, "'" + zone + "' is not an availability zone of " + vpc.get().region());
                        }
                    }
                }
            }
            if (!supports(e.ipAddressType(), e.dnsRecordIpType())) {
                fail(at + "/dnsRecordIpType", "an endpoint of ipAddressType " + e.ipAddressType()
                        + " cannot have " + e.dnsRecordIpType() + " DNS records: the records' IP versions must be"
                        + " among its network interfaces'");
            }
            if (e.policy() != null && !e.policy().isNull()) {
                try {
                    PolicyParser.parseEndpointPolicy(e.policy());
                } catch (PolicyException ex) {
                    fail(at + "/policy" + ex.pointer(), ex.problem());
                }
            }
        }
        Map<String, Long> privateDnsPerVpc = new java.util.HashMap<>();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            if (e.privateDnsEnabled() && e.vpc() != null) {
                privateDnsPerVpc.merge(e.vpc(), 1L, Long::sum);
            }
        }
        for (int i = 0; i < estate.network().vpcEndpoints().size(); i++) {
            VpcEndpoint e = estate.network().vpcEndpoints().get(i);
            if (e.privateDnsEnabled() && privateDnsPerVpc.getOrDefault(e.vpc(), 0L) > 1) {
                fail("/network/vpcEndpoints/" + i + "/privateDns",
                        "VPC '" + e.vpc() + "' has more than one execute-api endpoint with private DNS enabled");
                break;
            }
        }
    }

    /** The first base path mapping of each domain in each region ("{region} {domain}"), where it was given. */
    private record FirstMapping(String at, CustomDomain domain) {
    }

    /**
     * A domain may map several APIs (one base path each); what belongs to the domain itself (its access associations,
     * policy, id, access mode and TLS policy) is then the same in each mapping.
     */
    private void baseMapping(String at, CustomDomain d, String region, Map<String, FirstMapping> mappings) {
        if (d.domain() == null) {
            return;
        }
        FirstMapping first = mappings.putIfAbsent(region + " " + d.domain(), new FirstMapping(at, d));
        if (first == null) {
            return;
        }
        if (first.domain().basePath().equals(d.basePath())) {
            fail(at + "/basePath", "domain '" + d.domain() + "' in " + region + " already maps base path '"
                    + d.basePath() + "' at " + first.at());
        } else if (!sameDomainSettings(first.domain(), d)) {
            fail(at, "domain '" + d.domain() + "' in " + region + " is also mapped at " + first.at()
                    + " with other domain settings (vpcEndpoint, hostedZoneVpcs, accessAssociations, policy,"
                    + " domainNameId, endpointAccessMode, securityPolicy, routingMode, routingRules, ipAddressType must be the"
                    + " same in each"
                    + " base path mapping)");
        }
    }

    private static boolean sameDomainSettings(CustomDomain a, CustomDomain b) {
        return a.routingMode() == b.routingMode() && a.routingRules().equals(b.routingRules())
                && java.util.Objects.equals(a.vpcEndpoint(), b.vpcEndpoint()) && a.hostedZoneVpcs().equals(b.hostedZoneVpcs())
                && a.accessAssociations().equals(b.accessAssociations()) && java.util.Objects.equals(a.policy(), b.policy())
                && java.util.Objects.equals(a.domainNameId(), b.domainNameId())
                && a.endpointAccessMode() == b.endpointAccessMode() && a.securityPolicy() == b.securityPolicy()
                && a.ipAddressType() == b.ipAddressType();
    }

    private void apis() {
        Map<String, FirstMapping> mappings = new java.util.HashMap<>();
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < estate.apis().size(); i++) {
            Api api = estate.apis().get(i);
            String at = "/apis/" + i;
            if (api == null) {
                fail(at, "empty API entry");
                continue;
            }
            if (api.name() != null && !names.add(api.name())) {
                fail(at + "/name", "duplicate API name '" + api.name() + "'");
            }
            if (api.endpointType() == EndpointType.PRIVATE && api.type() != null && api.type() != ApiType.REST) {
                fail(at + "/endpointType", "only REST APIs can be PRIVATE; " + api.type() + " APIs are REGIONAL");
            }
            if (api.ipAddressType() == IpAddressType.IPV6) {
                fail(at + "/ipAddressType", "an API is IPV4 or DUALSTACK; IPV6 alone is for VPC endpoints");
            } else if (api.isPrivate() && api.ipAddressType() != IpAddressType.DUALSTACK) {
                fail(at + "/ipAddressType", "a PRIVATE API can only be DUALSTACK (API Gateway refuses ipv4 for the"
                        + " PRIVATE endpoint type); its VPC endpoints decide whether clients reach it over IPv6");
            }
            Set<String> regions = new HashSet<>();
            for (int r = 0; r < api.regions().size(); r++) {
                ApiRegion ar = api.regions().get(r);
                String rat = at + "/regions/" + r;
                if (ar.region() != null && !regions.add(ar.region())) {
                    fail(rat + "/region", "region '" + ar.region() + "' is listed twice");
                }
                if (ar.id() != null && !ids.add(ar.id())) {
                    fail(rat + "/id", "API id '" + ar.id() + "' is used twice");
                }
                if (!api.isPrivate() && !ar.vpcEndpoints().isEmpty()) {
                    fail(rat + "/vpcEndpoints", "only PRIVATE APIs are associated with VPC endpoints");
                }
                if (api.isPrivate() && ar.vpcEndpoints().isEmpty()) {
                    fail(rat + "/vpcEndpoints", "a PRIVATE API needs at least one VPC endpoint to be reached through");
                }
                for (int e = 0; e < ar.vpcEndpoints().size(); e++) {
                    endpointInRegion(rat + "/vpcEndpoints/" + e, ar.vpcEndpoints().get(e), ar.region());
                }
                for (int d = 0; d < ar.customDomains().size(); d++) {
                    customDomain(rat + "/customDomains/" + d, ar.customDomains().get(d), api, ar);
                    baseMapping(rat + "/customDomains/" + d, ar.customDomains().get(d), ar.region(), mappings);
                }
            }
            if (api.isPrivate()) {
                if (api.resourcePolicy() == null || api.resourcePolicy().isNull()) {
                    fail(at + "/resourcePolicy", "a PRIVATE API must have a resource policy");
                }
            }
            if (api.resourcePolicy() != null && !api.resourcePolicy().isNull()) {
                policy(at + "/resourcePolicy", api.resourcePolicy(), api);
            }
            auth(at + "/auth", api.auth());
            integration(at + "/integration", api.integration(), api.type());
            if (Api.DEFAULT_STAGE.equals(api.stage()) && api.type() == ApiType.REST) {
                fail(at + "/stage", "only HTTP and WebSocket APIs have the " + Api.DEFAULT_STAGE
                        + " stage; a REST API's stages are named, such as prod");
            }
            for (int r = 0; r < api.resources().size(); r++) {
                String res = api.resources().get(r);
                if (res == null) {
                    fail(at + "/resources/" + r, "a resource path starts with '/'");
                } else if (res.equals("/ping") || res.equals("/sping")) {
                    fail(at + "/resources/" + r, res + " is reserved for the API Gateway health check");
                } else if (res.equals(ResourceMatcher.DEFAULT_ROUTE) && api.type() != ApiType.HTTP) {
                    fail(at + "/resources/" + r, ResourceMatcher.DEFAULT_ROUTE + " is an HTTP API route; a "
                            + api.type() + " API lists resource paths");
                }
            }
            webSocketRoutes(at, api);
            Set<String> checkNames = new HashSet<>();
            for (int c = 0; c < api.checks().size(); c++) {
                check(at + "/checks/" + c, api.checks().get(c), api, checkNames);
            }
            Alarms alarms = api.alarms().orDefaults();
            if (api.alarms().datapointsToAlarm() != null && alarms.datapointsToAlarm() > alarms.periods()) {
                fail(at + "/alarms/datapointsToAlarm", "datapointsToAlarm (" + alarms.datapointsToAlarm()
                        + ") cannot exceed the periods evaluated (" + alarms.periods() + ")");
            }
        }
    }

    /** A WebSocket API's selection expression and route keys; no other API type has either. */
    private void webSocketRoutes(String at, Api api) {
        if (api.type() != ApiType.WEBSOCKET) {
            if (api.routeSelectionExpression() != null) {
                fail(at + "/routeSelectionExpression", "only WEBSOCKET APIs have a route selection expression");
            }
            if (!api.routes().isEmpty()) {
                fail(at + "/routes", "only WEBSOCKET APIs have routes; a " + api.type() + " API lists resources");
            }
            return;
        }
        if (api.auth().type() != AuthType.NONE && api.auth().type() != AuthType.IAM) {
            fail(at + "/auth/type", "a WEBSOCKET API authorises $connect with IAM or NONE here (Lambda REQUEST "
                    + "authorizers are not modelled), not " + api.auth().type());
        }
        if (!ROUTE_SELECTION.matcher(api.routeSelectionExpression()).matches()) {
            fail(at + "/routeSelectionExpression", "'" + api.routeSelectionExpression()
                    + "' is not $request.body.{field}, such as " + Api.DEFAULT_ROUTE_SELECTION);
        }
        Set<String> keys = new HashSet<>();
        for (int r = 0; r < api.routes().size(); r++) {
            WebSocketRoute route = api.routes().get(r);
            String rat = at + "/routes/" + r;
            if (route == null || route.key() == null || route.key().isBlank()) {
                fail(rat + "/key", "a route needs a key, such as echo or " + WebSocketRoute.DEFAULT_ROUTE);
                continue;
            }
            if (route.key().equals("$connect") || route.key().equals("$disconnect")) {
                fail(rat + "/key", route.key() + " is not a message route (the auth: section governs $connect)");
            } else if (!keys.add(route.key())) {
                fail(rat + "/key", "route '" + route.key() + "' is listed twice");
            }
            if (route.delayMs() < 0) {
                fail(rat + "/delayMs", "delayMs must be 0 or more");
            }
        }
    }

    private void endpointInRegion(String at, String id, String region) {
        var e = estate.network().endpoint(id);
        if (e.isEmpty()) {
            fail(at, "no VPC endpoint with id '" + id + "' in network.vpcEndpoints");
        } else if (region != null && estate.network().vpc(e.get().vpc()).map(v -> !v.region().equals(region)).orElse(false)) {
            fail(at, "VPC endpoint '" + id + "' is not in " + region);
        }
    }

    /**
     * A check sent only through CUSTOM_DOMAIN, to a domain whose routing rules pick another API for the check's headers
     * and path (in its first region): that API and the path it sees. Empty when the API's own mapping serves it.
     */
    private Optional<Map.Entry<Api, String>> ruleTarget(Api api, Check c, String path) {
        if (!c.accessPaths().equals(List.of(AccessPath.CUSTOM_DOMAIN)) || api.regions().isEmpty()) {
            return Optional.empty();
        }
        ApiRegion region = api.regions().getFirst();
        if (region.customDomains().isEmpty() || !region.customDomains().getFirst().routingMode().usesRules()) {
            return Optional.empty();
        }
        Map<String, String> headers = new java.util.HashMap<>();
        c.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return RoutingRule.firstMatch(region.customDomains().getFirst().routingRules(), headers, path)
                .flatMap(r -> estate.api(r.api()).map(a -> Map.entry(a, r.forwardedPath(path))));
    }

    /** At most two header conditions and one base path condition; priorities unique; each action an API of the region. */
    private void routingRules(String at, CustomDomain d, Api api, ApiRegion ar) {
        if (!d.routingRules().isEmpty() && api.type() != null && api.type() != ApiType.REST) {
            fail(at + "/routingRules", "routing rules route REST APIs only (API Gateway, June 2025)");
            return;
        }
        if (d.routingMode().usesRules() && d.routingRules().isEmpty()) {
            fail(at + "/routingMode", d.routingMode() + " needs routingRules");
        }
        Set<Integer> priorities = new HashSet<>();
        for (int i = 0; i < d.routingRules().size(); i++) {
            RoutingRule r = d.routingRules().get(i);
            String rat = at + "/routingRules/" + i;
            if (r == null) {
                fail(rat, "empty routing rule");
                continue;
            }
            if (r.priority() != null && !priorities.add(r.priority())) {
                fail(rat + "/priority", "priority " + r.priority() + " is used by another rule of '" + d.domain() + "'");
            }
            if (r.headers().size() > 2) {
                fail(rat + "/headers", "a routing rule has at most 2 header conditions, not " + r.headers().size());
            }
            for (int h = 0; h < r.headers().size(); h++) {
                RoutingRule.HeaderMatch m = r.headers().get(h);
                String glob = m == null ? null : m.valueGlob();
                if (glob != null && glob.length() > 1 && glob.substring(1, glob.length() - 1).contains("*")) {
                    fail(rat + "/headers/" + h + "/valueGlob", "a value glob has '*' only at its start or end, not '"
                            + glob + "'");
                }
            }
            if (r.api() == null || ar.region() == null) {
                continue;
            }
            Optional<Api> target = estate.api(r.api());
            Optional<ApiRegion> there = target.flatMap(t -> t.region(ar.region()));
            if (there.isEmpty()) {
                fail(rat + "/api", "no API '" + r.api() + "' in " + ar.region());
            } else if (target.get().type() != ApiType.REST || target.get().isPrivate() != api.isPrivate()) {
                fail(rat + "/api", "API '" + r.api() + "' must be a " + (api.isPrivate() ? "PRIVATE" : "REGIONAL")
                        + " REST API, as the domain's");
            } else if (r.stage() != null && !r.stage().equals(target.get().stage())) {
                fail(rat + "/stage", "API '" + r.api() + "' has stage '" + target.get().stage() + "', not '"
                        + r.stage() + "'");
            }
        }
    }

    private void customDomain(String at, CustomDomain d, Api api, ApiRegion ar) {
        routingRules(at, d, api, ar);
        if (d.ipAddressType() == IpAddressType.IPV6) {
            fail(at + "/ipAddressType", "a custom domain name is IPV4 or DUALSTACK; IPV6 alone is for VPC endpoints");
        } else if (api.isPrivate() && d.ipAddressType() != null) {
            fail(at + "/ipAddressType", "a private custom domain name is reached as its VPC endpoints'"
                    + " dnsRecordIpType says; ipAddressType is for regional custom domain names");
        }
        if (api.isPrivate()) {
            if (require(at + "/vpcEndpoint", d.vpcEndpoint())) {
                endpointInRegion(at + "/vpcEndpoint", d.vpcEndpoint(), ar.region());
            }
            hostedZoneVpcs(at + "/hostedZoneVpcs", d.hostedZoneVpcs());
            Set<String> associated = new HashSet<>();
            if (d.vpcEndpoint() != null) {
                associated.add(d.vpcEndpoint());
            }
            for (int a = 0; a < d.accessAssociations().size(); a++) {
                AccessAssociation as = d.accessAssociations().get(a);
                String aat = at + "/accessAssociations/" + a;
                if (as == null) {
                    fail(aat, "empty access association");
                    continue;
                }
                if (require(aat + "/vpcEndpoint", as.vpcEndpoint())) {
                    endpointInRegion(aat + "/vpcEndpoint", as.vpcEndpoint(), ar.region());
                    if (!associated.add(as.vpcEndpoint())) {
                        fail(aat + "/vpcEndpoint", "VPC endpoint '" + as.vpcEndpoint() + "' is already associated with '"
                                + d.domain() + "'");
                    }
                }
                hostedZoneVpcs(aat + "/hostedZoneVpcs", as.hostedZoneVpcs());
            }
            if (d.policy() != null && !d.policy().isNull() && d.domain() != null && ar.region() != null
                    && estate.account() != null) {
                try {
                    PolicyParser.parseDomainPolicy(d.policy(), d.executeApiArn(ar.region(), estate.account()));
                } catch (PolicyException e) {
                    fail(at + "/policy" + e.pointer(), e.problem());
                }
            }
        } else {
            if (!d.accessAssociations().isEmpty()) {
                fail(at + "/accessAssociations", "only private custom domains have domain name access associations");
            }
            if (d.policy() != null && !d.policy().isNull()) {
                fail(at + "/policy", "only private custom domains have their own execute-api policy");
            }
            if (d.domainNameId() != null) {
                fail(at + "/domainNameId", "only private custom domains have a domainNameId");
            }
            if (d.vpcEndpoint() != null) {
                fail(at + "/vpcEndpoint", "only private custom domains are associated with a VPC endpoint");
            }
            if (!d.hostedZoneVpcs().isEmpty()) {
                fail(at + "/hostedZoneVpcs", "only private custom domains live in a private hosted zone");
            }
        }
    }

    private void hostedZoneVpcs(String at, List<String> vpcs) {
        for (int v = 0; v < vpcs.size(); v++) {
            String vpc = vpcs.get(v);
            if (estate.network().vpc(vpc).isEmpty()) {
                fail(at + "/" + v, "no VPC with id '" + vpc + "' in network.vpcs");
            }
        }
    }

    /**
     * The resource policy, parsed by {@link PolicyParser}, the parser the lab uses: what it refuses is refused here,
     * at its first problem, with the same message.
     */
    private void policy(String at, JsonNode policy, Api api) {
        ApiRegion first = api.regions().getFirst();
        try {
            PolicyParser.parse(policy, PolicyParser.apiArn(first.region(), estate.account(), first.id()));
        } catch (PolicyException e) {
            fail(at + e.pointer(), e.problem());
        }
    }

    /** Each secret comes from one source: an environment variable or a reference (whose format is a FORMAT). */
    private void auth(String at, Auth auth) {
        if (present(auth.clientSecretEnv()) && auth.clientSecretRef() != null) {
            fail(at + "/clientSecretRef", "give the client secret once: clientSecretEnv or clientSecretRef, not both");
        }
        if (present(auth.tokenEnv()) && auth.tokenRef() != null) {
            fail(at + "/tokenRef", "give the token once: tokenEnv or tokenRef, not both");
        }
        if (auth.signing() == Signing.SIGV4A && auth.type() != AuthType.IAM) {
            fail(at + "/signing", "signing applies to IAM auth only; this API's auth is " + auth.type());
        }
    }

    private void integration(String at, Integration in, ApiType apiType) {
        if (in.responseTransferMode() == ResponseTransferMode.STREAM) {
            if (apiType != null && apiType != ApiType.REST) {
                fail(at + "/responseTransferMode", "response streaming is for REST APIs only");
            } else if (in.type() == IntegrationType.MOCK) {
                fail(at + "/responseTransferMode", "response streaming needs a proxy integration (NLB or ALB), not MOCK");
            }
        }
        if (apiType != null && apiType != ApiType.HTTP && in.type() == IntegrationType.CLOUD_MAP) {
            fail(at + "/type", CLOUD_MAP_HTTP_ONLY + "; a " + apiType + " API's private integration reaches an NLB"
                    + (apiType == ApiType.REST ? " or an ALB" : "") + " through a VPC link");
        }
        if (in.stagePrefix() != null && (apiType != ApiType.REST || in.type() != IntegrationType.ALB)) {
            fail(at + "/stagePrefix", "stagePrefix applies to a REST API's ALB integration only (API Gateway "
                    + "prepends the stage to the backend path there); this is a " + apiType + " API's "
                    + in.type() + " integration");
        }
        if (in.latency() != null) {
            latency(at + "/latency", in.latency());
        }
        for (int i = 0; i < in.routes().size(); i++) {
            IntegrationRoute r = in.routes().get(i);
            if (r == null || r.path() == null || !r.path().startsWith("/")) {
                fail(at + "/routes/" + i + "/path", "a route needs a path starting with /");
            } else if (r.path().indexOf('*') >= 0 && !(r.path().endsWith("/*") && r.path().indexOf('*') == r.path().length() - 1)) {
                fail(at + "/routes/" + i + "/path", "only a trailing /* is allowed as a wildcard, got '" + r.path() + "'");
            }
            if (r != null && apiType != null && apiType != ApiType.HTTP && r.type() == IntegrationType.CLOUD_MAP) {
                fail(at + "/routes/" + i + "/type", CLOUD_MAP_HTTP_ONLY + "; a " + apiType + " API cannot route to one");
            }
            if (r != null && (r.target() == null || r.target().isBlank())) {
                fail(at + "/routes/" + i + "/target", "a route needs a target");
            }
        }
    }

    private void latency(String at, Latency l) {
        if (l.p99Ms() < l.medianMs()) {
            fail(at + "/p99Ms", "p99Ms must be at least medianMs");
        }
    }

    private void check(String at, Check c, Api api, Set<String> names) {
        if (c == null) {
            fail(at, "empty check entry");
            return;
        }
        if (c.name() != null && !names.add(c.name())) {
            fail(at + "/name", "duplicate check name '" + c.name() + "' in API '" + api.name() + "'");
        }
        Set<AccessPath> supported = AccessPaths.supported(api);
        for (int i = 0; i < c.accessPaths().size(); i++) {
            AccessPath p = c.accessPaths().get(i);
            if (p == null) {
                fail(at + "/accessPaths/" + i, "empty access path");
            } else if (!supported.contains(p)) {
                fail(at + "/accessPaths/" + i, p + " does not apply to " + api.endpointType() + " API '" + api.name()
                        + "' (it supports " + supported + ")");
            }
        }
        for (int i = 0; i < c.regions().size(); i++) {
            String r = c.regions().get(i);
            if (api.region(r).isEmpty()) {
                fail(at + "/regions/" + i, "API '" + api.name() + "' is not deployed in '" + r + "'");
            }
        }
        if (c.from() != null && !estate.vantagePoints().contains(c.from())) {
            fail(at + "/from", "'" + c.from() + "' is neither a VPC name of network.vpcs nor " + Estate.ON_PREMISES);
        }
        if (c.vpcEndpoint() != null && estate.network().endpoint(c.vpcEndpoint()).isEmpty()) {
            fail(at + "/vpcEndpoint", "no VPC endpoint with id '" + c.vpcEndpoint() + "' in network.vpcEndpoints");
        }
        if (c.omitApiHeader()) {
            List<AccessPath> paths = c.accessPaths().isEmpty() ? List.copyOf(supported) : c.accessPaths();
            if (paths.stream().anyMatch(p -> p != null && !p.usesEndpointHostname())) {
                fail(at + "/omitApiHeader", "omitApiHeader applies only to VPCE_HOST_HEADER and VPCE_API_ID_HEADER; list accessPaths");
            }
        }
        if (!expectsUnknownRoute(c.expect())) {
            String path = c.path().contains("?") ? c.path().substring(0, c.path().indexOf('?')) : c.path();
            Api served = ruleTarget(api, c, path).map(Map.Entry::getKey).orElse(api);
            String servedPath = ruleTarget(api, c, path).map(Map.Entry::getValue).orElse(path);
            if (!served.resources().isEmpty() && new ResourceMatcher(served.resources()).match(servedPath).isEmpty()) {
                fail(at + "/path", "'" + c.path() + "' matches none of the " + (served == api ? "API's"
                        : "resources of API '" + served.name() + "', which the domain's routing rule picks:")
                        + (served == api ? " resources " : " ") + served.resources()
                        + " (a check of an unknown route expects errorClass " + ErrorClass.FORBIDDEN + " or "
                        + ErrorClass.HTTP_4XX + ", or status 403 or 404)");
            }
        }
        webSocketCheck(at + "/webSocket", c, api);
        for (var h : c.headers().entrySet()) {
            if (!HEADER_NAME.matcher(h.getKey()).matches()) {
                fail(at + "/headers/" + h.getKey(), "'" + h.getKey() + "' is not a valid header name");
            }
            if (h.getValue() == null || h.getValue().chars().anyMatch(ch -> ch == '\r' || ch == '\n')) {
                fail(at + "/headers/" + h.getKey(), "a header value is a single line of text");
            }
        }
    }

    /** A check's {@code webSocket} settings: on WEBSOCKET APIs only, naming routes the API has when it lists routes. */
    private void webSocketCheck(String at, Check c, Api api) {
        WebSocketCheck ws = c.webSocket();
        if (ws == null) {
            return;
        }
        if (api.type() != ApiType.WEBSOCKET) {
            fail(at, "only checks of WEBSOCKET APIs exchange WebSocket messages");
            return;
        }
        if (ws.messages() < 0 || ws.messages() > 1000) {
            fail(at + "/messages", "messages must be 0 to 1000");
        }
        if (ws.messageBytes() != null && ws.messageBytes() < 1) {
            fail(at + "/messageBytes", "messageBytes must be at least 1");
        }
        if (!api.routes().isEmpty()) {
            if (ws.route() != null && api.route(ws.route()).isEmpty()) {
                fail(at + "/route", "API '" + api.name() + "' has no route '" + ws.route() + "' (its routes: "
                        + api.routes().stream().map(WebSocketRoute::key).toList() + ")");
            }
            if (ws.push() && api.route(ws.connectionIdRoute()).isEmpty()) {
                fail(at + "/connectionIdRoute", "API '" + api.name() + "' has no route '" + ws.connectionIdRoute()
                        + "' to learn the connection id from");
            }
        }
    }

    /**
     * Whether a check expects the answer API Gateway gives an unknown route (403 Missing Authentication Token from a
     * REST API, 404 Not Found from an HTTP API): errorClass FORBIDDEN or HTTP_4XX, or without an errorClass status 403
     * or 404. Such a check may name a path outside the API's resources; every other check, negative or not, may not.
     */
    private static boolean expectsUnknownRoute(Expectation e) {
        if (e.errorClass() != null) {
            return e.errorClass() == ErrorClass.FORBIDDEN || e.errorClass() == ErrorClass.HTTP_4XX;
        }
        return Integer.valueOf(403).equals(e.status()) || Integer.valueOf(404).equals(e.status());
    }

    private void routing() {
        // one health alarm per API region: a name stands for one API region, an API region has one name
        Map<String, String> alarmOf = new java.util.HashMap<>();
        Map<String, String> apiRegionOf = new java.util.HashMap<>();
        for (int i = 0; i < estate.routingDomains().size(); i++) {
            RoutingDomain d = estate.routingDomains().get(i);
            String at = "/routingDomains/" + i;
            Set<String> setIds = new HashSet<>();
            Set<String> roles = new HashSet<>();
            Set<String> latencyRegions = new HashSet<>();
            for (int r = 0; r < d.records().size(); r++) {
                RoutingRecord rec = d.records().get(r);
                String rat = at + "/records/" + r;
                if (present(rec.api())) {
                    var api = estate.api(rec.api());
                    if (api.isEmpty()) {
                        fail(rat + "/api", "no API named '" + rec.api() + "'");
                    } else if (present(rec.region()) && api.get().region(rec.region()).isEmpty()) {
                        fail(rat + "/region", "API '" + rec.api() + "' is not deployed in '" + rec.region() + "'");
                    }
                }
                if (present(rec.healthAlarm())) {
                    String apiRegion = rec.api() + " in " + rec.region();
                    String other = alarmOf.putIfAbsent(apiRegion, rec.healthAlarm());
                    String otherApiRegion = apiRegionOf.putIfAbsent(rec.healthAlarm(), apiRegion);
                    if (other != null && !other.equals(rec.healthAlarm())) {
                        fail(rat + "/healthAlarm", "API " + apiRegion + " already follows health alarm '" + other
                                + "': one health alarm per API region");
                    } else if (otherApiRegion != null && !otherApiRegion.equals(apiRegion)) {
                        fail(rat + "/healthAlarm", "health alarm '" + rec.healthAlarm() + "' already stands for API "
                                + otherApiRegion);
                    }
                }
                if (d.policy() == RoutingPolicy.FAILOVER && !("PRIMARY".equals(rec.role()) || "SECONDARY".equals(rec.role()))) {
                    fail(rat + "/role", "a FAILOVER record has role PRIMARY or SECONDARY");
                }
                if (d.policy() == RoutingPolicy.WEIGHTED && rec.weight() == null) {
                    fail(rat + "/weight", "a WEIGHTED record has a weight from 0 to 255");
                }
                healthCheck(rat + "/healthCheck", rec.healthCheck());
                if (!setIds.add(rec.setId())) {
                    fail(rat + "/setIdentifier", "set identifier '" + rec.setId() + "' is used twice in "
                            + d.domain());
                }
                if (d.policy() == RoutingPolicy.FAILOVER && present(rec.role()) && !roles.add(rec.role())) {
                    fail(rat + "/role", d.domain() + " has a " + rec.role() + " record already: a failover domain has "
                            + "one PRIMARY and at most one SECONDARY");
                }
                if (d.policy() == RoutingPolicy.LATENCY && present(rec.region()) && !latencyRegions.add(rec.region())) {
                    fail(rat + "/region", d.domain() + " has a LATENCY record for " + rec.region()
                            + " already: one per region");
                }
            }
            if (d.policy() == RoutingPolicy.FAILOVER && !d.records().isEmpty() && !roles.contains("PRIMARY")) {
                fail(at + "/records", "a FAILOVER domain has a PRIMARY record");
            }
            if (d.alias() != null && d.alias() && d.ttl() != null) {
                fail(at + "/ttl", "an alias record takes its target's TTL (60 s): leave ttl out or set alias: false");
            }
        }
    }

    private void healthCheck(String at, RoutingRecord.HealthCheck h) {
        if (h == null) {
            return;
        }
        if (h.intervalSeconds() != null && h.intervalSeconds() != 10 && h.intervalSeconds() != 30) {
            fail(at + "/intervalSeconds", "Route 53 checks every 10 or 30 seconds");
        }
        if (h.insufficientDataHealthStatus() != null
                && !List.of("Healthy", "Unhealthy", "LastKnownStatus").contains(h.insufficientDataHealthStatus())) {
            fail(at + "/insufficientDataHealthStatus", "one of Healthy, Unhealthy, LastKnownStatus");
        }
    }

    private void lab() {
        Lab lab = estate.lab();
        LabWebSocket ws = lab.webSocket();
        if (ws.frameBytes() < 1 || ws.messageBytes() < ws.frameBytes()) {
            fail("/lab/webSocket", "frameBytes must be at least 1 and messageBytes at least frameBytes");
        }
        if (ws.idleTimeoutSeconds() < 1 || ws.maxConnectionSeconds() < 1 || ws.connectionsPerSecond() < 1) {
            fail("/lab/webSocket", "idleTimeoutSeconds, maxConnectionSeconds and connectionsPerSecond must be at least 1");
        }
        Set<String> blocks = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lab.regions().size(); i++) {
            LabRegion r = lab.regions().get(i);
            String at = "/lab/regions/" + i;
            if (r.region() != null && !names.add(r.region())) {
                fail(at + "/region", "region '" + r.region() + "' is listed twice");
            }
            var m = r.addressBlock() == null ? null : CIDR24.matcher(r.addressBlock());
            if (m != null && m.matches()) {
                if (Integer.parseInt(m.group(1)) > 255 || Integer.parseInt(m.group(2)) > 255) {
                    fail(at + "/addressBlock", "'" + r.addressBlock() + "' is not a /24 inside 127.0.0.0/8, such as 127.0.1.0/24");
                } else if (r.addressBlock().startsWith("127.0.0.")) {
                    fail(at + "/addressBlock", "127.0.0.0/24 is kept for localhost and the on-premises resolver");
                } else if (!blocks.add(r.addressBlock())) {
                    fail(at + "/addressBlock", "address block " + r.addressBlock() + " is used twice");
                }
            }
        }
        if (!lab.regions().isEmpty()) {
            for (String region : estate.regions()) {
                if (lab.region(region).isEmpty()) {
                    fail("/lab/regions", "region '" + region + "' of the estate has no lab address block");
                }
            }
        }
        for (int i = 0; i < lab.unprotectedApis().size(); i++) {
            String name = lab.unprotectedApis().get(i);
            var api = estate.api(name);
            if (api.isEmpty()) {
                fail("/lab/unprotectedApis/" + i, "no API named '" + name + "'");
            } else if (api.get().auth().type() == AuthType.NONE) {
                fail("/lab/unprotectedApis/" + i, "API '" + name + "' has no authorizer to leave out");
            }
        }
        latency("/lab/integration/latency", lab.integration().latency());
        endpointUrl("/lab/route53/cloudWatchEndpoint", lab.route53().cloudWatchEndpoint());
        endpointUrl("/lab/route53/route53Endpoint", lab.route53().route53Endpoint());
    }

    private void endpointUrl(String at, String url) {
        if (url != null && !url.matches("https?://[^/\\s]+/?")) {
            fail(at, "'" + url + "' is not an endpoint URL such as http://127.0.0.1:5000");
        }
    }
}
