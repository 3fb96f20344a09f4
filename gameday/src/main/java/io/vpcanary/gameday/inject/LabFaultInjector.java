package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.labenv.LabControl;
import java.nio.file.Path;

/** A lab fault set over the lab's control channel; the journal keeps the environment file and, once set, its id. */
public final class LabFaultInjector implements FaultInjector {

    static final String KIND = "LAB_FAULT";

    private final LabControl control;
    private final Path labEnv;
    private final FaultSpec spec;

    public LabFaultInjector(LabControl control, Path labEnv, FaultSpec spec) {
        this.control = control;
        this.labEnv = labEnv;
        this.spec = spec;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "lab fault " + spec.kind() + " " + spec.target() + " (expires by itself after "
                + spec.duration().toSeconds() + " s)";
    }

    @Override
    public ObjectNode prepare() {
        ObjectNode r = new ObjectMapper().createObjectNode().put("labEnv", labEnv.toAbsolutePath().toString());
        r.putObject("spec").put("kind", spec.kind().name()).put("target", spec.target());
        return r;
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        Fault f = control.add(spec);
        return prepared.deepCopy().put("faultId", f.id());
    }
}
