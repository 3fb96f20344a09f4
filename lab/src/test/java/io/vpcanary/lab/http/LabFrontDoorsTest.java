package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.tls.LabCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front doors of the demo estate over real sockets and real TLS: every access path a probe uses, sent exactly
 * as {@link TargetPlanner} builds it (URL, Host, {@code x-apigw-api-id}), and API Gateway's refusals.
 */
class LabFrontDoorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path state;

    static Estate estate;
    static LabAddressPlan plan;
    static LabCa ca;
    static LabFrontDoors doors;
    static TargetPlanner planner;

    @BeforeAll
    static void start() throws IOException {
        estate = EstateLoader.demo();
        plan = LabAddressPlan.of(estate);
        ca = LabCa.loadOrCreate(state);
        doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults());
        planner = new TargetPlanner(estate, doors.port());
    }

    @AfterAll
    static void stop() {
        if (doors != null) {
            doors.close();
        }
    }

    private static OkHttpClient client(Dns dns) throws Exception {
        return LabClients.client(ca, dns).build();
    }

    private static Response send(Target t) throws Exception {
        OkHttpClient c = client(LabClients.view(estate, plan, t.vantage()));
        Request.Builder b = new Request.Builder().url(t.url().toString());
        t.headers().forEach(b::header);
        return c.newCall(b.build()).execute();
    }

    private static List<Target> targets(String api, String check) {
        var a = estate.api(api).orElseThrow();
        var c = a.checks().stream().filter(x -> x.name().equals(check)).findFirst().orElseThrow();
        return planner.targets(a, c);
    }

    @Test
    void everyAccessPathOfTheDemoEstateIsServedByItsRegion() throws Exception {
        Set<AccessPath> seen = EnumSet.noneOf(AccessPath.class);
        List<Target> all = new java.util.ArrayList<>(targets("orders", "list-orders"));
        all.addAll(targets("inventory", "list-items"));
        for (Target t : all) {
            try (Response r = send(t)) {
                String body = r.body().string();
                assertThat(r.code()).as(t.id() + " " + body).isEqualTo(200);
                JsonNode j = JSON.readTree(body);
                assertThat(j.get("region").asText()).as(t.id()).isEqualTo(t.region());
                assertThat(j.get("api").asText()).isEqualTo(t.api());
                assertThat(j.get("apiId").asText()).isEqualTo(t.apiId());
                assertThat(j.get("stage").asText()).isEqualTo("prod");
                assertThat(j.get("method").asText()).isEqualTo("GET");
                assertThat(j.get("integration").asText()).isEqualTo("NLB");
                assertThat(j.get("requestId").asText()).isEqualTo(r.header("x-amzn-RequestId"));
                assertThat(r.header("x-amzn-RequestId")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(r.header("x-amz-apigw-id")).hasSize(16);
                assertThat(r.header("Content-Type")).startsWith("application/json");
                if (t.accessPath() == AccessPath.REGIONAL) {
                    assertThat(j.get("vpcEndpoint").isNull()).isTrue();
                } else {
                    assertThat(j.get("vpcEndpoint").asText()).isEqualTo(t.vpcEndpoint());
                }
                seen.add(t.accessPath());
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(AccessPath.class));
        assertThat(all).extracting(Target::region).contains("us-east-1", "us-west-2");
    }

    @Test
    void theBareEndpointHostnameIdentifiesNoApi() throws Exception {
        List<Target> ts = targets("orders", "bare-endpoint-refused");
        assertThat(ts).isNotEmpty();
        for (Target t : ts) {
            assertThat(t.headers()).doesNotContainKeys("Host", "x-apigw-api-id");
            try (Response r = send(t)) {
                assertThat(r.code()).isEqualTo(403);
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
                assertThat(r.header("x-amzn-RequestId")).isNotBlank();
            }
        }
    }

    @Test
    void aForeignEndpointIsExplicitlyDeniedByTheResourcePolicy() throws Exception {
        List<Target> ts = targets("orders", "foreign-endpoint-denied");
        assertThat(ts).singleElement().satisfies(t -> assertThat(t.vpcEndpoint()).isEqualTo("vpce-0e2b00000000000b2"));
        try (Response r = send(ts.get(0))) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"Message\":\"User: anonymous is not authorized to perform: "
                    + "execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:111122223333:ordrseast1/prod/GET/orders"
                    + " with an explicit deny\"}");
        }
    }

    @Test
    void aRegionalApiNameResolvedByPrivateDnsLandsOnTheEndpointAndIsRefused() throws Exception {
        List<Target> ts = targets("inventory", "regional-name-from-private-dns-vpc");
        assertThat(ts).singleElement().satisfies(t -> assertThat(t.vantage()).isEqualTo("canary-east"));
        Target t = ts.get(0);
        List<InetAddress> resolved = LabClients.view(estate, plan, "canary-east").lookup(t.url().getHost());
        assertThat(resolved).isEqualTo(plan.endpointAddresses("vpce-0e1a00000000000a1"));
        try (Response r = send(t)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
    }

    @Test
    void aPrivateApiAtThePublicFrontDoorIsRefused() throws Exception {
        OkHttpClient c = client(LabClients.pinned(plan.regionalFrontDoor("us-east-1")));
        String url = "https://ordrseast1.execute-api.us-east-1.amazonaws.com:" + doors.port() + "/prod/orders";
        try (Response r = c.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
        // the same name through the endpoint is served
        OkHttpClient viaEndpoint = client(LabClients.view(estate, plan, "canary-east"));
        try (Response r = viaEndpoint.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
    }

    @Test
    void anApiOfAnotherRegionIsNotIdentifiedAtAnEndpoint() throws Exception {
        OkHttpClient c = client(LabClients.view(estate, plan, "canary-east"));
        String url = "https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com:" + doors.port()
                + "/prod/orders";
        try (Response r = c.newCall(new Request.Builder().url(url).header("x-apigw-api-id", "ordrswest2").build())
                .execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
        // an alias naming another endpoint than the one it reaches
        String alias = "https://ordrseast1-vpce-0e2b00000000000b2.execute-api.us-east-1.amazonaws.com:" + doors.port()
                + "/prod/orders";
        OkHttpClient pinned = client(LabClients.pinned(plan.endpointAddresses("vpce-0e1a00000000000a1").get(0)));
        try (Response r = pinned.newCall(new Request.Builder().url(alias).build()).execute()) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Forbidden\"}");
        }
    }

    @Test
    void unknownStagesAndResourcesGetMissingAuthenticationToken() throws Exception {
        OkHttpClient c = client(LabClients.view(estate, plan, "canary-east"));
        String base = "https://ordrseast1.execute-api.us-east-1.amazonaws.com:" + doors.port();
        for (String path : List.of("/test/orders", "/prod/nothing", "/prod", "/", "/prod/orders/extra")) {
            try (Response r = c.newCall(new Request.Builder().url(base + path).build()).execute()) {
                assertThat(r.code()).as(path).isEqualTo(403);
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
                assertThat(r.header("x-amzn-ErrorType")).isEqualTo("MissingAuthenticationTokenException");
            }
        }
        try (Response r = c.newCall(new Request.Builder().url(base + "/prod/orders?limit=3").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
    }

    @Test
    void pingAnswersAtEveryKindOfFrontDoorWithoutNamingAnApi() throws Exception {
        var doorsAndHosts = java.util.Map.of(
                plan.regionalFrontDoor("us-west-2"), "unknownid1.execute-api.us-west-2.amazonaws.com",
                plan.endpointAddresses("vpce-0e2b00000000000b2").get(0),
                "vpce-0e2b00000000000b2-p7m4t8cd.execute-api.us-east-1.vpce.amazonaws.com");
        for (var e : doorsAndHosts.entrySet()) {
            OkHttpClient c = client(LabClients.pinned(e.getKey()));
            for (String p : List.of("/ping", "/sping")) {
                String url = "https://" + e.getValue() + ":" + doors.port() + p;
                try (Response r = c.newCall(new Request.Builder().url(url).build()).execute()) {
                    assertThat(r.code()).as(url).isEqualTo(200);
                    assertThat(r.body().string()).isEqualTo("{\"status\":\"healthy\"}");
                }
            }
        }
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        OkHttpClient c = LabClients.client(ca, LabClients.view(estate, plan, "canary-east"))
                .eventListener(new EventListener() {
                    @Override
                    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                        connects.incrementAndGet();
                    }
                }).build();
        String url = "https://ordrseast1.execute-api.us-east-1.amazonaws.com:" + doors.port() + "/prod/orders";
        for (int i = 0; i < 2; i++) {
            try (Response r = c.newCall(new Request.Builder().url(url).build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                r.body().string();
            }
        }
        assertThat(connects.get()).isEqualTo(1);
    }

    @Test
    void listensOnEveryFrontDoorAddressAtOnePort() throws Exception {
        for (InetAddress a : plan.frontDoorAddresses()) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(a, doors.port()), 5_000);
                assertThat(s.isConnected()).isTrue();
            }
        }
    }
}
