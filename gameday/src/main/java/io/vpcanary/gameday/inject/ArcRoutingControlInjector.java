package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.gameday.aws.AwsClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControlState;

/**
 * A Route 53 ARC routing control set to a state on the cluster's data plane ({@code UpdateRoutingControlState}), each
 * call tried on the cluster's endpoints in order as AWS advises; the journal keeps the previous state
 * ({@code GetRoutingControlState}), which the restore sets back.
 */
public final class ArcRoutingControlInjector implements FaultInjector {

    static final String KIND = "ARC_ROUTING_CONTROL";

    private final Function<URI, AwsClients> aws;
    private final URI emulator;
    private final String arn;
    private final List<String> endpoints;
    private final String region;
    private final String state;

    public ArcRoutingControlInjector(Function<URI, AwsClients> aws, URI emulator, String arn, List<String> endpoints,
                                     String region, String state) {
        this.aws = aws;
        this.emulator = emulator;
        this.arn = arn;
        this.endpoints = List.copyOf(endpoints);
        this.region = region;
        this.state = state == null ? "Off" : state;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "Route 53 ARC routing control " + arn + " -> " + state;
    }

    @Override
    public ObjectNode prepare() {
        ObjectNode r = new ObjectMapper().createObjectNode().put("routingControlArn", arn).put("region", region);
        endpoints.forEach(r.putArray("clusterEndpoints")::add);
        if (emulator != null) {
            r.put("endpoint", emulator.toString());
        }
        String[] previous = new String[1];
        onAnyEndpoint(aws, r, c -> previous[0] = c.getRoutingControlState(b -> b.routingControlArn(arn))
                .routingControlStateAsString());
        return r.put("previousState", previous[0]);
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        onAnyEndpoint(aws, prepared, c -> c.updateRoutingControlState(b -> b.routingControlArn(arn)
                .routingControlState(RoutingControlState.fromValue(state))));
        return prepared;
    }

    /** Runs {@code call} on the first cluster endpoint of {@code r} that answers. */
    static void onAnyEndpoint(Function<URI, AwsClients> aws, JsonNode r,
                              Consumer<Route53RecoveryClusterClient> call) {
        String emulator = r.path("endpoint").asText(null);
        AwsClients clients = aws.apply(emulator == null ? null : URI.create(emulator));
        List<String> failures = new ArrayList<>();
        for (JsonNode e : r.path("clusterEndpoints")) {
            try {
                call.accept(clients.arc(URI.create(e.asText()), r.path("region").asText()));
                return;
            } catch (RuntimeException ex) {
                failures.add(e.asText() + ": " + ex.getMessage());
                if (emulator != null) {
                    break; // one emulator stands for every endpoint
                }
            }
        }
        throw new IllegalStateException("no cluster endpoint answered: " + String.join("; ", failures));
    }
}
