package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.dns.LabDnsViews;
import io.vpcanary.lab.tls.LabCa;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private custom domains as API Gateway has them since November 2024, through real front doors, real TLS and the
 * lab's own resolver views: a domain with two base path mappings, its own execute-api policy, and domain name access
 * associations with the provider's endpoint, another account's, one the domain's policy does not allow, and one whose
 * endpoint policy allows only one of the APIs. Each refusal names its layer (endpoint, domain, API) the way the
 * probe's classifier reads it. Estate: {@code shared-domain-estate.yaml}.
 */
class PrivateDomainPolicyTest {

    private static final String DOMAIN = "books.internal.example.com";
    private static final String DOMAIN_ARN = "arn:aws:execute-api:us-east-1:111122223333:/domainnames/" + DOMAIN + "+abcd1234";

    @TempDir
    static Path state;

    private static Estate estate;
    private static LabAddressPlan plan;
    private static LabDnsViews views;
    private static LabCa ca;
    private static LabFrontDoors doors;

    @BeforeAll
    static void start() throws Exception {
        Path file = Path.of(Objects.requireNonNull(
                PrivateDomainPolicyTest.class.getResource("shared-domain-estate.yaml")).toURI());
        estate = EstateLoader.parse(file, Files.readString(file));
        plan = LabAddressPlan.of(estate);
        views = LabDnsViews.of(estate, plan);
        ca = LabCa.loadOrCreate(state);
        doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults());
    }

    @AfterAll
    static void stop() {
        if (doors != null) {
            doors.close();
        }
    }

    private record Answer(int status, String body) {
    }

    /** A client resolving through the lab's resolver view {@code view} (the product's DNS rules). */
    private static OkHttpClient from(String view) throws Exception {
        Dns dns = host -> views.answer(view, host).filter(a -> !a.isEmpty())
                .orElseThrow(() -> new UnknownHostException(host + " does not resolve in view " + view));
        return LabClients.client(ca, dns).build();
    }

    private static Answer get(String view, String urlHost, String path, String host) throws Exception {
        Request.Builder b = new Request.Builder().url("https://" + urlHost + ":" + doors.port() + path);
        if (host != null) {
            b.header("Host", host);
        }
        try (Response r = from(view).newCall(b.build()).execute()) {
            return new Answer(r.code(), r.body().string());
        }
    }

    private static String endpointHost(String vpce, String suffix) {
        return vpce + "-" + suffix + ".execute-api.us-east-1.vpce.amazonaws.com";
    }

    @Test
    void theDomainResolvesInEachAssociationsHostedZoneToThatEndpointAndNowhereElse() {
        assertThat(views.answer("provider", DOMAIN)).contains(plan.endpointAddresses("vpce-0c1a00000000000a1"));
        assertThat(views.answer("consumer", DOMAIN)).contains(plan.endpointAddresses("vpce-0c1a00000000000b2"));
        assertThat(views.answer("outsider", DOMAIN)).isEmpty();
        assertThat(views.answer("on-premises", DOMAIN)).isEmpty();
    }

    @Test
    void eachBasePathMappingReachesItsApiByNameAndThroughTheEndpointHostnameWithTheDomainAsHost() throws Exception {
        assertThat(get("provider", DOMAIN, "/ledger/entries", null).body()).contains("\"api\":\"ledger\"");
        assertThat(get("provider", DOMAIN, "/audit/events", null).body()).contains("\"api\":\"audit\"");
        Answer viaEndpoint = get("provider", endpointHost("vpce-0c1a00000000000a1", "aaaa1111"), "/audit/events", DOMAIN);
        assertThat(viaEndpoint.status()).isEqualTo(200);
        assertThat(viaEndpoint.body()).contains("\"api\":\"audit\"");
    }

    @Test
    void anotherAccountsAssociatedEndpointIsServedAndTheApiPolicyStillApplies() throws Exception {
        assertThat(get("consumer", DOMAIN, "/ledger/entries", null).status()).isEqualTo(200);
        Answer api = get("consumer", DOMAIN, "/audit/events", null);
        assertThat(api.status()).isEqualTo(403);
        assertThat(api.body()).isEqualTo("{\"Message\":\"User: anonymous is not authorized to perform: execute-api:Invoke"
                + " on resource: arn:aws:execute-api:us-east-1:111122223333:auditeast1/prod/GET/events\"}");
    }

    @Test
    void anAssociatedEndpointTheDomainPolicyDoesNotAllowIsRefusedOnTheDomainsArn() throws Exception {
        Answer denied = get("denied", endpointHost("vpce-0c1a00000000000c3", "cccc3333"), "/ledger/entries", DOMAIN);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"Message\":\"User: anonymous is not authorized to perform:"
                + " execute-api:Invoke on resource: " + DOMAIN_ARN + " with an explicit deny\"}");
    }

    @Test
    void anEndpointPolicyRefusesWhatItDoesNotAllowBeforeTheOtherLayers() throws Exception {
        String host = endpointHost("vpce-0c1a00000000000d4", "dddd4444");
        assertThat(get("restricted", host, "/ledger/entries", DOMAIN).status()).isEqualTo(200);
        Answer denied = get("restricted", host, "/audit/events", DOMAIN);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).endsWith("auditeast1/prod/GET/events because no VPC endpoint policy allows the"
                + " execute-api:Invoke action\"}");
    }

    @Test
    void anEndpointWithoutAnAccessAssociationIsRefused() throws Exception {
        Answer refused = get("outsider", endpointHost("vpce-0c1a00000000000e5", "eeee5555"), "/ledger/entries", DOMAIN);
        assertThat(refused).isEqualTo(new Answer(403, "{\"message\":\"Forbidden\"}"));
    }

    @Test
    void theDomainsArnCarriesItsDomainNameId() {
        var domain = estate.apis().getFirst().regions().getFirst().customDomains().getFirst();
        assertThat(domain.arn("us-east-1", estate.account()))
                .isEqualTo("arn:aws:apigateway:us-east-1:111122223333:/domainnames/" + DOMAIN + "+abcd1234");
        assertThat(List.of(domain.associatedWith("vpce-0c1a00000000000b2"), domain.associatedWith("vpce-0c1a00000000000e5")))
                .containsExactly(true, false);
    }
}
