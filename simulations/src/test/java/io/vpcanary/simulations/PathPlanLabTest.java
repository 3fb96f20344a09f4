package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.estate.AuthType;
import io.vpcanary.lab.Lab;
import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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
    static ClientEnvironment client;

    @BeforeAll
    static void startDemoLab() throws IOException {
        lab = Lab.startDemo(Lab.Options.ephemeral(tmp.resolve("lab-state")));
        env = lab.environment();
        client = ClientEnvironment.lab(env, lab.estate(), List.of(), name -> null);
        plan = PathPlan.accessPaths(lab.estate(), client, 250, Set.of(AuthType.NONE));
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
        assertThat(plan.requests()).allSatisfy(r -> assertThat(r.target().auth()).isEqualTo(AuthType.NONE));
        // the demo estate's authorized APIs are the other simulations' job
        assertThat(plan.skipped()).containsExactlyInAnyOrder(
                "API ledger: IAM authorization is not driven by this simulation",
                "API payments: JWT authorization is not driven by this simulation",
                "API live: WebSocket APIs are not driven by an HTTP GET");
    }

    @Test
    void theSignedAndTheJwtPlansHoldTheAuthorizedApis() {
        PathPlan iam = PathPlan.accessPaths(lab.estate(), client, 250, Set.of(AuthType.IAM));
        assertThat(iam.requests()).extracting(PathRequest::name).containsExactlyInAnyOrder(
                "ledger PRIVATE_DNS us-east-1", "ledger VPCE_HOST_HEADER us-east-1",
                "ledger VPCE_API_ID_HEADER us-east-1", "ledger ROUTE53_ALIAS us-east-1");
        assertThat(iam.requests()).allSatisfy(r -> assertThat(r.target().auth()).isEqualTo(AuthType.IAM));
        PathPlan jwt = PathPlan.accessPaths(lab.estate(), client, 250, Set.of(AuthType.JWT));
        assertThat(jwt.requests()).extracting(PathRequest::name).containsExactly("payments REGIONAL us-east-1");
        assertThat(jwt.requests().get(0).target().auth()).isEqualTo(AuthType.JWT);
        assertThat(jwt.requests().get(0).url()).endsWith("/payments");
    }

    @Test
    void eachRequestIsSentFromTheViewOfItsPathWithItsIdentifyingHeaders() {
        int port = env.httpsPort();
        for (PathRequest r : plan.requests()) {
            String expectedView = r.api().equals("inventory") ? "on-premises"
                    : r.region().equals("us-east-1") ? "canary-east" : "canary-west";
            assertThat(r.view()).as(r.name()).isEqualTo(expectedView);
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
    void theDemoLatencyBudgetAndOneVantageOnly() {
        assertThat(plan.views()).containsExactlyInAnyOrder("canary-east", "canary-west", "on-premises");
        for (PathRequest r : plan.requests()) {
            // demo: lab.integration.latency medianMs 5, p99Ms 20; 250 ms overhead
            assertThat(r.budget()).as(r.name()).isEqualTo(new LatencyBudget(4, 270));
        }
        ClientEnvironment west = ClientEnvironment.lab(env, lab.estate(), List.of("canary-west"), name -> null);
        PathPlan westPlan = PathPlan.accessPaths(lab.estate(), west, 250, Set.of(AuthType.NONE));
        assertThat(westPlan.views()).containsExactly("canary-west");
        assertThat(westPlan.requests()).allSatisfy(r -> assertThat(r.region()).isEqualTo("us-west-2"));
        assertThat(westPlan.skipped()).contains("orders PRIVATE_DNS us-east-1: left to vantage canary-east");
    }

    @Test
    void eachHostResolvesThroughItsViewToAnAddressOfItsRegion() {
        Map<String, Map<String, List<InetAddress>>> addresses = plan.addresses();
        assertThat(addresses).containsOnlyKeys("canary-east", "canary-west", "on-premises");
        for (PathRequest r : plan.requests()) {
            List<InetAddress> ips = addresses.get(r.view()).get(URI.create(r.url()).getHost());
            assertThat(ips).as(r.name()).isNotEmpty();
            String block = r.region().equals("us-east-1") ? "127.0.1." : "127.0.2.";
            assertThat(ips).as(r.name()).allSatisfy(ip -> assertThat(ip.getHostAddress()).startsWith(block));
        }
        // the private name of the east API is the east VPC endpoint inside canary-east
        PathRequest privateDns = request("orders PRIVATE_DNS us-east-1");
        String host = URI.create(privateDns.url()).getHost();
        assertThat(addresses.get("canary-east").get(host)).extracting(InetAddress::getHostAddress)
                .allSatisfy(ip -> assertThat(ip).isIn("127.0.1.16", "127.0.1.17"));
    }

    @Test
    void theEstateChecksPlanSkipsProbeOnlyChecksAndSeesTheDnsConflict() {
        PathPlan checks = PathPlan.checks(lab.estate(), client);
        assertThat(checks.skipped()).anySatisfy(s -> assertThat(s)
                .startsWith("orders/private-dns-from-on-premises/").contains("expects a DNS failure"));
        assertThat(checks.requests()).noneSatisfy(r -> assertThat(r.target().expect().errorClass())
                .isEqualTo(io.vpcanary.probe.ErrorClass.DNS_FAILURE));
        PathRequest conflict = checks.requests().stream()
                .filter(r -> r.target().check().equals("regional-name-from-private-dns-vpc")).findFirst().orElseThrow();
        assertThat(conflict.dnsConflict()).contains("private DNS captures");
        // the regional name resolves to the endpoint from canary-east and to the front door on-premises: Gatling's
        // shared pool is keyed by host name, so the later vantage opens its own connections
        assertThat(VantageProtocols.unshared(checks.addresses())).containsExactly("on-premises");
        assertThat(VantageProtocols.unshared(plan.addresses())).as("the access-path plan has no such host").isEmpty();
        assertThat(checks.requests()).filteredOn(r -> r.target().check().equals("list-orders"))
                .allSatisfy(r -> assertThat(r.dnsConflict()).isNull());
    }

    @Test
    void eachPlannedRequestIsServedByItsRegionThroughItsViewWithTheLabCaVerified() throws Exception {
        Path store = tmp.resolve("gatling-truststore.p12");
        GatlingTrustStore.write(Path.of(env.ca()), store, "pw".toCharArray());
        assertThat(GatlingTrustStore.holds(store, "pw".toCharArray(), Path.of(env.ca()))).isTrue();
        X509TrustManager trust = trustManager(store, "pw".toCharArray());
        for (PathRequest r : plan.requests()) {
            Reply reply = call(r, trust);
            assertThat(reply.status()).as(r.name() + " " + reply.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(reply.body());
            assertThat(json.path("region").asText()).as(r.name()).isEqualTo(r.region());
            assertThat(json.path("api").asText()).as(r.name()).isEqualTo(r.api());
        }
    }

    @Test
    void aTrustStoreWithoutTheLabCaIsRefused() throws Exception {
        Path otherCa = LabCa.loadOrCreate(tmp.resolve("other-lab-state")).caPem();
        Path store = tmp.resolve("other-truststore.p12");
        GatlingTrustStore.write(otherCa, store, "pw".toCharArray());
        assertThat(GatlingTrustStore.holds(store, "pw".toCharArray(), Path.of(env.ca()))).isFalse();
        assertThat(GatlingTrustStore.holds(tmp.resolve("missing.p12"), "pw".toCharArray(), Path.of(env.ca()))).isFalse();
        PathRequest r = request("orders VPCE_API_ID_HEADER us-east-1");
        assertThatThrownBy(() -> call(r, trustManager(store, "pw".toCharArray())))
                .isInstanceOf(SSLException.class);
    }

    private static PathRequest request(String name) {
        Optional<PathRequest> r = plan.requests().stream().filter(p -> p.name().equals(name)).findFirst();
        assertThat(r).as(name).isPresent();
        return r.get();
    }

    /** A status and a body. */
    record Reply(int status, String body) {
    }

    /**
     * Sends {@code r} as the plan says, over HTTP/1.1: the URL's host resolved by real DNS queries to the view's
     * server, TLS with SNI and hostname verification for that host against {@code trust}, the plan's headers (its
     * {@code Host} replacing the URL's authority).
     */
    private static Reply call(PathRequest r, X509TrustManager trust) throws Exception {
        URI url = URI.create(r.url());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new X509TrustManager[] {trust}, null);
        InetAddress address = plan.addresses().get(r.view()).get(url.getHost()).get(0);
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress(address, url.getPort()), 5_000);
            tcp.setSoTimeout(10_000);
            try (SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(tcp, url.getHost(), url.getPort(), true)) {
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
                tls.startHandshake();
                StringBuilder head = new StringBuilder("GET " + url.getRawPath() + " HTTP/1.1\r\n");
                head.append("Host: ").append(r.headers().getOrDefault("Host", url.getHost() + ":" + url.getPort())).append("\r\n");
                r.headers().forEach((k, v) -> {
                    if (!k.equalsIgnoreCase("Host")) {
                        head.append(k).append(": ").append(v).append("\r\n");
                    }
                });
                head.append("Connection: close\r\n\r\n");
                OutputStream out = tls.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return parse(tls.getInputStream().readNBytes(1 << 20));
            }
        }
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a complete response head in: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        boolean chunked = false;
        for (String line : lines) {
            String l = line.toLowerCase(Locale.ROOT);
            chunked |= l.startsWith("transfer-encoding:") && l.contains("chunked");
        }
        String body = text.substring(end + 4);
        if (chunked) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            int i = 0;
            for (int n = 0; n < 10_000; n++) {
                int eol = body.indexOf("\r\n", i);
                int size = Integer.parseInt(body.substring(i, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.write(body.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1), 0, size);
                i = eol + 2 + size + 2;
            }
            body = decoded.toString(StandardCharsets.ISO_8859_1);
        }
        return new Reply(status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
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
