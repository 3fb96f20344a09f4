package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.SecurityPolicy;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.tls.LabCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security policies on real front doors, with an independent JDK client ({@link SSLSocket}) restricted to chosen
 * protocols: the demo estate with {@code orders} on {@code SecurityPolicy_TLS13_1_3_2025_09} (TLS 1.3 only) and its
 * us-east-1 custom domain on the default {@code TLS_1_2}. The policy follows the client's SNI on one address.
 */
class SecurityPolicyTest {

    private static final String ORDERS_EAST = "ordrseast1.execute-api.us-east-1.amazonaws.com";
    private static final String ORDERS_EAST_ALIAS = "ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com";
    private static final String EAST_DOMAIN = "orders.east.internal.example.com";
    private static final String EAST_VPCE = LabClients.DEMO_EAST_VPCE;

    @TempDir
    static Path state;

    private static Estate estate;
    private static LabFrontDoors doors;
    private static SSLContext trusting;
    private static InetAddress eastEndpoint;

    @BeforeAll
    static void start() throws Exception {
        estate = EstateLoader.parse(Path.of("policy.yaml"),
                LabClients.demoWithOrders("    securityPolicy: SecurityPolicy_TLS13_1_3_2025_09\n"));
        LabAddressPlan plan = LabAddressPlan.of(estate);
        LabCa ca = LabCa.loadOrCreate(state);
        doors = LabFrontDoors.start(estate, plan, ca, 0, LabFrontDoors.Options.defaults());
        trusting = LabClients.sslContext(ca);
        eastEndpoint = LabClients.view(estate, plan, "canary-east").lookup(EAST_VPCE).get(0);
    }

    @AfterAll
    static void stop() {
        if (doors != null) {
            doors.close();
        }
    }

    /** Completes a handshake to the us-east-1 endpoint's address with SNI {@code host}, offering only {@code protocols}. */
    private static String handshake(String host, String... protocols) throws IOException {
        try (SSLSocket s = (SSLSocket) trusting.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(eastEndpoint, doors.port()), 5_000);
            s.setSoTimeout(5_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setProtocols(protocols);
            s.setSSLParameters(p);
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

    @Test
    void aTls12OnlyClientIsRefusedByATls13OnlyApiAndAcceptedByATls12Domain() throws Exception {
        assertThatThrownBy(() -> handshake(ORDERS_EAST, "TLSv1.2")).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> handshake(ORDERS_EAST_ALIAS, "TLSv1.2")).isInstanceOf(SSLException.class);
        assertThat(handshake(ORDERS_EAST, "TLSv1.3", "TLSv1.2")).isEqualTo("TLSv1.3");
        // same address, other names: the domain and the endpoint hostname keep TLS_1_2
        assertThat(handshake(EAST_DOMAIN, "TLSv1.2")).isEqualTo("TLSv1.2");
        assertThat(handshake(EAST_VPCE, "TLSv1.2")).isEqualTo("TLSv1.2");
        assertThat(handshake("invtryeast.execute-api.us-east-1.amazonaws.com", "TLSv1.2")).isEqualTo("TLSv1.2");
    }

    @Test
    void theServerNamesOfARegionMapToTheirPolicies() {
        var byName = TlsPolicies.byServerName(estate, "us-east-1");
        assertThat(byName).containsEntry(ORDERS_EAST, SecurityPolicy.SecurityPolicy_TLS13_1_3_2025_09)
                .containsEntry(ORDERS_EAST_ALIAS, SecurityPolicy.SecurityPolicy_TLS13_1_3_2025_09)
                .containsEntry(EAST_DOMAIN, SecurityPolicy.TLS_1_2)
                .doesNotContainKey(EAST_VPCE);
    }

    @Test
    void whatTheJdkCannotOfferIsNamedInOneStartupLine() throws Exception {
        // TLS_1_2's TLS_RSA_* suites: offered by JDK 21, disabled by default since JDK 24
        assertThat(TlsPolicies.startupWarning(estate).orElse("")).doesNotContain("SecurityPolicy_TLS13_1_3_2025_09");
        Estate legacy = EstateLoader.parse(Path.of("legacy.yaml"), LabClients.demoWithOrders("    securityPolicy: TLS_1_0\n"));
        // JDK 21+ disables TLS 1.0 and 1.1 by default (jdk.tls.disabledAlgorithms)
        assertThat(TlsPolicies.startupWarning(legacy)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("security policies not fully offered by this JDK: ")
                .contains("TLS_1_0 [TLSv1.1, TLSv1]").doesNotContain("\n"));
        assertThat(TlsPolicies.protocols(SecurityPolicy.TLS_1_0)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsPolicies.protocols(SecurityPolicy.SecurityPolicy_TLS13_1_3_2025_09)).containsExactly("TLSv1.3");
    }
}
