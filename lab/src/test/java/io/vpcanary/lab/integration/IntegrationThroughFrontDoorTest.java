package io.vpcanary.lab.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.lab.http.LabFrontDoors;
import io.vpcanary.lab.tls.LabCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated integrations behind real front doors: latency is scheduled, not slept; errors reach the client. */
class IntegrationThroughFrontDoorTest {

    static final String ESTATE = """
            account: "111122223333"
            network:
              vpcs:
                - {id: vpc-0aaa0000000000001, name: app, region: eu-west-1}
              vpcEndpoints:
                - {id: vpce-0aaa00000000000a1, vpc: vpc-0aaa0000000000001, dnsSuffix: abcd1234, privateDns: true, zones: [eu-west-1a]}
            apis:
              - name: slow
                type: REST
                endpointType: REGIONAL
                stage: prod
                regions: [{region: eu-west-1, id: slowapi001}]
                integration: {type: ALB, target: slow-alb, latency: {medianMs: 600, p99Ms: 600}}
                resources: [/work]
              - name: broken
                type: REST
                endpointType: REGIONAL
                stage: prod
                regions: [{region: eu-west-1, id: brokenapi1}]
                integration: {type: NLB, errorRate: 1.0}
                resources: [/work]
            lab:
              integration:
                latency: {medianMs: 0}
            """;

    @TempDir
    Path state;

    @Test
    void latencyIsScheduledOnTheEventLoopAndErrorsAreAnswered() throws Exception {
        Estate estate = EstateLoader.parse(Path.of("latency-estate.yaml"), ESTATE);
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        try (LabFrontDoors doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults())) {
            int parallel = 24;
            OkHttpClient client = LabClients.client(ca, LabClients.view(estate, plan, "on-premises"))
                    .connectionPool(new ConnectionPool(parallel, 1, TimeUnit.MINUTES)).build();
            client.dispatcher().setMaxRequestsPerHost(parallel);
            String base = "https://slowapi001.execute-api.eu-west-1.amazonaws.com:" + doors.port();
            // open the connections first (slow requests, so that each needs its own), then time a second round
            run(client, base + "/prod/work", parallel);
            long start = System.nanoTime();
            List<Answer> slow = run(client, base + "/prod/work", parallel);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (Answer r : slow) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(new ObjectMapper().readTree(r.body()).get("target").asText()).isEqualTo("slow-alb");
            }
            // each answer waits 600 ms and the front doors have at most 8 event-loop threads: had a thread slept per
            // request, 24 requests would take >= 1800 ms; scheduled on the event loop they overlap
            assertThat(elapsedMs).isGreaterThanOrEqualTo(600).isLessThan(1_700);

            Set<Integer> statuses = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                try (Response r = client.newCall(new Request.Builder()
                        .url("https://brokenapi1.execute-api.eu-west-1.amazonaws.com:" + doors.port() + "/prod/work")
                        .build()).execute()) {
                    statuses.add(r.code());
                    assertThat(r.body().string()).contains("\"message\"");
                    assertThat(r.header("x-amzn-RequestId")).isNotBlank();
                }
            }
            assertThat(statuses).containsExactlyInAnyOrder(502, 503, 504);
            client.connectionPool().evictAll();
        }
    }

    private record Answer(int code, String body) {
    }

    private static List<Answer> run(OkHttpClient client, String url, int n) throws Exception {
        List<CompletableFuture<Answer>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Answer> f = new CompletableFuture<>();
            client.newCall(new Request.Builder().url(url).build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    f.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response r) throws IOException {
                    try (r) {
                        f.complete(new Answer(r.code(), r.body().string()));
                    }
                }
            });
            fs.add(f);
        }
        List<Answer> out = new ArrayList<>();
        for (CompletableFuture<Answer> f : fs) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }
}
