package io.vpcanary.labenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the lab's control channel, written and read by the lab and by {@link LabControl}: one codec for both
 * ends. A fault spec is {@code {"kind":"ERROR_RATE","target":"us-east-1","rate":0.5,"duration":"PT30S"}} ({@code
 * latencyMs} for LATENCY); a fault adds {@code id}, {@code started} and {@code expires} (ISO-8601 instants).
 */
public final class LabControlJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private LabControlJson() {
    }

    /** The JSON of a spec. */
    public static ObjectNode spec(FaultSpec spec) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", spec.kind().name());
        o.put("target", spec.target());
        if (spec.rate() != null) {
            o.put("rate", spec.rate());
        }
        if (spec.latencyMs() != null) {
            o.put("latencyMs", spec.latencyMs());
        }
        o.put("duration", spec.duration().toString());
        return o;
    }

    /**
     * A spec from its JSON.
     *
     * @throws IllegalArgumentException with a one-line message naming what is wrong
     */
    public static FaultSpec spec(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a fault is a JSON object with kind, target and duration");
        }
        String kindText = text(o, "kind");
        FaultSpec.Kind kind;
        try {
            kind = FaultSpec.Kind.valueOf(kindText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault kind '" + kindText + "'; kinds: "
                    + List.of(FaultSpec.Kind.values()));
        }
        Duration duration;
        try {
            duration = Duration.parse(text(o, "duration"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("duration '" + o.path("duration").asText()
                    + "' is not an ISO-8601 duration such as PT30S");
        }
        Double rate = o.hasNonNull("rate") ? o.get("rate").asDouble() : null;
        Long latency = o.hasNonNull("latencyMs") ? o.get("latencyMs").asLong() : null;
        return new FaultSpec(kind, o.path("target").asText(null), rate, latency, duration);
    }

    /** The JSON of a fault. */
    public static ObjectNode fault(Fault f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", f.id());
        o.setAll(spec(f.spec()));
        o.put("started", f.started().toString());
        o.put("expires", f.expires().toString());
        return o;
    }

    /** A fault from its JSON. */
    public static Fault fault(JsonNode o) {
        return new Fault(o.path("id").asText(), spec(o), Instant.parse(o.path("started").asText()),
                Instant.parse(o.path("expires").asText()));
    }

    /** {@code {"faults":[...]}}. */
    public static ObjectNode faults(List<Fault> faults) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("faults");
        faults.forEach(f -> a.add(fault(f)));
        return o;
    }

    /** The faults of {@code {"faults":[...]}}. */
    public static List<Fault> faults(JsonNode o) {
        List<Fault> out = new ArrayList<>();
        o.path("faults").forEach(f -> out.add(fault(f)));
        return out;
    }

    /** {@code {"timeScale":N,"healthChecks":[...]}}. */
    public static ObjectNode healthChecks(int timeScale, List<HealthCheckStatus> checks) {
        ObjectNode o = JSON.createObjectNode();
        o.put("timeScale", timeScale);
        ArrayNode a = o.putArray("healthChecks");
        for (HealthCheckStatus s : checks) {
            ObjectNode n = a.addObject();
            n.put("domain", s.domain());
            n.put("setIdentifier", s.setIdentifier());
            n.put("api", s.api());
            n.put("region", s.region());
            n.put("type", s.type());
            n.put("healthy", s.healthy());
            if (s.observedHealthy() != null) {
                n.put("observedHealthy", s.observedHealthy());
            }
            n.put("inverted", s.inverted());
            n.put("disabled", s.disabled());
            if (s.alarm() != null) {
                n.put("alarm", s.alarm());
            }
            if (s.alarmState() != null) {
                n.put("alarmState", s.alarmState());
            }
            if (s.route53HealthCheckId() != null) {
                n.put("route53HealthCheckId", s.route53HealthCheckId());
            }
            n.put("since", s.since().toString());
        }
        return o;
    }

    /** The statuses of {@code {"healthChecks":[...]}}. */
    public static List<HealthCheckStatus> healthChecks(JsonNode o) {
        List<HealthCheckStatus> out = new ArrayList<>();
        for (JsonNode n : o.path("healthChecks")) {
            out.add(new HealthCheckStatus(n.path("domain").asText(), n.path("setIdentifier").asText(),
                    n.path("api").asText(), n.path("region").asText(), n.path("type").asText(),
                    n.path("healthy").asBoolean(),
                    n.hasNonNull("observedHealthy") ? n.get("observedHealthy").asBoolean() : null,
                    n.path("inverted").asBoolean(), n.path("disabled").asBoolean(), n.path("alarm").asText(null),
                    n.path("alarmState").asText(null), n.path("route53HealthCheckId").asText(null),
                    Instant.parse(n.path("since").asText())));
        }
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || n.asText().isBlank()) {
            throw new IllegalArgumentException("a fault needs " + field);
        }
        return n.asText();
    }
}
