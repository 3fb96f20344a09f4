package io.vpcanary.lab.route53;

import io.vpcanary.metrics.AlarmRule;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.InsufficientDataHealthStatus;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53.model.VPCRegion;

/**
 * The routing domains' records and health checks in a Route 53 API (such as moto_server): {@link #load} reads what
 * the lab routes by, {@link #put} creates them from an estate (what a rehearsal's setup does, and the tests).
 *
 * <p>A record set of a domain is matched to the estate's record by its SetIdentifier ({@code {api}-{region}} unless
 * the estate names another). From Route 53 the lab takes the weight, the failover role, the TTL and the health check
 * (type, Inverted, Disabled, request interval, failure threshold, insufficient-data status); moto drops a
 * CLOUDWATCH_METRIC check's alarm, so the alarm stays the estate's. Thread-safe.
 */
public final class Route53Records implements AutoCloseable {

    /** Route 53's hosted zone id of VPC endpoint aliases' targets is per region; the lab's stand-in. */
    static final String ALIAS_ZONE = "ZVPCANARYLABVPCE";

    /**
     * What Route 53 holds for one estate record.
     *
     * @param setIdentifier the record's SetIdentifier
     * @param weight        its weight (WEIGHTED), else null
     * @param role          PRIMARY or SECONDARY (FAILOVER), else null
     * @param ttl           its TTL (not an alias), else null
     * @param healthCheck   its health check as the estate models one, or null without one
     * @param healthCheckId the Route 53 id of that health check, or null
     */
    public record Loaded(String setIdentifier, Integer weight, String role, Long ttl,
                         RoutingRecord.HealthCheck healthCheck, String healthCheckId) {
    }

    private final Route53Client client;

    Route53Records(Route53Client client) {
        this.client = client;
    }

    /** The Route 53 API at {@code endpoint}. */
    public static Route53Records at(URI endpoint) {
        return new Route53Records(Route53Client.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(AlarmMetrics.EMULATOR_CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .build());
    }

    /**
     * The record sets of {@code domain} in the hosted zone whose name is its longest suffix, by SetIdentifier; empty
     * when no hosted zone holds the domain.
     */
    public Map<String, Loaded> load(RoutingDomain domain) {
        Optional<HostedZone> zone = zoneOf(domain.domain());
        Map<String, Loaded> out = new LinkedHashMap<>();
        if (zone.isEmpty()) {
            return out;
        }
        String name = fqdn(domain.domain());
        for (ResourceRecordSet rs : client.listResourceRecordSetsPaginator(r -> r.hostedZoneId(zone.get().id()))
                .resourceRecordSets()) {
            if (!rs.name().toLowerCase(Locale.ROOT).equals(name) || rs.setIdentifier() == null
                    || rs.type() != RRType.A) {
                continue;
            }
            RoutingRecord.HealthCheck hc = null;
            if (rs.healthCheckId() != null) {
                hc = healthCheck(client.getHealthCheck(r -> r.healthCheckId(rs.healthCheckId())).healthCheck());
            }
            out.put(rs.setIdentifier(), new Loaded(rs.setIdentifier(),
                    rs.weight() == null ? null : rs.weight().intValue(),
                    rs.failover() == null ? null : rs.failover().toString(), rs.ttl(), hc, rs.healthCheckId()));
        }
        return out;
    }

    private static RoutingRecord.HealthCheck healthCheck(HealthCheck h) {
        HealthCheckConfig c = h.healthCheckConfig();
        RoutingRecord.HealthCheckType type = c.type() == HealthCheckType.CLOUDWATCH_METRIC
                ? RoutingRecord.HealthCheckType.CLOUDWATCH_METRIC : RoutingRecord.HealthCheckType.HTTPS;
        return new RoutingRecord.HealthCheck(type, c.requestInterval(), c.failureThreshold(),
                c.insufficientDataHealthStatus() == null ? null : c.insufficientDataHealthStatusAsString(),
                c.inverted(), c.disabled());
    }

    private Optional<HostedZone> zoneOf(String domain) {
        String name = fqdn(domain);
        return client.listHostedZonesPaginator().hostedZones().stream()
                .filter(z -> name.equals(z.name().toLowerCase(Locale.ROOT))
                        || name.endsWith("." + z.name().toLowerCase(Locale.ROOT)))
                .max(Comparator.comparingInt(z -> z.name().length()));
    }

    /**
     * Creates a private hosted zone per routing domain of {@code estate} (named as the domain, associated with the
     * first VPC of the estate), a health check per record as the estate models it (CLOUDWATCH_METRIC ones with
     * {@code alarmRegion}/{@code alarmName} of {@link AlarmRule#health}) and the domain's record sets.
     *
     * @return the Route 53 health check id per {@code domain/setIdentifier}
     */
    public Map<String, String> put(Estate estate, String namespace) {
        Map<String, String> ids = new LinkedHashMap<>();
        var vpc = estate.network().vpcs().getFirst();
        for (RoutingDomain d : estate.routingDomains()) {
            String zoneId = zoneOf(d.domain()).map(HostedZone::id).orElseGet(() -> client.createHostedZone(r -> r
                    .name(d.domain()).callerReference("vpcanary-lab-" + d.domain())
                    .vpc(v -> v.vpcId(vpc.id()).vpcRegion(VPCRegion.fromValue(vpc.region())))
                    .hostedZoneConfig(c -> c.privateZone(true))).hostedZone().id());
            List<Change> changes = new ArrayList<>();
            for (RoutingRecord rec : d.records()) {
                RoutingRecord.HealthCheck hc = rec.check();
                String hcId = null;
                if (hc.type() != RoutingRecord.HealthCheckType.NONE) {
                    AlarmRule alarm = AlarmRule.health(estate, rec, namespace);
                    hcId = client.createHealthCheck(r -> r.callerReference("vpcanary-lab-" + d.domain() + "-"
                            + rec.setId()).healthCheckConfig(c -> {
                                c.inverted(hc.inverted()).disabled(hc.disabled());
                                if (hc.type() == RoutingRecord.HealthCheckType.HTTPS) {
                                    c.type(HealthCheckType.HTTPS).resourcePath("/ping").port(443)
                                            .fullyQualifiedDomainName(d.domain())
                                            .requestInterval(hc.intervalSeconds())
                                            .failureThreshold(hc.failureThreshold());
                                } else {
                                    c.type(HealthCheckType.CLOUDWATCH_METRIC)
                                            .alarmIdentifier(a -> a.region(rec.region()).name(alarm.name()))
                                            .insufficientDataHealthStatus(InsufficientDataHealthStatus.fromValue(
                                                    hc.insufficientDataHealthStatus()));
                                }
                            })).healthCheck().id();
                }
                ids.put(d.domain() + "/" + rec.setId(), hcId);
                ResourceRecordSet.Builder rs = ResourceRecordSet.builder().name(d.domain()).type(RRType.A)
                        .setIdentifier(rec.setId()).healthCheckId(hcId);
                switch (d.policy()) {
                    case FAILOVER -> rs.failover(ResourceRecordSetFailover.fromValue(rec.role()));
                    case WEIGHTED -> rs.weight((long) rec.weight());
                    case LATENCY -> rs.region(rec.region());
                }
                if (d.isAlias()) {
                    rs.aliasTarget(AliasTarget.builder().hostedZoneId(ALIAS_ZONE)
                            .dnsName(rec.api() + "." + rec.region() + ".vpcanary.invalid")
                            .evaluateTargetHealth(rec.evaluatesTargetHealth()).build());
                } else {
                    rs.ttl(d.ttlSeconds()).resourceRecords(ResourceRecord.builder().value("127.0.0.1").build());
                }
                changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(rs.build()).build());
            }
            client.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(changes)));
        }
        return ids;
    }

    private static String fqdn(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    @Override
    public void close() {
        client.close();
    }
}
