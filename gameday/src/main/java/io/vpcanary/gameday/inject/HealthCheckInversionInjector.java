package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.gameday.aws.AwsClients;
import java.util.Comparator;
import java.util.Locale;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Route 53's Inverted flipped on one health check through the SDK ({@code UpdateHealthCheck}): a healthy primary then
 * reads as unhealthy and Route 53 fails over. The journal keeps the previous Inverted, which the restore puts back.
 */
public final class HealthCheckInversionInjector implements FaultInjector {

    static final String KIND = "HEALTH_CHECK_INVERSION";

    private final AwsClients aws;
    private final String healthCheckId;
    private Boolean previous;

    private HealthCheckInversionInjector(AwsClients aws, String healthCheckId) {
        this.aws = aws;
        this.healthCheckId = healthCheckId;
    }

    /** The injector of health check {@code id}. */
    public static HealthCheckInversionInjector of(AwsClients aws, String id) {
        return new HealthCheckInversionInjector(aws, id);
    }

    /**
     * The injector of the health check of {@code domain}'s record with SetIdentifier {@code setIdentifier}, found in
     * the hosted zone whose name is the domain's longest suffix.
     *
     * @throws IllegalArgumentException when no zone, record or health check is found
     */
    public static HealthCheckInversionInjector ofRecord(AwsClients aws, String domain, String setIdentifier) {
        String fqdn = (domain.endsWith(".") ? domain : domain + ".").toLowerCase(Locale.ROOT);
        HostedZone zone = aws.route53().listHostedZonesPaginator(r -> { }).hostedZones().stream()
                .filter(z -> fqdn.endsWith("." + z.name().toLowerCase(Locale.ROOT)) || fqdn.equals(z.name()))
                .max(Comparator.comparingInt(z -> z.name().length()))
                .orElseThrow(() -> new IllegalArgumentException("no Route 53 hosted zone holds " + domain));
        ResourceRecordSet rs = aws.route53().listResourceRecordSetsPaginator(r -> r.hostedZoneId(zone.id()))
                .resourceRecordSets().stream()
                .filter(s -> s.name().equalsIgnoreCase(fqdn) && setIdentifier.equals(s.setIdentifier()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no record " + domain + " ["
                        + setIdentifier + "] in hosted zone " + zone.name()));
        if (rs.healthCheckId() == null) {
            throw new IllegalArgumentException("record " + domain + " [" + setIdentifier + "] has no health check to "
                    + "invert");
        }
        return new HealthCheckInversionInjector(aws, rs.healthCheckId());
    }

    public String healthCheckId() {
        return healthCheckId;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "Route 53 health check " + healthCheckId + " Inverted " + previous + " -> " + !previous;
    }

    @Override
    public ObjectNode prepare() {
        previous = Boolean.TRUE.equals(aws.route53().getHealthCheck(b -> b.healthCheckId(healthCheckId)).healthCheck()
                .healthCheckConfig().inverted());
        ObjectNode r = new ObjectMapper().createObjectNode().put("healthCheckId", healthCheckId)
                .put("previousInverted", previous);
        if (aws.endpoint() != null) {
            r.put("endpoint", aws.endpoint().toString());
        }
        return r;
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        aws.route53().updateHealthCheck(b -> b.healthCheckId(healthCheckId).inverted(!previous));
        return prepared;
    }
}
