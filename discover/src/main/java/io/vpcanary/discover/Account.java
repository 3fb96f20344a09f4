package io.vpcanary.discover;

import java.util.List;
import java.util.Map;

/**
 * What {@link AccountReader} read from an account: the facts as AWS states them, before {@link EstateBuilder} turns
 * them into an estate. Immutable.
 *
 * @param regions     each region read, in the order asked
 * @param hostedZones Route 53's private hosted zones (a global service: read once)
 * @param notes       what could not be read, one line each (a call the endpoint does not implement, say)
 */
public record Account(List<RegionInventory> regions, List<HostedZone> hostedZones, List<String> notes) {

    public Account {
        regions = List.copyOf(regions);
        hostedZones = List.copyOf(hostedZones);
        notes = List.copyOf(notes);
    }

    /**
     * One region of the account.
     *
     * @param associations the domain name access associations (domain name to VPC endpoint ids), or null when the
     *                     endpoint does not answer {@code GetDomainNameAccessAssociations}
     */
    public record RegionInventory(String region, String ownerAccount, List<Endpoint> endpoints,
                                  Map<String, String> vpcNames, List<RestApi> restApis, List<Domain> domains,
                                  List<V2Api> v2Apis, List<String> vpcLinks, Map<String, List<String>> associations) {
    }

    /**
     * An execute-api interface endpoint: {@code dnsNames} as DescribeVpcEndpoints lists them; its IP address type
     * and DNS record IP type as EC2 names them ({@code ipv4}, {@code dualstack}, {@code ipv6}, for records also
     * {@code service-defined}), null when not returned.
     */
    public record Endpoint(String id, String vpc, boolean privateDns, List<String> dnsNames, List<String> zones,
                           String policy, String ipAddressType, String dnsRecordIpType) {

        /** An endpoint whose IP address types were not returned. */
        public Endpoint(String id, String vpc, boolean privateDns, List<String> dnsNames, List<String> zones,
                        String policy) {
            this(id, vpc, privateDns, dnsNames, zones, policy, null, null);
        }
    }

    /** A REST API: its endpoint type (PRIVATE, REGIONAL or EDGE), associated endpoints, policy, stages, methods. */
    public record RestApi(String id, String name, String endpointType, List<String> vpcEndpointIds, String policy,
                          List<String> stages, List<Method> methods, List<Authorizer> authorizers,
                          String ipAddressType) {

        /** An API whose IP address type ({@code ipv4} or {@code dualstack}) was not returned. */
        public RestApi(String id, String name, String endpointType, List<String> vpcEndpointIds, String policy,
                       List<String> stages, List<Method> methods, List<Authorizer> authorizers) {
            this(id, name, endpointType, vpcEndpointIds, policy, stages, methods, authorizers, null);
        }
    }

    /** A method of a REST API resource, or a route of an HTTP API ({@code GET /items}). */
    public record Method(String path, String httpMethod, String authorizationType, String authorizerId,
                         List<String> scopes, Integration integration) {
    }

    /** An integration: how it connects (INTERNET or VPC_LINK), the VPC link, its URI, its type. */
    public record Integration(String id, String connectionType, String connectionId, String uri, String type) {
    }

    /** An authorizer: type (JWT, COGNITO_USER_POOLS, TOKEN, REQUEST), JWT issuer and audiences, identity source. */
    public record Authorizer(String id, String type, String issuer, List<String> audiences, String identitySource,
                             List<String> providerArns) {
    }

    /** A custom domain name (API Gateway v1 and v2 share the names) and its base path or API mappings. */
    public record Domain(String name, String domainNameId, boolean isPrivate, String policy, List<Mapping> mappings,
                         String ipAddressType) {

        /** A domain whose IP address type was not returned. */
        public Domain(String name, String domainNameId, boolean isPrivate, String policy, List<Mapping> mappings) {
            this(name, domainNameId, isPrivate, policy, mappings, null);
        }
    }

    /** A base path mapping or API mapping: base path ("" for the root), API id, stage. */
    public record Mapping(String basePath, String apiId, String stage) {
    }

    /** An HTTP or WebSocket API (API Gateway v2). */
    public record V2Api(String id, String name, String protocol, String routeSelectionExpression, List<String> stages,
                        List<Method> routes, List<Authorizer> authorizers, String ipAddressType) {

        /** An API whose IP address type was not returned. */
        public V2Api(String id, String name, String protocol, String routeSelectionExpression, List<String> stages,
                     List<Method> routes, List<Authorizer> authorizers) {
            this(id, name, protocol, routeSelectionExpression, stages, routes, authorizers, null);
        }
    }

    /** A private hosted zone and the VPCs associated with it. */
    public record HostedZone(String id, String name, List<String> vpcs, List<RecordSet> records) {
    }

    /**
     * A record set: alias target or values, the routing fields (set identifier, failover role, weight, latency region)
     * and its health check, if any.
     */
    public record RecordSet(String name, String type, String setIdentifier, String failover, Long weight,
                            String region, String aliasTarget, Boolean evaluateTargetHealth, List<String> values,
                            Long ttl, HealthCheck healthCheck) {
    }

    /** A Route 53 health check's configuration. */
    public record HealthCheck(String id, String type, Integer interval, Integer failureThreshold, Boolean inverted,
                              Boolean disabled, String alarmName, String insufficientData) {
    }
}
