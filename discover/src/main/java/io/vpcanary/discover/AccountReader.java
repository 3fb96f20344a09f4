package io.vpcanary.discover;

import io.vpcanary.discover.Account.Authorizer;
import io.vpcanary.discover.Account.Domain;
import io.vpcanary.discover.Account.Endpoint;
import io.vpcanary.discover.Account.HealthCheck;
import io.vpcanary.discover.Account.HostedZone;
import io.vpcanary.discover.Account.Integration;
import io.vpcanary.discover.Account.Mapping;
import io.vpcanary.discover.Account.Method;
import io.vpcanary.discover.Account.RecordSet;
import io.vpcanary.discover.Account.RegionInventory;
import io.vpcanary.discover.Account.RestApi;
import io.vpcanary.discover.Account.V2Api;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BasePathMapping;
import software.amazon.awssdk.services.apigateway.model.DomainNameAccessAssociation;
import software.amazon.awssdk.services.apigateway.model.GetDomainNameAccessAssociationsResponse;
import software.amazon.awssdk.services.apigateway.model.Resource;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Reads an account through {@link DiscoverClients}, read-only: per region the execute-api interface endpoints (EC2
 * DescribeVpcEndpoints, DescribeVpcs for their {@code Name} tags, DescribeSubnets for their zones), REST APIs
 * (GetRestApis, GetStages, GetResources with methods, GetAuthorizer for each authorizer a method uses), custom domain names (GetDomainNames,
 * GetBasePathMappings, GetDomainNameAccessAssociations; v2 GetDomainNames and GetApiMappings), HTTP and WebSocket APIs
 * (GetApis, GetStages, GetRoutes, GetAuthorizer for each authorizer a route uses, GetIntegrations, GetVpcLinks; REST
 * GetVpcLinks); once, Route 53's private hosted zones
 * (ListHostedZones, GetHostedZone, ListResourceRecordSets, GetHealthCheck). Every list is read to its last page; the
 * clients retry throttling. docs/discover.md lists the calls and the IAM policy ({@link DiscoveryPolicy}).
 */
public final class AccountReader {

    private final DiscoverClients clients;
    private final List<String> notes = new ArrayList<>();

    public AccountReader(DiscoverClients clients) {
        this.clients = clients;
    }

    /** Reads {@code regions} and Route 53. */
    public Account read(List<String> regions) {
        List<RegionInventory> out = new ArrayList<>();
        for (String region : regions) {
            out.add(region(region));
        }
        return new Account(out, hostedZones(), notes);
    }

    private RegionInventory region(String region) {
        Ec2Client ec2 = clients.ec2(region);
        List<VpcEndpoint> raw = new ArrayList<>();
        ec2.describeVpcEndpointsPaginator(b -> b.filters(
                        Filter.builder().name("service-name").values("com.amazonaws." + region + ".execute-api").build(),
                        Filter.builder().name("vpc-endpoint-type").values("Interface").build()))
                .forEach(p -> raw.addAll(p.vpcEndpoints()));
        Map<String, String> zoneOfSubnet = new HashMap<>();
        List<String> subnets = raw.stream().flatMap(e -> e.subnetIds().stream()).distinct().toList();
        if (!subnets.isEmpty()) {
            ec2.describeSubnetsPaginator(b -> b.subnetIds(subnets))
                    .forEach(p -> p.subnets().forEach(s -> zoneOfSubnet.put(s.subnetId(), s.availabilityZone())));
        }
        String owner = raw.stream().map(VpcEndpoint::ownerId).filter(o -> o != null).findFirst().orElse(null);
        List<Endpoint> endpoints = new ArrayList<>();
        for (VpcEndpoint e : raw) {
            List<String> zones = e.subnetIds().stream().map(zoneOfSubnet::get).filter(z -> z != null).distinct()
                    .sorted().toList();
            endpoints.add(new Endpoint(e.vpcEndpointId(), e.vpcId(), Boolean.TRUE.equals(e.privateDnsEnabled()),
                    e.dnsEntries().stream().map(d -> d.dnsName()).toList(), zones, e.policyDocument(),
                    e.ipAddressTypeAsString(), e.dnsOptions() == null ? null : e.dnsOptions().dnsRecordIpTypeAsString()));
        }
        Map<String, String> vpcNames = new LinkedHashMap<>();
        List<String> vpcIds = endpoints.stream().map(Endpoint::vpc).distinct().toList();
        if (!vpcIds.isEmpty()) {
            ec2.describeVpcsPaginator(b -> b.vpcIds(vpcIds)).forEach(p -> p.vpcs().forEach(v -> vpcNames.put(v.vpcId(),
                    v.tags().stream().filter(t -> "Name".equals(t.key())).map(Tag::value).findFirst().orElse(null))));
        }
        ApiGatewayClient apigw = clients.apiGateway(region);
        List<RestApi> restApis = new ArrayList<>();
        apigw.getRestApisPaginator(b -> { }).items().forEach(a -> restApis.add(restApi(apigw, a)));
        List<Domain> domains = new ArrayList<>();
        apigw.getDomainNamesPaginator(b -> { }).items().forEach(d -> {
            boolean isPrivate = d.endpointConfiguration() != null
                    && d.endpointConfiguration().typesAsStrings().contains("PRIVATE");
            List<Mapping> mappings = new ArrayList<>();
            apigw.getBasePathMappingsPaginator(b -> b.domainName(d.domainName()).domainNameId(d.domainNameId()))
                    .items().forEach(m -> mappings.add(mapping(m)));
            domains.add(new Domain(d.domainName(), d.domainNameId(), isPrivate, d.policy(), mappings,
                    d.endpointConfiguration() == null ? null : d.endpointConfiguration().ipAddressTypeAsString()));
        });
        Map<String, List<String>> associations = associations(apigw, region);
        ApiGatewayV2Client v2 = clients.apiGatewayV2(region);
        List<V2Api> v2Apis = new ArrayList<>();
        pages(t -> v2.getApis(b -> b.nextToken(t)), r -> r.items(), r -> r.nextToken())
                .forEach(a -> v2Apis.add(v2Api(v2, a)));
        pages(t -> v2.getDomainNames(b -> b.nextToken(t)), r -> r.items(), r -> r.nextToken()).forEach(d -> {
            if (domains.stream().anyMatch(x -> x.name().equals(d.domainName()))) {
                return; // a domain of REST APIs, listed by v1 already (the two APIs share domain names)
            }
            List<Mapping> mappings = new ArrayList<>();
            pages(t -> v2.getApiMappings(b -> b.domainName(d.domainName()).nextToken(t)), r -> r.items(),
                    r -> r.nextToken()).forEach(m -> mappings.add(new Mapping(
                    m.apiMappingKey() == null ? "" : m.apiMappingKey(), m.apiId(), m.stage())));
            String ipType = d.domainNameConfigurations() == null ? null : d.domainNameConfigurations().stream()
                    .map(c -> c.ipAddressTypeAsString()).filter(t -> t != null).findFirst().orElse(null);
            domains.add(new Domain(d.domainName(), null, false, null, mappings, ipType));
        });
        List<String> vpcLinks = new ArrayList<>();
        pages(t -> v2.getVpcLinks(b -> b.nextToken(t)), r -> r.items(), r -> r.nextToken())
                .forEach(l -> vpcLinks.add(l.vpcLinkId()));
        apigw.getVpcLinksPaginator(b -> { }).items().forEach(l -> vpcLinks.add(l.id()));
        return new RegionInventory(region, owner, endpoints, vpcNames, restApis, domains, v2Apis, vpcLinks,
                associations);
    }

    /** Domain name to associated VPC endpoints, or null when the call is not answered (moto does not implement it). */
    private Map<String, List<String>> associations(ApiGatewayClient apigw, String region) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            for (DomainNameAccessAssociation a : pages(t -> apigw.getDomainNameAccessAssociations(b -> b.position(t)),
                    GetDomainNameAccessAssociationsResponse::items, GetDomainNameAccessAssociationsResponse::position)) {
                // arn:aws:apigateway:{region}:{account}:/domainnames/{name}+{id}
                String arn = a.domainNameArn();
                String name = arn.substring(arn.indexOf("/domainnames/") + "/domainnames/".length());
                if (name.contains("+")) {
                    name = name.substring(0, name.indexOf('+'));
                }
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(a.accessAssociationSource());
            }
            return out;
        } catch (AwsServiceException e) {
            notes.add(region + ": GetDomainNameAccessAssociations was not answered (" + e.statusCode()
                    + (e.awsErrorDetails().errorMessage() == null ? "" : " " + e.awsErrorDetails().errorMessage()) + "): private custom domains' associations are taken from "
                    + "the private hosted zone records that alias each domain to a VPC endpoint");
            return null;
        }
    }

    private static Mapping mapping(BasePathMapping m) {
        String base = m.basePath() == null || "(none)".equals(m.basePath()) ? "" : m.basePath();
        return new Mapping(base, m.restApiId(), m.stage());
    }

    private RestApi restApi(ApiGatewayClient apigw, software.amazon.awssdk.services.apigateway.model.RestApi a) {
        String type = a.endpointConfiguration() == null || a.endpointConfiguration().typesAsStrings().isEmpty()
                ? "EDGE" : a.endpointConfiguration().typesAsStrings().getFirst();
        List<String> vpces = a.endpointConfiguration() == null ? List.of() : a.endpointConfiguration().vpcEndpointIds();
        List<String> stages = apigw.getStages(b -> b.restApiId(a.id())).item().stream()
                .map(s -> s.stageName()).sorted().toList();
        List<Method> methods = new ArrayList<>();
        for (Resource r : apigw.getResourcesPaginator(b -> b.restApiId(a.id()).embed("methods")).items()) {
            r.resourceMethods().forEach((verb, embedded) -> {
                software.amazon.awssdk.services.apigateway.model.Method m = embedded;
                if (m.authorizationType() == null) { // not embedded: ask for the method
                    var g = apigw.getMethod(b -> b.restApiId(a.id()).resourceId(r.id()).httpMethod(verb));
                    m = software.amazon.awssdk.services.apigateway.model.Method.builder()
                            .authorizationType(g.authorizationType()).authorizerId(g.authorizerId())
                            .authorizationScopes(g.authorizationScopes()).methodIntegration(g.methodIntegration())
                            .build();
                }
                var in = m.methodIntegration();
                methods.add(new Method(r.path(), verb, m.authorizationType(), m.authorizerId(),
                        m.authorizationScopes(), in == null ? null : new Integration(null,
                        in.connectionTypeAsString(), in.connectionId(), in.uri(), in.typeAsString())));
            });
        }
        methods.sort(java.util.Comparator.comparing(Method::path).thenComparing(Method::httpMethod));
        List<Authorizer> authorizers = new ArrayList<>();
        methods.stream().map(Method::authorizerId).filter(z -> z != null).distinct().forEach(id -> {
            var z = apigw.getAuthorizer(b -> b.restApiId(a.id()).authorizerId(id));
            authorizers.add(new Authorizer(z.id(), z.typeAsString(), null, List.of(), z.identitySource(),
                    z.providerARNs()));
        });
        return new RestApi(a.id(), a.name(), type, vpces, a.policy(), stages, methods, authorizers,
                a.endpointConfiguration() == null ? null : a.endpointConfiguration().ipAddressTypeAsString());
    }

    private V2Api v2Api(ApiGatewayV2Client v2, software.amazon.awssdk.services.apigatewayv2.model.Api a) {
        List<String> stages = new ArrayList<>();
        pages(t -> v2.getStages(b -> b.apiId(a.apiId()).nextToken(t)), r -> r.items(), r -> r.nextToken())
                .forEach(s -> stages.add(s.stageName()));
        stages.sort(null);
        Map<String, Integration> integrations = new HashMap<>();
        pages(t -> v2.getIntegrations(b -> b.apiId(a.apiId()).nextToken(t)), r -> r.items(), r -> r.nextToken())
                .forEach(i -> integrations.put(i.integrationId(), new Integration(i.integrationId(),
                        i.connectionTypeAsString(), i.connectionId(), i.integrationUri(), i.integrationTypeAsString())));
        List<Method> routes = new ArrayList<>();
        pages(t -> v2.getRoutes(b -> b.apiId(a.apiId()).nextToken(t)), r -> r.items(), r -> r.nextToken())
                .forEach(r -> {
                    String key = r.routeKey();
                    String verb = key.contains(" ") ? key.substring(0, key.indexOf(' ')) : null;
                    String path = key.contains(" ") ? key.substring(key.indexOf(' ') + 1) : key;
                    String target = r.target() == null ? null : r.target().replaceFirst("^integrations/", "");
                    routes.add(new Method(path, verb, r.authorizationTypeAsString(), r.authorizerId(),
                            r.authorizationScopes(), target == null ? null : integrations.get(target)));
                });
        routes.sort(java.util.Comparator.comparing(Method::path));
        List<Authorizer> authorizers = new ArrayList<>();
        routes.stream().map(Method::authorizerId).filter(z -> z != null).distinct().forEach(id -> {
            var z = v2.getAuthorizer(b -> b.apiId(a.apiId()).authorizerId(id));
            authorizers.add(new Authorizer(z.authorizerId(), z.authorizerTypeAsString(),
                    z.jwtConfiguration() == null ? null : z.jwtConfiguration().issuer(),
                    z.jwtConfiguration() == null ? List.of() : z.jwtConfiguration().audience(),
                    z.identitySource() == null || z.identitySource().isEmpty() ? null : z.identitySource().getFirst(),
                    List.of()));
        });
        return new V2Api(a.apiId(), a.name(), a.protocolTypeAsString(), a.routeSelectionExpression(), stages, routes,
                authorizers, a.ipAddressTypeAsString());
    }

    private List<HostedZone> hostedZones() {
        Route53Client r53 = clients.route53();
        Map<String, HealthCheck> checks = new HashMap<>();
        List<HostedZone> out = new ArrayList<>();
        r53.listHostedZonesPaginator(b -> { }).hostedZones().forEach(z -> {
            if (z.config() == null || !Boolean.TRUE.equals(z.config().privateZone())) {
                return;
            }
            String id = z.id().replaceFirst("^/hostedzone/", "");
            List<String> vpcs = r53.getHostedZone(b -> b.id(id)).vpCs().stream().map(v -> v.vpcId()).toList();
            List<RecordSet> records = new ArrayList<>();
            for (ResourceRecordSet r : r53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(id)).resourceRecordSets()) {
                HealthCheck hc = r.healthCheckId() == null ? null
                        : checks.computeIfAbsent(r.healthCheckId(), h -> healthCheck(r53, h));
                records.add(new RecordSet(stripDot(r.name()), r.typeAsString(), r.setIdentifier(),
                        r.failoverAsString(), r.weight(), r.regionAsString(),
                        r.aliasTarget() == null ? null : stripDot(r.aliasTarget().dnsName()),
                        r.aliasTarget() == null ? null : r.aliasTarget().evaluateTargetHealth(),
                        r.resourceRecords().stream().map(v -> stripDot(v.value())).toList(), r.ttl(), hc));
            }
            out.add(new HostedZone(id, stripDot(z.name()), vpcs, records));
        });
        return out;
    }

    private static HealthCheck healthCheck(Route53Client r53, String id) {
        HealthCheckConfig c = r53.getHealthCheck(b -> b.healthCheckId(id)).healthCheck().healthCheckConfig();
        return new HealthCheck(id, c.typeAsString(), c.requestInterval(), c.failureThreshold(), c.inverted(),
                c.disabled(), c.alarmIdentifier() == null ? null : c.alarmIdentifier().name(),
                c.insufficientDataHealthStatusAsString());
    }

    static String stripDot(String name) {
        return name == null ? null : name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * Every item of a listing paged by a token ({@code nextToken} or {@code position}), first page with a null token;
     * bounded at 10,000 pages.
     */
    static <R, T> List<T> pages(Function<String, R> call, Function<R, List<T>> items, Function<R, String> next) {
        List<T> out = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            R r = call.apply(token);
            out.addAll(items.apply(r));
            token = next.apply(r);
        } while (token != null && !token.isEmpty() && ++pages < 10_000);
        return out;
    }
}
