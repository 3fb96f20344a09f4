package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** The simulated topology of {@code vpcanary lab}. Ignored when probing real AWS. */
public record Lab(
        @JsonPropertyDescription("Loopback address block of each region.") List<LabRegion> regions,
        @JsonPropertyDescription("Address of the on-premises resolver view. Default 127.0.0.2.") String onPremisesResolver,
        @JsonPropertyDescription("Ports of front doors and resolvers.") LabPorts ports,
        @JsonPropertyDescription("Default behaviour of simulated integrations.") LabIntegration integration,
        @JsonPropertyDescription("Names of APIs the lab serves WITHOUT their authorizer, to rehearse a misconfiguration: the probe's negative-auth matrix must flag each as a security finding.") List<String> unprotectedApis,
        @JsonPropertyDescription("The lab's Route 53: time scale of health checks and alarms, and the CloudWatch and Route 53 endpoints it reads.") LabRoute53 route53,
        @JsonPropertyDescription("API Gateway's WebSocket limits as the lab applies them (frame and message size, idle timeout, connection age, new-connection rate); AWS's values by default.") LabWebSocket webSocket) {

    public static final Lab DEFAULT = new Lab(null, null, null, null, null, null, null);

    /** A lab with the default Route 53 settings and WebSocket limits. */
    public Lab(List<LabRegion> regions, String onPremisesResolver, LabPorts ports, LabIntegration integration,
               List<String> unprotectedApis) {
        this(regions, onPremisesResolver, ports, integration, unprotectedApis, null, null);
    }

    public Lab {
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (onPremisesResolver == null) {
            onPremisesResolver = "127.0.0.2";
        }
        if (ports == null) {
            ports = LabPorts.DEFAULT;
        }
        if (integration == null) {
            integration = LabIntegration.DEFAULT;
        }
        unprotectedApis = unprotectedApis == null ? List.of() : List.copyOf(unprotectedApis);
        if (route53 == null) {
            route53 = LabRoute53.DEFAULT;
        }
        if (webSocket == null) {
            webSocket = LabWebSocket.DEFAULT;
        }
    }

    public Optional<LabRegion> region(String name) {
        return regions.stream().filter(r -> r.region().equals(name)).findFirst();
    }
}
