package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The glue of the load run against a real demo lab (real DNS views, real TLS front doors), without running Gatling:
 * every access path of the demo APIs in every region gets one request name with the protocol of its view, and a
 * request sent exactly as the plan says (its view's resolver, its headers, the lab CA and hostname verification)
 * is served by the expected region. A trust store without the lab CA is refused.
 */
class PathPlanLabTest {

    private static final List<String> PRIVATE_PATHS =
            List.of("PRIVATE_DNS", "VPCE_HOST_HEADER", "VPCE_API_ID_HEADER", "ROUTE53_ALIAS", "CUSTOM_DOMAIN");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Lab lab;
    static LabEnvironment env;
    static PathPlan plan;

    @BeforeAll
    static void startDemoLab() throws IOException {
        lab = Lab.startDemo(Lab.Options.ephemeral(tmp.resolve("lab-state")));
        env = lab.environment();
        plan = PathPlan.of(env, lab.estate(), 250);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void everyAccessPathOfTheDemoApisInEveryRegionHasOneRequestName() {
        List<String> expected = new ArrayList<>();
        for (String path : PRIVATE_PATHS) {
            expected.add("orders " + path + " us-east-1");
            expected.add("orders " + path + " us-west-2");
        }
        expected.add("inventory REGIONAL us-east-1");
        assertThat(plan.requests()).extracting(PathRequest::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void eachRequestIsSentFromTheViewOfItsPathWithItsIdentifyingHeaders() {
        int port = env.httpsPort();
        for (PathRequest r : plan.requests()) {
            String expectedView = r.api().equals("inventory") ? "on-premises"
                    : r.region().equals("us-east-1") ? "canary-east" : "canary-west";
            assertThat(r.view()).as(r.name()).isEqualTo(expectedView);
            assertThat(r.resolver()).as(r.name()).isEqualTo(PathPlan.socketAddress(env.resolvers().get(expectedView)));
            assertThat(URI.create(r.url()).getPort()).as(r.name()).isEqualTo(port);
        }
        PathRequest hostHeader = request("orders VPCE_HOST_HEADER us-east-1");
        assertThat(hostHeader.url()).isEqualTo("https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com:"
                + port + "/prod/orders");
        assertThat(hostHeader.headers()).containsExactly(Map.entry("Host", "ordrseast1.execute-api.us-east-1.amazonaws.com:" + port));
        PathRequest apiId = request("orders VPCE_API_ID_HEADER us-west-2");
        assertThat(apiId.headers()).containsExactly(Map.entry(TargetPlanner.API_ID_HEADER, "ordrswest2"));
        assertThat(request("orders PRIVATE_DNS us-west-2").url())
                .isEqualTo("https://ordrswest2.execute-api.us-west-2.amazonaws.com:" + port + "/prod/orders");
        assertThat(request("orders ROUTE53_ALIAS us-east-1").url())
                .isEqualTo("https://ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com:" + port + "/prod/orders");
        assertThat(request("orders CUSTOM_DOMAIN us-west-2").url())
                .isEqualTo("https://orders.west.internal.example.com:" + port + "/orders");
        assertThat(request("inventory REGIONAL us-east-1").url())
                .isEqualTo("https://invtryeast.execute-api.us-east-1.amazonaws.com:" + port + "/prod/items");
        assertThat(request("orders PRIVATE_DNS us-east-1").headers()).isEmpty();
    }

    @Test
    void oneGatlingProtocolPerViewAndTheDemoLatencyBudget() {
        assertThat(LabProtocols.of(plan)).containsOnlyKeys("canary-east", "canary-west", "on-premises");
        assertThat(plan.views()).containsExactlyInAnyOrder("canary-east", "canary-west", "on-premises");
        for (PathRequest r : plan.requests()) {
            // demo: lab.integration.latency medianMs 5, p99Ms 20; 250 ms overhead
            assertThat(r.budget()).as(r.name()).isEqualTo(new LatencyBudget(4, 270));
        }
    }

    @Test
    void eachPlannedRequestIsServedByItsRegionThroughItsViewWithTheLabCaVerified() throws Exception {
        Path store = tmp.resolve("gatling-truststore.p12");
        LabTrustStore.write(Path.of(env.ca()), store, "pw".toCharArray());
        assertThat(LabTrustStore.holds(store, "pw".toCharArray(), Path.of(env.ca()))).isTrue();
        X509TrustManager trust = trustManager(store, "pw".toCharArray());
        for (PathRequest r : plan.requests()) {
            try (Response response = call(r, trust)) {
                String body = response.body().string();
                assertThat(response.code()).as(r.name() + " " + body).isEqualTo(200);
                JsonNode json = JSON.readTree(body);
                assertThat(json.path("region").asText()).as(r.name()).isEqualTo(r.region());
                assertThat(json.path("api").asText()).as(r.name()).isEqualTo(r.api());
            }
        }
    }

    @Test
    void aTrustStoreWithoutTheLabCaIsRefused() throws Exception {
        Path otherCa = LabCa.loadOrCreate(tmp.resolve("other-lab-state")).caPem();
        Path store = tmp.resolve("other-truststore.p12");
        LabTrustStore.write(otherCa, store, "pw".toCharArray());
        assertThat(LabTrustStore.holds(store, "pw".toCharArray(), Path.of(env.ca()))).isFalse();
        assertThat(LabTrustStore.holds(tmp.resolve("missing.p12"), "pw".toCharArray(), Path.of(env.ca()))).isFalse();
        PathRequest r = request("orders VPCE_API_ID_HEADER us-east-1");
        assertThatThrownBy(() -> call(r, trustManager(store, "pw".toCharArray())).close())
                .isInstanceOf(SSLException.class);
    }

    private static PathRequest request(String name) {
        Optional<PathRequest> r = plan.requests().stream().filter(p -> p.name().equals(name)).findFirst();
        assertThat(r).as(name).isPresent();
        return r.get();
    }

    /** Sends {@code r} as the plan says: its view's resolver, its headers, TLS verified with {@code trust}. */
    private static Response call(PathRequest r, X509TrustManager trust) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new X509TrustManager[] {trust}, null);
        OkHttpClient client = new OkHttpClient.Builder()
                .dns(viewDns(r.resolver()))
                .sslSocketFactory(ssl.getSocketFactory(), trust)
                .callTimeout(Duration.ofSeconds(10))
                .retryOnConnectionFailure(false)
                .build();
        try {
            return client.newCall(new Request.Builder().url(r.url()).headers(Headers.of(r.headers())).build()).execute();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** Resolves A records with real DNS queries to one view's server. */
    private static Dns viewDns(InetSocketAddress server) {
        return hostname -> {
            try {
                SimpleResolver resolver = new SimpleResolver(server);
                resolver.setTimeout(Duration.ofSeconds(3));
                Lookup lookup = new Lookup(Name.fromString(hostname, Name.root), Type.A);
                lookup.setResolver(resolver);
                lookup.setCache(null);
                Record[] records = lookup.run();
                if (records == null) {
                    throw new UnknownHostException(hostname + ": " + lookup.getErrorString());
                }
                List<InetAddress> out = new ArrayList<>();
                for (Record rec : records) {
                    out.add(((ARecord) rec).getAddress());
                }
                return out;
            } catch (IOException e) {
                UnknownHostException u = new UnknownHostException(hostname + ": " + e.getMessage());
                u.initCause(e);
                throw u;
            }
        };
    }

    private static X509TrustManager trustManager(Path store, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
