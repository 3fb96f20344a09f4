package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A custom domain name of an API in one region. For a private API it is a private custom domain (API Gateway,
 * November 2024): identified by its ARN with a {@link #domainNameId()}, guarded by its own execute-api
 * {@link #policy()} (evaluated as well as the API's resource policy), and called through the VPC endpoints that have
 * a domain name access association with it: {@link #vpcEndpoint()} (with a private hosted zone associated with
 * {@link #hostedZoneVpcs()} whose alias record points at that endpoint) and each of {@link #accessAssociations()},
 * possibly another account's.
 */
public record CustomDomain(
        @JsonPropertyDescription("Fully qualified domain name, such as orders.internal.example.com.") String domain,
        @JsonPropertyDescription("Base path mapping; empty maps the domain root to the stage.") String basePath,
        @JsonPropertyDescription("Private custom domains: the VPC endpoint with the domain name access association (the alias target).") String vpcEndpoint,
        @JsonPropertyDescription("Private custom domains: ids of the VPCs associated with the private hosted zone. Default: the VPC of vpcEndpoint.") List<String> hostedZoneVpcs,
        @JsonPropertyDescription("BASIC (default) or STRICT: the request must arrive with a TLS server name (SNI) matching its Host header, so the VPC endpoint hostname with Host: {domain} is refused with 403; calls by the domain name work.") EndpointAccessMode endpointAccessMode,
        @JsonPropertyDescription("TLS security policy of the domain name: TLS_1_0, TLS_1_2 (default), SecurityPolicy_TLS13_1_2_2021_06 or SecurityPolicy_TLS13_1_3_2025_09 (TLS 1.3 only).") SecurityPolicy securityPolicy,
        @JsonPropertyDescription("Private custom domains: the identifier API Gateway gives the domain, 8 to 10 lowercase letters or digits, as in its ARN arn:aws:apigateway:{region}:{account}:/domainnames/{domain}+{domainNameId}. Default: one derived from the domain name.") String domainNameId,
        @JsonPropertyDescription("Private custom domains: the domain's execute-api policy, evaluated as well as the API's resource policy (execute-api:/* stands for the domain's execute-api ARN). Absent: the lab evaluates no domain layer.") JsonNode policy,
        @JsonPropertyDescription("Private custom domains: further domain name access associations, each a VPC endpoint (possibly another account's) and the VPCs of its owner's private hosted zone.") List<AccessAssociation> accessAssociations,
        @JsonPropertyDescription("API_MAPPING_ONLY (default), ROUTING_RULE_ONLY or ROUTING_RULE_THEN_API_MAPPING: whether the domain's routingRules, its base path mappings, or the rules and then the mappings pick the API.") RoutingMode routingMode,
        @JsonPropertyDescription("The domain's routing rules (REST APIs, June 2025), evaluated by ascending priority when routingMode uses them.") List<RoutingRule> routingRules,
        @JsonPropertyDescription("Regional custom domains: IPV4 (default) or DUALSTACK, whether the domain name also has AAAA records (March 2025). Private custom domains are reached as their VPC endpoints' dnsRecordIpType says.") IpAddressType ipAddressType) {

    private static final Pattern DOMAIN_NAME_ID = Pattern.compile("[a-z0-9]{8,10}");

    public CustomDomain {
        if (endpointAccessMode == null) {
            endpointAccessMode = EndpointAccessMode.BASIC;
        }
        if (securityPolicy == null) {
            securityPolicy = SecurityPolicy.TLS_1_2;
        }
        basePath = basePath == null ? "" : stripSlashes(basePath);
        hostedZoneVpcs = hostedZoneVpcs == null ? List.of() : List.copyOf(hostedZoneVpcs);
        accessAssociations = accessAssociations == null ? List.of() : List.copyOf(accessAssociations);
        if (routingMode == null) {
            routingMode = RoutingMode.API_MAPPING_ONLY;
        }
        routingRules = routingRules == null ? List.of() : List.copyOf(routingRules);
    }

    /**
     * Every domain name access association: the one of {@link #vpcEndpoint()} first (when given), then
     * {@link #accessAssociations()}. Empty for a regional custom domain.
     */
    @JsonIgnore
    public List<AccessAssociation> associations() {
        List<AccessAssociation> all = new ArrayList<>();
        if (vpcEndpoint != null) {
            all.add(new AccessAssociation(vpcEndpoint, hostedZoneVpcs));
        }
        all.addAll(accessAssociations);
        return all;
    }

    /** Whether {@code vpcEndpointId} has a domain name access association with this domain. */
    public boolean associatedWith(String vpcEndpointId) {
        return associations().stream().anyMatch(a -> a.vpcEndpoint().equals(vpcEndpointId));
    }

    /** Whether a domain id given in the estate has API Gateway's form (8 to 10 lowercase letters or digits). */
    public static boolean validDomainNameId(String id) {
        return id != null && DOMAIN_NAME_ID.matcher(id).matches();
    }

    /**
     * The domain's identifier: {@link #domainNameId()} when given, else 10 characters derived from the domain name
     * (stable across runs, so the lab's ARNs do not change).
     */
    @JsonIgnore
    public String effectiveDomainNameId() {
        if (domainNameId != null) {
            return domainNameId;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(domain.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                sb.append(Character.forDigit((h[i] & 0xff) % 36, 36));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The domain's ARN: {@code arn:aws:apigateway:{region}:{account}:/domainnames/{domain}+{domainNameId}}. */
    public String arn(String region, String account) {
        return "arn:aws:apigateway:" + region + ":" + account + ":/domainnames/" + domain + "+" + effectiveDomainNameId();
    }

    /**
     * The resource its execute-api policy governs:
     * {@code arn:aws:execute-api:{region}:{account}:/domainnames/{domain}+{domainNameId}}.
     */
    public String executeApiArn(String region, String account) {
        return "arn:aws:execute-api:" + region + ":" + account + ":/domainnames/" + domain + "+" + effectiveDomainNameId();
    }

    /** A base path without leading and trailing slashes. */
    static String stripSlashes(String p) {
        String s = p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
