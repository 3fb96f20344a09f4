package io.vpcanary.discover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IAM policy discovery needs, and nothing more: {@code apigateway:GET} on the REST API, domain name, access
 * association, HTTP/WebSocket API and VPC link paths (API Gateway authorises its management reads, v1 and v2, as
 * {@code GET} on the resource path); EC2's three Describe calls; Route 53's four reads. Every action is a read.
 * {@code vpcanary discover --print-policy} prints it; {@code DiscoveryMotoTest} checks every call discovery made is
 * one it allows.
 */
public final class DiscoveryPolicy {

    /** API Gateway resource paths discovery reads ({@code apigateway:GET}), in every region. */
    static final List<String> API_GATEWAY_RESOURCES = List.of(
            "arn:aws:apigateway:*::/restapis", "arn:aws:apigateway:*::/restapis/*",
            "arn:aws:apigateway:*::/domainnames", "arn:aws:apigateway:*::/domainnames/*",
            "arn:aws:apigateway:*::/domainnameaccessassociations",
            "arn:aws:apigateway:*::/apis", "arn:aws:apigateway:*::/apis/*",
            "arn:aws:apigateway:*::/vpclinks", "arn:aws:apigateway:*::/vpclinks/*");

    static final List<String> EC2_ACTIONS = List.of("ec2:DescribeVpcEndpoints", "ec2:DescribeVpcs",
            "ec2:DescribeSubnets");

    static final List<String> ROUTE53_ACTIONS = List.of("route53:ListHostedZones", "route53:GetHostedZone",
            "route53:ListResourceRecordSets", "route53:GetHealthCheck");

    private DiscoveryPolicy() {
    }

    /** The policy document, as JSON. */
    public static String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", List.of(
                statement("ApiGatewayRead", List.of("apigateway:GET"), API_GATEWAY_RESOURCES),
                statement("Ec2Read", EC2_ACTIONS, List.of("*")),
                statement("Route53Read", ROUTE53_ACTIONS, List.of("*"))));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Sid", sid);
        s.put("Effect", "Allow");
        s.put("Action", actions);
        s.put("Resource", resources);
        return s;
    }

    /**
     * Whether the policy allows a call named as {@link DiscoverClients#operations()} names it
     * ({@code Service:Operation}): API Gateway reads ({@code Get...}) through {@code apigateway:GET}, EC2 and Route 53
     * calls by their own action.
     */
    static boolean allows(String operation) {
        String service = operation.substring(0, operation.indexOf(':'));
        String name = operation.substring(operation.indexOf(':') + 1);
        return switch (service) {
            case "ApiGateway", "ApiGatewayV2" -> name.startsWith("Get");
            case "Ec2" -> EC2_ACTIONS.contains("ec2:" + name);
            case "Route53" -> ROUTE53_ACTIONS.contains("route53:" + name);
            default -> false;
        };
    }
}
