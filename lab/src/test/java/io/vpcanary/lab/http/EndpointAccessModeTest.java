package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.tls.LabCa;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STRICT endpoint access mode (AWS, November 2025) through real front doors and real TLS handshakes, the TLS server
 * name being the URL's host: the demo estate with {@code orders} STRICT and its us-east-1 custom domain STRICT, its
 * us-west-2 domain BASIC. The endpoint hostname with a Host naming the API or a STRICT domain is refused with 403
 * Forbidden; names that reach the API as themselves keep working.
 */
class EndpointAccessModeTest {

    private static final String EAST_VPCE = LabClients.DEMO_EAST_VPCE;
    private static final String WEST_VPCE = "vpce-0b1a00000000000c3-w5n2r6ef.execute-api.us-west-2.vpce.amazonaws.com";

    @TempDir
    static Path state;

    private static LabFrontDoors doors;
    private static OkHttpClient east;
    private static OkHttpClient west;

    @BeforeAll
    static void start() throws Exception {
        String eastDomain = "            vpcEndpoint: vpce-0e1a00000000000a1\n";
        String text = LabClients.demoWithOrders("    endpointAccessMode: STRICT\n");
        assertThat(text).contains(eastDomain);
        text = text.replaceFirst(eastDomain, eastDomain + "            endpointAccessMode: STRICT\n");
        Estate estate = EstateLoader.parse(Path.of("strict.yaml"), text);
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults());
        east = LabClients.client(ca, LabClients.view(estate, plan, "canary-east")).build();
        west = LabClients.client(ca, LabClients.view(estate, plan, "canary-west")).build();
    }

    @AfterAll
    static void stop() {
        if (doors != null) {
            doors.close();
        }
    }

    private record Answer(int status, String body) {
    }

    /** GET {@code path} of https://{url host}, optionally with a Host header other than the URL's (and the SNI's). */
    private static Answer get(OkHttpClient client, String urlHost, String path, String header, String value) throws Exception {
        Request.Builder b = new Request.Builder().url("https://" + urlHost + ":" + doors.port() + path);
        if (header != null) {
            b.header(header, value);
        }
        try (Response r = client.newCall(b.build()).execute()) {
            return new Answer(r.code(), r.body().string());
        }
    }

    @Test
    void theEndpointHostnameWithAHostNamingAStrictApiIsRefusedAndItsOwnNamesWork() throws Exception {
        Answer refused = get(east, EAST_VPCE, "/prod/orders", "Host", "ordrseast1.execute-api.us-east-1.amazonaws.com");
        assertThat(refused).isEqualTo(new Answer(403, "{\"message\":\"Forbidden\"}"));
        assertThat(get(west, WEST_VPCE, "/prod/orders", "Host", "ordrswest2.execute-api.us-west-2.amazonaws.com").status())
                .isEqualTo(403);
        // private DNS and the Route 53 alias: the server name is the Host
        assertThat(get(east, "ordrseast1.execute-api.us-east-1.amazonaws.com", "/prod/orders", null, null).status()).isEqualTo(200);
        assertThat(get(east, "ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com", "/prod/orders", null, null)
                .body()).contains("\"api\":\"orders\"");
        // the API id header: the server name is the endpoint hostname, and so is the Host
        assertThat(get(east, EAST_VPCE, "/prod/orders", "x-apigw-api-id", "ordrseast1").status()).isEqualTo(200);
    }

    @Test
    void aStrictDomainRefusesTheEndpointHostnameWithItsHostAndABasicDomainServesIt() throws Exception {
        assertThat(get(east, "orders.east.internal.example.com", "/orders", null, null).status()).isEqualTo(200);
        assertThat(get(east, EAST_VPCE, "/orders", "Host", "orders.east.internal.example.com"))
                .isEqualTo(new Answer(403, "{\"message\":\"Forbidden\"}"));
        // the west domain is BASIC although its API is STRICT: the domain's mode governs calls by the domain
        assertThat(get(west, WEST_VPCE, "/orders", "Host", "orders.west.internal.example.com").body())
                .contains("\"region\":\"us-west-2\"");
    }
}
