package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.gameday.aws.AwsClients;
import java.util.UUID;

/** An AWS FIS experiment started from a template ({@code StartExperiment}); the restore stops it by its id. */
public final class FisExperimentInjector implements FaultInjector {

    static final String KIND = "FIS_EXPERIMENT";

    private final AwsClients aws;
    private final String templateId;
    private final String region;

    public FisExperimentInjector(AwsClients aws, String templateId, String region) {
        this.aws = aws;
        this.templateId = templateId;
        this.region = region;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "AWS FIS experiment from template " + templateId + " (" + region + ")";
    }

    @Override
    public ObjectNode prepare() {
        ObjectNode r = new ObjectMapper().createObjectNode().put("templateId", templateId).put("region", region)
                .put("clientToken", UUID.randomUUID().toString());
        if (aws.endpoint() != null) {
            r.put("endpoint", aws.endpoint().toString());
        }
        return r;
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        String id = aws.fis(region).startExperiment(b -> b.experimentTemplateId(templateId)
                .clientToken(prepared.path("clientToken").asText()).tags(java.util.Map.of("vpcanary", "gameday")))
                .experiment().id();
        return prepared.deepCopy().put("experimentId", id);
    }
}
