package io.vpcanary.access;

import io.vpcanary.estate.AccessAssociation;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Vpc;
import io.vpcanary.estate.VpcEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an estate into {@link Target}s: every check of every API through each of its access paths in each of its
 * regions. URLs, Host headers and signed hosts are exactly those of production except for the port, which is
 * {@code httpsPort} (omitted when 443). A WebSocket API's targets have {@code wss://} URLs.
 */
public final class TargetPlanner {

    /** Header that names the API when calling an endpoint hostname. */
    public static final String API_ID_HEADER = "x-apigw-api-id";

    private final Estate estate;
    private final int httpsPort;

    public TargetPlanner(Estate estate, int httpsPort) {
        this.estate = estate;
        this.httpsPort = httpsPort;
    }

    /** Targets for production: port 443. */
    public static TargetPlanner forAws(Estate estate) {
        return new TargetPlanner(estate, 443);
    }

    /** Every check × access path × region of the estate, in estate order. */
    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (Api api : estate.apis()) {
            for (Check check : api.checks()) {
                out.addAll(targets(api, check));
            }
        }
        return out;
    }

    /** The targets of one check. */
    public List<Target> targets(Api api, Check check) {
        List<Target> out = new ArrayList<>();
        Set<AccessPath> supported = AccessPaths.supported(api);
        List<AccessPath> paths = check.accessPaths().isEmpty() ? List.copyOf(supported) : check.accessPaths();
        for (ApiRegion region : api.regions()) {
            if (!check.regions().isEmpty() && !check.regions().contains(region.region())) {
                continue;
            }
            for (AccessPath path : paths) {
                target(api, region, path, check).ifPresent(out::add);
                if (path == AccessPath.CUSTOM_DOMAIN) {
                    out.addAll(sharedDomainTargets(api, region, check));
                }
            }
        }
        return out;
    }

    /**
     * The target for a plain GET of {@code path} through one access path of one region, or empty when that path does
     * not exist there (no custom domain in that region, say). Simulations and the lab's environment file use it.
     */
    public Optional<Target> target(Api api, ApiRegion region, AccessPath accessPath, Check check) {
        if (!AccessPaths.supported(api).contains(accessPath)) {
            return Optional.empty();
        }
        String endpointId = check.vpcEndpoint() != null ? check.vpcEndpoint()
                : region.vpcEndpoints().isEmpty() ? null : region.vpcEndpoints().get(0);
        Optional<VpcEndpoint> endpoint = endpointId == null ? Optional.empty() : estate.network().endpoint(endpointId);
        Map<String, String> headers = new LinkedHashMap<>();
        String host;
        String basePath = api.stagePath();
        String vantage;
        switch (accessPath) {
            case PRIVATE_DNS -> {
                host = region.executeApiHost();
                vantage = privateDnsVantage(region.region(), endpoint);
            }
            case VPCE_HOST_HEADER, VPCE_API_ID_HEADER -> {
                if (endpoint.isEmpty()) {
                    return Optional.empty();
                }
                host = endpoint.get().regionalDnsName(region.region());
                vantage = vpcName(endpoint.get().vpc());
                if (!check.omitApiHeader()) {
                    if (accessPath == AccessPath.VPCE_HOST_HEADER) {
                        headers.put("Host", withPort(region.executeApiHost()));
                    } else {
                        headers.put(API_ID_HEADER, region.id());
                    }
                }
            }
            case ROUTE53_ALIAS -> {
                if (endpoint.isEmpty()) {
                    return Optional.empty();
                }
                host = region.aliasHost(endpoint.get().id());
                vantage = vpcName(endpoint.get().vpc());
            }
            case CUSTOM_DOMAIN -> {
                if (region.customDomains().isEmpty()) {
                    return Optional.empty();
                }
                CustomDomain domain = region.customDomains().get(0);
                host = domain.domain();
                basePath = domain.basePath().isEmpty() ? "" : "/" + domain.basePath();
                vantage = customDomainVantage(domain);
                if (domain.vpcEndpoint() != null) {
                    endpointId = check.vpcEndpoint() != null && domain.associatedWith(check.vpcEndpoint())
                            ? check.vpcEndpoint() : domain.vpcEndpoint();
                }
            }
            case REGIONAL -> {
                host = region.executeApiHost();
                vantage = Estate.ON_PREMISES;
                endpointId = null;
            }
            default -> throw new IllegalStateException("unknown access path " + accessPath);
        }
        if (check.from() != null) {
            vantage = check.from();
        }
        headers.putAll(check.headers());
        String signedHost = headers.getOrDefault("Host", withPort(host));
        String path = joinPath(basePath, check.path());
        URI url = URI.create((api.type() == ApiType.WEBSOCKET ? "wss://" : "https://") + withPort(host) + path);
        return Optional.of(new Target(api.name(), api.type(), region.id(), api.stage(), region.region(), accessPath,
                check.name(), check.method(), url, headers, signedHost, vantage, endpointId, check.body(),
                api.auth().type(), check.expect()));
    }

    /**
     * A private custom domain called from each further domain name access association (its VPC endpoint, possibly
     * another account's, and the VPCs of that association's hosted zone): one target per association after the first,
     * from its hosted zone's first VPC. None when the check names its own endpoint or vantage.
     */
    private List<Target> sharedDomainTargets(Api api, ApiRegion region, Check check) {
        List<Target> out = new ArrayList<>();
        if (region.customDomains().isEmpty() || check.vpcEndpoint() != null || check.from() != null
                || !AccessPaths.supported(api).contains(AccessPath.CUSTOM_DOMAIN)) {
            return out;
        }
        CustomDomain domain = region.customDomains().get(0);
        List<AccessAssociation> associations = domain.associations();
        for (AccessAssociation a : associations.subList(Math.min(1, associations.size()), associations.size())) {
            String vantage = !a.hostedZoneVpcs().isEmpty() ? vpcName(a.hostedZoneVpcs().get(0))
                    : estate.network().endpoint(a.vpcEndpoint()).map(e -> vpcName(e.vpc())).orElse(Estate.ON_PREMISES);
            Check from = new Check(check.name(), check.method(), check.path(), check.body(), check.headers(),
                    check.accessPaths(), check.regions(), vantage, a.vpcEndpoint(), check.omitApiHeader(),
                    check.expect(), check.webSocket());
            target(api, region, AccessPath.CUSTOM_DOMAIN, from).ifPresent(out::add);
        }
        return out;
    }

    private String withPort(String host) {
        return httpsPort == 443 ? host : host + ":" + httpsPort;
    }

    private static String joinPath(String base, String path) {
        if (path.equals("/")) {
            return base.isEmpty() ? "/" : base;
        }
        return base + path;
    }

    private String vpcName(String vpcId) {
        return estate.network().vpc(vpcId).map(Vpc::name).orElse(Estate.ON_PREMISES);
    }

    /** Private DNS resolves only inside a VPC whose endpoint has it enabled: prefer the endpoint's own VPC. */
    private String privateDnsVantage(String region, Optional<VpcEndpoint> endpoint) {
        if (endpoint.isPresent() && endpoint.get().privateDnsEnabled()) {
            return vpcName(endpoint.get().vpc());
        }
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            if (e.privateDnsEnabled() && estate.network().regionOf(e).equals(region)) {
                return vpcName(e.vpc());
            }
        }
        return endpoint.map(e -> vpcName(e.vpc())).orElse(Estate.ON_PREMISES);
    }

    private String customDomainVantage(CustomDomain domain) {
        if (!domain.hostedZoneVpcs().isEmpty()) {
            return vpcName(domain.hostedZoneVpcs().get(0));
        }
        if (domain.vpcEndpoint() != null) {
            return estate.network().endpoint(domain.vpcEndpoint()).map(e -> vpcName(e.vpc())).orElse(Estate.ON_PREMISES);
        }
        return Estate.ON_PREMISES;
    }
}
