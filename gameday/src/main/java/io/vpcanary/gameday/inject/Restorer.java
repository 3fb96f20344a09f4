package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.gameday.aws.AwsClients;
import io.vpcanary.gameday.journal.Journal;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControlState;

/**
 * Puts back one journalled change from its restore information alone, whatever process made it. Each kind restores
 * the previous value it recorded (never a default): Inverted as it was, the routing control's previous state, the
 * metric's previous value, the experiment stopped, the lab fault cleared, the user's restore command run.
 */
public final class Restorer {

    private final Function<URI, AwsClients> aws;

    /** @param aws the control-plane clients for an emulator endpoint (null: the SDK's own endpoints) */
    public Restorer(Function<URI, AwsClients> aws) {
        this.aws = aws;
    }

    /** What one restore did. */
    public record Restored(Journal.Change change, boolean ok, String detail) {
    }

    /** Restores every pending change of {@code journal}, newest first, marking each restored; failures are reported. */
    public List<Restored> restoreAll(Journal journal) {
        List<Journal.Change> pending = new ArrayList<>(journal.pending());
        java.util.Collections.reverse(pending);
        List<Restored> out = new ArrayList<>();
        for (Journal.Change c : pending) {
            try {
                String detail = restore(c.kind(), c.restore());
                journal.restored(c.id());
                out.add(new Restored(c, true, detail));
            } catch (RuntimeException e) {
                out.add(new Restored(c, false, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return out;
    }

    /** Restores one change; answers what was done. */
    public String restore(String kind, JsonNode r) {
        return switch (kind) {
            case LabFaultInjector.KIND -> labFault(r);
            case HealthCheckInversionInjector.KIND -> {
                String id = r.path("healthCheckId").asText();
                boolean inverted = r.path("previousInverted").asBoolean();
                clients(r).route53().updateHealthCheck(b -> b.healthCheckId(id).inverted(inverted));
                yield "health check " + id + " Inverted back to " + inverted;
            }
            case AlarmMetricInjector.KIND -> {
                if (r.path("previousValue").isMissingNode() || r.path("previousValue").isNull()) {
                    yield "stopped publishing " + r.path("metric").asText() + " (no previous value to put back)";
                }
                double v = r.path("previousValue").asDouble();
                List<Dimension> dims = new ArrayList<>();
                r.path("dimensions").properties().forEach(e -> dims.add(Dimension.builder().name(e.getKey())
                        .value(e.getValue().asText()).build()));
                clients(r).cloudWatch(r.path("region").asText()).putMetricData(b -> b
                        .namespace(r.path("namespace").asText()).metricData(d -> d.metricName(r.path("metric")
                                .asText()).dimensions(dims).value(v).unit(StandardUnit.NONE).timestamp(Instant.now())));
                yield "published the previous value " + v + " to " + r.path("metric").asText();
            }
            case FisExperimentInjector.KIND -> {
                String id = r.path("experimentId").asText(null);
                if (id == null) {
                    yield "no experiment was started";
                }
                clients(r).fis(r.path("region").asText()).stopExperiment(b -> b.id(id));
                yield "stopped FIS experiment " + id;
            }
            case ArcRoutingControlInjector.KIND -> {
                String previous = r.path("previousState").asText();
                ArcRoutingControlInjector.onAnyEndpoint(aws, r, c -> c.updateRoutingControlState(b -> b
                        .routingControlArn(r.path("routingControlArn").asText())
                        .routingControlState(RoutingControlState.fromValue(previous))));
                yield "routing control " + r.path("routingControlArn").asText() + " back to " + previous;
            }
            case CommandInjector.KIND -> {
                List<String> cmd = new ArrayList<>();
                r.path("restore").forEach(n -> cmd.add(n.asText()));
                CommandInjector.run(cmd);
                yield "ran " + cmd.getFirst();
            }
            default -> throw new IllegalArgumentException("unknown change kind '" + kind + "' in the journal");
        };
    }

    private String labFault(JsonNode r) {
        LabEnvironment env;
        try {
            env = LabEnvironment.read(Path.of(r.path("labEnv").asText()));
        } catch (IOException e) {
            return "the lab's environment file is gone: its faults ended with the lab";
        }
        LabControl control = LabControl.of(env);
        try {
            String id = r.path("faultId").asText(null);
            if (id != null) {
                return control.clear(id) ? "cleared lab fault " + id : "lab fault " + id + " had already ended";
            }
            FaultSpec.Kind kind = FaultSpec.Kind.valueOf(r.path("spec").path("kind").asText());
            String target = r.path("spec").path("target").asText();
            int cleared = 0;
            for (var f : control.list()) {
                if (f.spec().kind() == kind && f.spec().target().equals(target) && control.clear(f.id())) {
                    cleared++;
                }
            }
            return "cleared " + cleared + " lab fault(s) " + kind + " " + target;
        } catch (UncheckedIOException unreachable) {
            return "the lab is not running: its faults ended with it";
        }
    }

    private AwsClients clients(JsonNode r) {
        String endpoint = r.path("endpoint").asText(null);
        return aws.apply(endpoint == null ? null : URI.create(endpoint));
    }
}
