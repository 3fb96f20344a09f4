package io.vpcanary.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.AccessAssociation;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Auth;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Integration;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.Vpc;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.estate.WebSocketRoute;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.comments.CommentType;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a discovered estate as YAML, and merges a rediscovery into an existing estate file without losing what the
 * user wrote there (docs/decisions/0009). Both go through SnakeYAML's node tree with comments kept
 * ({@code setProcessComments}): the file is composed into nodes, comments and all, discovery adds nodes, and the tree
 * is serialized again. Only fields discovery knows are written, and only where they differ from the estate's defaults.
 */
public final class EstateYaml {

    /** The comment above each check discovery chose. */
    public static final String CONFIRM = " discovered: a GET without path parameters (WebSocket: $connect only), expecting"
            + " any 2xx; confirm it is safe to call every minute";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EstateYaml() {
    }

    /** The YAML text of a discovered estate, the notes first as comments. */
    public static String write(EstateBuilder.Result discovered, List<String> header) {
        Yaml yaml = yaml();
        MappingNode root = (MappingNode) yaml.represent(distinct(tree(discovered.estate())));
        List<String> lines = new ArrayList<>(header);
        if (!discovered.notes().isEmpty()) {
            lines.add("");
            lines.add("Notes from discovery (confirm or complete these):");
            discovered.notes().forEach(n -> lines.add("- " + n));
        }
        addBlockComments(root.getValue().getFirst().getKeyNode(), lines);
        markChecks(root);
        return dump(yaml, root);
    }

    /** What a merge did: the new text and one line per entry it added. */
    public record Merge(String text, List<String> added) {
    }

    /**
     * Merges a rediscovery into an estate file's text: adds the VPCs and VPC endpoints (by id), APIs (by the id of any
     * of their regions; a known API gains its new regions) and routing domains (by domain name) the file lacks, and
     * changes nothing the file has: the user's names, checks, auth settings, edits and comments stay as they are.
     * What the file has and the account no longer has is not removed (drift reports it).
     */
    public static Merge merge(String existing, EstateBuilder.Result discovered) {
        Yaml yaml = yaml();
        Node composed = yaml.compose(new StringReader(existing));
        if (!(composed instanceof MappingNode root)) {
            throw new IllegalArgumentException("the estate file is not a YAML mapping");
        }
        Estate e = discovered.estate();
        List<String> added = new ArrayList<>();
        MappingNode fresh = (MappingNode) yaml.represent(distinct(tree(e)));
        markChecks(fresh);
        MappingNode network = mapping(root, "network");
        MappingNode freshNetwork = (MappingNode) get(fresh, "network");
        if (freshNetwork != null) {
            addById(network, "vpcs", (SequenceNode) get(freshNetwork, "vpcs"), "id", "VPC", added);
            addById(network, "vpcEndpoints", (SequenceNode) get(freshNetwork, "vpcEndpoints"), "id", "VPC endpoint",
                    added);
        }
        SequenceNode apis = sequence(root, "apis");
        SequenceNode freshApis = (SequenceNode) get(fresh, "apis");
        List<String> names = new ArrayList<>();
        apis.getValue().forEach(a -> names.add(scalar(a, "name")));
        for (int i = 0; freshApis != null && i < freshApis.getValue().size(); i++) {
            Node fa = freshApis.getValue().get(i);
            Api api = e.apis().get(i);
            Node known = null;
            for (Node a : apis.getValue()) {
                Node regions = get((MappingNode) a, "regions");
                if (regions instanceof SequenceNode rs && api.regions().stream().anyMatch(r -> rs.getValue().stream()
                        .anyMatch(x -> r.id().equals(scalar(x, "id"))))) {
                    known = a;
                    break;
                }
            }
            if (known == null) {
                String name = api.name();
                for (int n = 2; names.contains(name) && n < 10_000; n++) {
                    name = api.name() + "-" + n;
                }
                if (!name.equals(api.name())) {
                    Node renamed = yaml.represent(name);
                    ((MappingNode) fa).getValue().replaceAll(t -> "name".equals(scalar(t.getKeyNode()))
                            ? new NodeTuple(t.getKeyNode(), renamed) : t);
                }
                names.add(name);
                addBlockComments(((MappingNode) fa).getValue().getFirst().getKeyNode(),
                        List.of(" added by rediscovery"));
                apis.getValue().add(fa);
                added.add("API " + name + " (" + ids(api) + ")");
            } else {
                SequenceNode regions = (SequenceNode) get((MappingNode) known, "regions");
                SequenceNode freshRegions = (SequenceNode) get((MappingNode) fa, "regions");
                for (int r = 0; r < api.regions().size(); r++) {
                    ApiRegion ar = api.regions().get(r);
                    if (regions.getValue().stream().noneMatch(x -> ar.region().equals(scalar(x, "region")))) {
                        regions.getValue().add(freshRegions.getValue().get(r));
                        added.add("region " + ar.region() + " (" + ar.id() + ") of API " + scalar(known, "name"));
                    }
                }
            }
        }
        addById(root, "routingDomains", (SequenceNode) get(fresh, "routingDomains"), "domain", "routing domain",
                added);
        return new Merge(dump(yaml, root), added);
    }

    private static String ids(Api api) {
        return String.join(", ", api.regions().stream().map(r -> r.region() + " " + r.id()).toList());
    }

    private static void addById(MappingNode parent, String key, SequenceNode fresh, String idKey, String what,
                                List<String> added) {
        if (fresh == null || fresh.getValue().isEmpty()) {
            return;
        }
        SequenceNode have = sequence(parent, key);
        for (Node n : fresh.getValue()) {
            String id = scalar(n, idKey);
            if (have.getValue().stream().noneMatch(x -> id.equals(scalar(x, idKey)))) {
                have.getValue().add(n);
                added.add(what + " " + id);
            }
        }
    }

    private static Node get(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** The mapping under {@code key}, added (empty) when the file has none. */
    private static MappingNode mapping(MappingNode m, String key) {
        Node n = get(m, key);
        if (n instanceof MappingNode mm) {
            return mm;
        }
        MappingNode fresh = new MappingNode(org.yaml.snakeyaml.nodes.Tag.MAP, new ArrayList<>(),
                DumperOptions.FlowStyle.BLOCK);
        put(m, key, fresh);
        return fresh;
    }

    /** The sequence under {@code key}, added (empty) when the file has none or an empty flow one. */
    private static SequenceNode sequence(MappingNode m, String key) {
        Node n = get(m, key);
        if (n instanceof SequenceNode s) {
            if (s.getValue().isEmpty()) {
                s.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
            }
            return s;
        }
        SequenceNode fresh = new SequenceNode(org.yaml.snakeyaml.nodes.Tag.SEQ, new ArrayList<>(),
                DumperOptions.FlowStyle.BLOCK);
        put(m, key, fresh);
        return fresh;
    }

    private static void put(MappingNode m, String key, Node value) {
        ScalarNode k = new ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, key, null, null,
                DumperOptions.ScalarStyle.PLAIN);
        m.getValue().removeIf(t -> key.equals(scalar(t.getKeyNode())));
        if (key.equals("lab")) {
            m.getValue().add(new NodeTuple(k, value));
            return;
        }
        // before lab: (the section the README appends last)
        int at = m.getValue().size();
        for (int i = 0; i < m.getValue().size(); i++) {
            if ("lab".equals(scalar(m.getValue().get(i).getKeyNode()))) {
                at = i;
                break;
            }
        }
        m.getValue().add(at, new NodeTuple(k, value));
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String scalar(Node mapping, String key) {
        return mapping instanceof MappingNode m ? scalar(get(m, key)) : null;
    }

    private static void markChecks(MappingNode root) {
        if (get(root, "apis") instanceof SequenceNode apis) {
            for (Node api : apis.getValue()) {
                if (api instanceof MappingNode am && get(am, "checks") instanceof SequenceNode checks) {
                    for (Node c : checks.getValue()) {
                        addBlockComments(((MappingNode) c).getValue().getFirst().getKeyNode(), List.of(CONFIRM));
                    }
                }
            }
        }
    }

    private static void addBlockComments(Node node, List<String> lines) {
        List<CommentLine> comments = new ArrayList<>(node.getBlockComments() == null ? List.of()
                : node.getBlockComments());
        for (String l : lines) {
            comments.add(l.isEmpty() ? new CommentLine(null, null, "", CommentType.BLANK_LINE)
                    : new CommentLine(null, null, l.startsWith(" ") ? l : " " + l, CommentType.BLOCK));
        }
        node.setBlockComments(comments);
    }

    private static Yaml yaml() {
        LoaderOptions lo = new LoaderOptions();
        lo.setProcessComments(true);
        DumperOptions d = new DumperOptions();
        d.setProcessComments(true);
        d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        d.setIndent(2);
        d.setIndicatorIndent(2);
        d.setIndentWithIndicator(true);
        d.setWidth(120);
        return new Yaml(new SafeConstructor(lo), new Representer(d), d, lo);
    }

    private static String dump(Yaml yaml, Node root) {
        StringWriter w = new StringWriter();
        yaml.serialize(root, w);
        return w.toString();
    }

    /**
     * A copy of a tree of maps and lists in which no map or list appears twice: SnakeYAML writes an object it meets a
     * second time as an alias ({@code *id001}), which the estate loader does not read (two APIs sharing a scopes list,
     * say).
     */
    private static Object distinct(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, distinct(v)));
            return copy;
        }
        if (o instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(distinct(v)));
            return copy;
        }
        return o;
    }

    // ---- the estate as plain maps, fields discovery sets, defaults left out

    static Map<String, Object> tree(Estate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", e.account());
        Map<String, Object> network = new LinkedHashMap<>();
        List<Object> vpcs = new ArrayList<>();
        for (Vpc v : e.network().vpcs()) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.id());
            vm.put("name", v.name());
            vm.put("region", v.region());
            vpcs.add(vm);
        }
        network.put("vpcs", vpcs);
        List<Object> eps = new ArrayList<>();
        for (VpcEndpoint ep : e.network().vpcEndpoints()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("id", ep.id());
            em.put("vpc", ep.vpc());
            em.put("dnsSuffix", ep.dnsSuffix());
            em.put("privateDns", ep.privateDnsEnabled());
            if (!ep.zones().isEmpty()) {
                em.put("zones", ep.zones());
            }
            putJson(em, "policy", ep.policy());
            if (ep.ipAddressType() != io.vpcanary.estate.IpAddressType.IPV4) {
                em.put("ipAddressType", ep.ipAddressType().name());
            }
            if (ep.dnsRecordIpType() != ep.ipAddressType()) {
                em.put("dnsRecordIpType", ep.dnsRecordIpType().name());
            }
            eps.add(em);
        }
        network.put("vpcEndpoints", eps);
        m.put("network", network);
        List<Object> apis = new ArrayList<>();
        e.apis().forEach(a -> apis.add(api(a)));
        m.put("apis", apis);
        if (!e.routingDomains().isEmpty()) {
            List<Object> rds = new ArrayList<>();
            e.routingDomains().forEach(d -> rds.add(routingDomain(d)));
            m.put("routingDomains", rds);
        }
        return m;
    }

    private static Map<String, Object> api(Api a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("type", a.type().name());
        m.put("endpointType", a.endpointType().name());
        m.put("stage", a.stage());
        if (!a.isPrivate() && a.ipAddressType() != io.vpcanary.estate.IpAddressType.IPV4) {
            m.put("ipAddressType", a.ipAddressType().name());
        }
        if (a.auth().type() != AuthType.NONE) {
            m.put("auth", auth(a.auth()));
        }
        List<Object> regions = new ArrayList<>();
        for (ApiRegion r : a.regions()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("region", r.region());
            rm.put("id", r.id());
            if (!r.vpcEndpoints().isEmpty()) {
                rm.put("vpcEndpoints", r.vpcEndpoints());
            }
            if (!r.customDomains().isEmpty()) {
                List<Object> ds = new ArrayList<>();
                r.customDomains().forEach(d -> ds.add(domain(d)));
                rm.put("customDomains", ds);
            }
            regions.add(rm);
        }
        m.put("regions", regions);
        putJson(m, "resourcePolicy", a.resourcePolicy());
        if (!a.integration().equals(Integration.DEFAULT)) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("type", a.integration().type().name());
            putIf(im, "vpcLink", a.integration().vpcLink());
            putIf(im, "target", a.integration().target());
            m.put("integration", im);
        }
        if (!a.resources().isEmpty()) {
            m.put("resources", a.resources());
        }
        if (a.routeSelectionExpression() != null && !a.routeSelectionExpression().equals(Api.DEFAULT_ROUTE_SELECTION)) {
            m.put("routeSelectionExpression", a.routeSelectionExpression());
        }
        if (!a.routes().isEmpty()) {
            List<Object> rs = new ArrayList<>();
            for (WebSocketRoute r : a.routes()) {
                rs.add(new LinkedHashMap<>(Map.of("key", r.key())));
            }
            m.put("routes", rs);
        }
        List<Object> checks = new ArrayList<>();
        for (Check c : a.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            if (c.webSocket() == null) {
                cm.put("path", c.path());
            }
            if (!c.accessPaths().isEmpty()) {
                cm.put("accessPaths", c.accessPaths().stream().map(Enum::name).toList());
            }
            if (!c.regions().isEmpty()) {
                cm.put("regions", c.regions());
            }
            putIf(cm, "from", c.from());
            putIf(cm, "vpcEndpoint", c.vpcEndpoint());
            if (c.webSocket() != null) {
                cm.put("webSocket", new LinkedHashMap<>(Map.of("messages", c.webSocket().messages())));
            }
            checks.add(cm);
        }
        if (!checks.isEmpty()) {
            m.put("checks", checks);
        }
        return m;
    }

    private static Map<String, Object> auth(Auth a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", a.type().name());
        putIf(m, "issuer", a.issuer());
        if (!a.audiences().isEmpty()) {
            m.put("audiences", a.audiences());
        }
        if (!a.scopes().isEmpty()) {
            m.put("scopes", a.scopes());
        }
        if (!"Authorization".equals(a.identitySource())) {
            m.put("identitySource", a.identitySource());
        }
        putIf(m, "tokenEndpoint", a.tokenEndpoint());
        putIf(m, "clientId", a.clientId());
        putIf(m, "clientSecretEnv", a.clientSecretEnv());
        putIf(m, "tokenEnv", a.tokenEnv());
        return m;
    }

    private static Map<String, Object> domain(CustomDomain d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", d.domain());
        if (!d.basePath().isEmpty()) {
            m.put("basePath", d.basePath());
        }
        putIf(m, "domainNameId", d.domainNameId());
        putIf(m, "vpcEndpoint", d.vpcEndpoint());
        if (!d.accessAssociations().isEmpty()) {
            List<Object> as = new ArrayList<>();
            for (AccessAssociation a : d.accessAssociations()) {
                as.add(new LinkedHashMap<>(Map.of("vpcEndpoint", a.vpcEndpoint())));
            }
            m.put("accessAssociations", as);
        }
        putJson(m, "policy", d.policy());
        if (d.ipAddressType() != null) {
            m.put("ipAddressType", d.ipAddressType().name());
        }
        return m;
    }

    private static Map<String, Object> routingDomain(RoutingDomain d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domain", d.domain());
        m.put("policy", d.policy().name());
        List<Object> recs = new ArrayList<>();
        for (RoutingRecord r : d.records()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("api", r.api());
            rm.put("region", r.region());
            putIf(rm, "role", r.role());
            putIf(rm, "weight", r.weight());
            putIf(rm, "healthAlarm", r.healthAlarm());
            putIf(rm, "setIdentifier", r.setIdentifier());
            if (r.healthCheck() != null) {
                RoutingRecord.HealthCheck h = r.healthCheck();
                Map<String, Object> hm = new LinkedHashMap<>();
                putIf(hm, "type", h.type() == null ? null : h.type().name());
                putIf(hm, "intervalSeconds", h.intervalSeconds());
                putIf(hm, "failureThreshold", h.failureThreshold());
                putIf(hm, "insufficientDataHealthStatus", h.insufficientDataHealthStatus());
                putIf(hm, "inverted", h.inverted());
                putIf(hm, "disabled", h.disabled());
                rm.put("healthCheck", hm);
            }
            putIf(rm, "evaluateTargetHealth", r.evaluateTargetHealth());
            recs.add(rm);
        }
        m.put("records", recs);
        putIf(m, "ttl", d.ttl());
        putIf(m, "alias", d.alias());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static void putJson(Map<String, Object> m, String key, JsonNode value) {
        if (value != null && !value.isNull()) {
            m.put(key, JSON.convertValue(value, Object.class));
        }
    }
}
