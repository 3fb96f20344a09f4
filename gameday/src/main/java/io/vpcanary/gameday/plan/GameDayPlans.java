package io.vpcanary.gameday.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.vpcanary.core.Durations;
import io.vpcanary.core.Vantages;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.EstateValidator.Violation;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.labenv.FaultSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates game-day plans, and generates their JSON Schema. A plan is read as strictly as an estate
 * (unknown fields, wrong types and duplicate keys refused) by the estate's YAML machinery, and every problem is
 * {@code file:line:column: field: message} ({@link EstateException}, exit 2 in the command). References to the estate
 * (the routing domain, vantages, record set identifiers) are checked against the estate the game day runs on.
 */
public final class GameDayPlans {

    /** Fields a plan must give, by record and field (the schema's {@code required}). */
    static final Map<Class<?>, List<String>> REQUIRED = Map.of(
            GameDayPlan.class, List.of("domain", "fault"),
            GameDayPlan.LabFault.class, List.of("kind", "target"),
            GameDayPlan.AlarmMetric.class, List.of("alarm", "region"),
            GameDayPlan.FisExperiment.class, List.of("templateId", "region"),
            GameDayPlan.ArcRoutingControl.class, List.of("routingControlArn", "clusterEndpoints", "region"),
            GameDayPlan.Command.class, List.of("inject", "restore"),
            GameDayPlan.AlarmRef.class, List.of("name", "region"));

    private GameDayPlans() {
    }

    /** Loads and validates the plan at {@code file} against {@code estate}. */
    public static GameDayPlan load(Path file, Estate estate) throws EstateException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EstateException(List.of(new EstateException.Problem(file, 0, 0, "",
                    "cannot read the game-day plan: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
        return parse(file, text, estate);
    }

    /** Parses and validates plan YAML; {@code file} names it in problems. */
    public static GameDayPlan parse(Path file, String text, Estate estate) throws EstateException {
        return EstateLoader.parse(file, text, GameDayPlan.class, "game-day plan", p -> validate(p, estate));
    }

    /** The rules the type system cannot check, as violations at JSON pointers. */
    static List<Violation> validate(GameDayPlan p, Estate estate) {
        List<Violation> out = new ArrayList<>();
        required(out, "", p, GameDayPlan.class);
        RoutingDomain domain = null;
        if (p.domain() != null) {
            domain = estate.routingDomains().stream().filter(d -> d.domain().equals(p.domain())).findFirst()
                    .orElse(null);
            if (domain == null) {
                out.add(new Violation("/domain", "no routing domain '" + p.domain() + "' in the estate (domains: "
                        + String.join(", ", estate.routingDomains().stream().map(RoutingDomain::domain).toList())
                        + ")"));
            }
        }
        if (p.path() != null && !p.path().startsWith("/")) {
            out.add(new Violation("/path", "must start with /"));
        }
        for (int i = 0; i < p.vantages().size(); i++) {
            try {
                Vantages.canonical(estate, p.vantages().get(i));
            } catch (IllegalArgumentException e) {
                out.add(new Violation("/vantages/" + i, e.getMessage()));
            }
        }
        if (p.rate() != null && !(p.rate() >= 1 && p.rate() <= 50)) {
            out.add(new Violation("/rate", "must be from 1 to 50 probes per second (measurements to 1 s or better), "
                    + "was " + p.rate()));
        }
        Duration hold = duration(out, "/hold", p.hold());
        duration(out, "/timeout", p.timeout());
        duration(out, "/steadyState", p.steadyState());
        duration(out, "/recovery", p.recovery());
        if (p.fault() != null) {
            fault(out, p, domain, hold == null ? GameDayPlan.DEFAULT_HOLD : hold);
        }
        GameDayPlan.Abort a = p.abort();
        if (a.errorBudget() != null && !(a.errorBudget() > 0 && a.errorBudget() <= 1)) {
            out.add(new Violation("/abort/errorBudget", "must be above 0 and at most 1, was " + a.errorBudget()));
        }
        for (int i = 0; i < a.alarms().size(); i++) {
            required(out, "/abort/alarms/" + i, a.alarms().get(i), GameDayPlan.AlarmRef.class);
        }
        if (p.expect() != null && p.expect().rtoSeconds() != null && !(p.expect().rtoSeconds() > 0)) {
            out.add(new Violation("/expect/rtoSeconds", "must be above 0"));
        }
        return out;
    }

    private static void fault(List<Violation> out, GameDayPlan p, RoutingDomain domain, Duration hold) {
        GameDayPlan.Fault f = p.fault();
        List<String> given = f.given();
        if (given.size() != 1) {
            out.add(new Violation("/fault", "give exactly one injector (labFault, healthCheckInversion, "
                    + "alarmMetric, fisExperiment, arcRoutingControl or command), got "
                    + (given.isEmpty() ? "none" : String.join(", ", given))));
            return;
        }
        String at = "/fault/" + given.getFirst();
        if (f.labFault() != null) {
            GameDayPlan.LabFault l = f.labFault();
            required(out, at, l, GameDayPlan.LabFault.class);
            if (l.kind() != null && l.target() != null) {
                try {
                    new FaultSpec(l.kind(), l.target(), l.rate(), l.latencyMs(), hold);
                } catch (IllegalArgumentException e) {
                    out.add(new Violation(at, e.getMessage()));
                }
            }
        } else if (f.healthCheckInversion() != null) {
            GameDayPlan.HealthCheckInversion h = f.healthCheckInversion();
            if ((h.healthCheckId() == null) == (h.record() == null)) {
                out.add(new Violation(at, "give healthCheckId or record (a SetIdentifier of the domain), one of "
                        + "them"));
            } else if (h.record() != null && domain != null && domain.records().stream()
                    .noneMatch(r -> r.setId().equals(h.record()))) {
                out.add(new Violation(at + "/record", "no record '" + h.record() + "' in " + domain.domain()
                        + " (records: " + String.join(", ", domain.records().stream().map(RoutingRecord::setId)
                        .toList()) + ")"));
            }
        } else if (f.alarmMetric() != null) {
            required(out, at, f.alarmMetric(), GameDayPlan.AlarmMetric.class);
            duration(out, at + "/interval", f.alarmMetric().interval());
        } else if (f.fisExperiment() != null) {
            required(out, at, f.fisExperiment(), GameDayPlan.FisExperiment.class);
        } else if (f.arcRoutingControl() != null) {
            GameDayPlan.ArcRoutingControl c = f.arcRoutingControl();
            required(out, at, c, GameDayPlan.ArcRoutingControl.class);
            if (c.state() != null && !Set.of("On", "Off").contains(c.state())) {
                out.add(new Violation(at + "/state", "must be On or Off, was " + c.state()));
            }
        } else {
            required(out, at, f.command(), GameDayPlan.Command.class);
        }
    }

    private static Duration duration(List<Violation> out, String at, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parsePositive(at.substring(at.lastIndexOf('/') + 1), text);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(at, e.getMessage()));
            return null;
        }
    }

    private static void required(List<Violation> out, String at, Record r, Class<?> type) {
        for (String field : REQUIRED.getOrDefault(type, List.of())) {
            Object v;
            try {
                v = type.getMethod(field).invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v == null || (v instanceof String s && s.isBlank()) || (v instanceof List<?> l && l.isEmpty())) {
                out.add(new Violation(at + "/" + field, "required"));
            }
        }
    }

    /** The plan's JSON Schema, pretty-printed with a trailing newline ({@code docs/gameday-plan.schema.json}). */
    public static String schema() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.DEFINITIONS_FOR_ALL_OBJECTS);
        config.forFields().withRequiredCheck(f -> REQUIRED.getOrDefault(f.getDeclaringType().getErasedType(),
                List.of()).contains(f.getDeclaredName()));
        ObjectNode generated = new SchemaGenerator(config.build()).generateSchema(GameDayPlan.class);
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.set("$schema", generated.get("$schema"));
        root.put("$id", "urn:vpcanary:gameday-plan");
        root.put("title", "vpcanary game-day plan");
        root.put("description", "A game day of vpcanary: steady-state probing of a routing domain, one fault, "
                + "restore, and the measured failover. Generated from the model (io.vpcanary.gameday.plan); see "
                + "docs/gameday.md. The loader also checks references to the estate.");
        generated.fieldNames().forEachRemaining(n -> {
            if (!n.equals("$schema")) {
                root.set(n, generated.get(n));
            }
        });
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
