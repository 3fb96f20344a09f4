package io.vpcanary.lab;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.labenv.LabEnvironment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints the lab tells its clients about in its environment file: one per API × way in × region, with the
 * base URL ({@code wss://} for a WebSocket API), the headers a client there sends and a resolver view from which that
 * URL's name really leads to the API.
 * Built from the lab's own knowledge (the names its DNS views answer, the addresses of its front doors, its port), not
 * from the probes' target planner: the lab and the probes meet only at sockets, so a planner mistake cannot be
 * mirrored here. The list is informational; probes and load runs plan their own targets from the estate.
 *
 * <p>The view of each endpoint is a view whose answer for the name is the address set that serves the API on that way
 * in (an interface of the VPC endpoint for the private ways, the region's public front door for a regional name): the
 * VPC that owns the endpoint when it can use the name (an endpoint's interfaces are reached from its own VPC), the
 * on-premises view for a regional name (a client outside every VPC), else the first in the address plan's order. A way
 * in that no view can use (a private custom domain whose hosted zone is associated with no VPC of the estate, say) is
 * not listed.
 */
final class LabEndpoints {

    /** Header that names the API on an endpoint hostname. */
    static final String API_ID_HEADER = "x-apigw-api-id";

    private final Estate estate;
    private final LabAddressPlan plan;
    private final LabDnsViews views;
    private final int port;

    private LabEndpoints(Estate estate, LabAddressPlan plan, int port) {
        this.estate = estate;
        this.plan = plan;
        this.views = LabDnsViews.of(estate, plan);
        this.port = port;
    }

    /** The endpoints of {@code estate} on the lab's addresses and {@code httpsPort}. */
    static List<LabEnvironment.Endpoint> of(Estate estate, LabAddressPlan plan, int httpsPort) {
        return new LabEndpoints(estate, plan, httpsPort).all();
    }

    private List<LabEnvironment.Endpoint> all() {
        List<LabEnvironment.Endpoint> out = new ArrayList<>();
        for (Api api : estate.apis()) {
            for (ApiRegion r : api.regions()) {
                String stage = api.stagePath();
                if (api.isPrivate()) {
                    Optional<VpcEndpoint> vpce = r.vpcEndpoints().isEmpty() ? Optional.empty()
                            : estate.network().endpoint(r.vpcEndpoints().get(0));
                    List<InetAddress> anyInterface = new ArrayList<>();
                    r.vpcEndpoints().forEach(id -> anyInterface.addAll(plan.endpointAddresses(id)));
                    String owner = vpce.map(e -> vpcName(e.vpc())).orElse(null);
                    add(out, api, r, "PRIVATE_DNS", r.executeApiHost(), stage, Map.of(), anyInterface, owner);
                    if (vpce.isPresent()) {
                        List<InetAddress> interfaces = plan.endpointAddresses(vpce.get().id());
                        String endpointHost = vpce.get().regionalDnsName(r.region());
                        add(out, api, r, "VPCE_HOST_HEADER", endpointHost, stage,
                                Map.of("Host", withPort(r.executeApiHost())), interfaces, owner);
                        add(out, api, r, "VPCE_API_ID_HEADER", endpointHost, stage, Map.of(API_ID_HEADER, r.id()),
                                interfaces, owner);
                        add(out, api, r, "ROUTE53_ALIAS", r.aliasHost(vpce.get().id()), stage, Map.of(), interfaces,
                                owner);
                    }
                } else {
                    add(out, api, r, "REGIONAL", r.executeApiHost(), stage, Map.of(),
                            List.of(plan.regionalFrontDoor(r.region())), Estate.ON_PREMISES);
                }
                if (!r.customDomains().isEmpty()) {
                    CustomDomain d = r.customDomains().get(0);
                    boolean viaEndpoint = d.vpcEndpoint() != null;
                    List<InetAddress> serving = viaEndpoint ? plan.endpointAddresses(d.vpcEndpoint())
                            : List.of(plan.regionalFrontDoor(r.region()));
                    String preferred = !d.hostedZoneVpcs().isEmpty() ? vpcName(d.hostedZoneVpcs().get(0))
                            : viaEndpoint ? estate.network().endpoint(d.vpcEndpoint()).map(e -> vpcName(e.vpc()))
                            .orElse(null) : Estate.ON_PREMISES;
                    add(out, api, r, "CUSTOM_DOMAIN", d.domain(), d.basePath().isEmpty() ? "" : "/" + d.basePath(),
                            Map.of(), serving, preferred);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Adds the endpoint when some view resolves {@code host} to addresses among {@code serving}, trying
     * {@code preferred} first.
     */
    private void add(List<LabEnvironment.Endpoint> out, Api api, ApiRegion r, String way, String host, String basePath,
                     Map<String, String> headers, List<InetAddress> serving, String preferred) {
        List<String> order = new ArrayList<>(views.views());
        if (preferred != null && order.remove(preferred)) {
            order.add(0, preferred);
        }
        for (String view : order) {
            Optional<List<InetAddress>> answer = views.answer(view, host);
            List<InetAddress> ipv4 = answer.map(l -> l.stream().filter(x -> x instanceof java.net.Inet4Address).toList())
                    .orElse(List.of());
            if (!ipv4.isEmpty() && serving.containsAll(ipv4)) {
                out.add(new LabEnvironment.Endpoint(api.name(), api.type().name(), r.region(), way,
                        (api.type() == ApiType.WEBSOCKET ? "wss://" : "https://") + withPort(host)
                                + (basePath.isEmpty() ? "/" : basePath),
                        new LinkedHashMap<>(headers), view));
                return;
            }
        }
    }

    private String vpcName(String vpcId) {
        return estate.network().vpc(vpcId).map(io.vpcanary.estate.Vpc::name).orElse(Estate.ON_PREMISES);
    }

    private String withPort(String host) {
        return port == 443 ? host : host + ":" + port;
    }
}
