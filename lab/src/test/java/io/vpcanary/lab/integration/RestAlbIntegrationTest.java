package io.vpcanary.lab.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.lab.http.LabFrontDoors;
import io.vpcanary.lab.tls.LabCa;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST API's private integration with an ALB through a VPC link v2 (AWS, November 2025), through a real front
 * door: the demo estate with {@code inventory} switched to an ALB; the target reports the backend path it received,
 * the stage in front unless {@code integration.stagePrefix} is false.
 */
class RestAlbIntegrationTest {

    private static final String INVENTORY_NLB = "      type: NLB\n      vpcLink: vpclink-invtry1\n      target: inventory-nlb\n";

    @TempDir
    Path state;

    @Test
    void theAlbOfARestApiSeesTheStageInFrontOfThePathUnlessStagePrefixIsFalse() throws Exception {
        JsonNode prefixed = inventoryItems("      type: ALB\n      vpcLink: vpclink-invtry1\n      target: inventory-alb\n");
        assertThat(prefixed.get("backendPath").asText()).isEqualTo("/prod/items");
        assertThat(prefixed.get("path").asText()).isEqualTo("/items");
        assertThat(prefixed.get("integration").asText()).isEqualTo("ALB");
        assertThat(prefixed.get("target").asText()).isEqualTo("inventory-alb");

        JsonNode bare = inventoryItems("      type: ALB\n      stagePrefix: false\n      vpcLink: vpclink-invtry1\n      target: inventory-alb\n");
        assertThat(bare.get("backendPath").asText()).isEqualTo("/items");

        // the NLB of the demo as it is gets the path below the stage
        assertThat(inventoryItems(INVENTORY_NLB).get("backendPath").asText()).isEqualTo("/items");
    }

    @Test
    void listenerRulesOfARestApisAlbMatchTheBackendPathWithItsStage() throws Exception {
        String rules = "      routes:\n        - {path: /prod/items, target: items-tg}\n        - {path: /items, target: never-tg}\n";
        JsonNode j = inventoryItems("      type: ALB\n      vpcLink: vpclink-invtry1\n      target: inventory-alb\n" + rules);
        assertThat(j.get("target").asText()).isEqualTo("items-tg");
        JsonNode bare = inventoryItems("      type: ALB\n      stagePrefix: false\n      vpcLink: vpclink-invtry1\n      target: inventory-alb\n" + rules);
        assertThat(bare.get("target").asText()).isEqualTo("never-tg");
    }

    /** GET /prod/items of the demo's inventory API, its integration replaced by {@code integration}, from on-premises. */
    private JsonNode inventoryItems(String integration) throws Exception {
        String demo = EstateLoader.demoText();
        assertThat(demo).contains(INVENTORY_NLB);
        Estate estate = EstateLoader.parse(Path.of("alb-estate.yaml"), demo.replace(INVENTORY_NLB, integration));
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        try (LabFrontDoors doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults())) {
            OkHttpClient client = LabClients.client(ca, LabClients.view(estate, plan, "on-premises")).build();
            try (Response r = client.newCall(new Request.Builder()
                    .url("https://invtryeast.execute-api.us-east-1.amazonaws.com:" + doors.port() + "/prod/items")
                    .build()).execute()) {
                String body = r.body().string();
                assertThat(r.code()).as(body).isEqualTo(200);
                return new ObjectMapper().readTree(body);
            } finally {
                client.connectionPool().evictAll();
            }
        }
    }
}
