package io.vpcanary.lab.route53;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.probe.AuthMaterial;
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import io.vpcanary.routing.RoutingVerification;
import io.vpcanary.routing.RoutingVerifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing verification of a domain whose APIs require IAM: each sample is signed with SigV4 for the region of the record
 * whose target answered, so the failover domain passes; unsigned, every sample is refused with 403, which counts as an
 * error and fails the verification instead of passing for an empty reason.
 */
class RoutingVerifierAuthLabTest {

    private static final String DOMAIN = "orders.internal.example.com";

    @TempDir
    static Path state;
    static Lab lab;
    static Estate estate;

    @BeforeAll
    static void start() throws Exception {
        String orders = "  - name: orders\n    type: REST\n    endpointType: PRIVATE\n    stage: prod\n";
        String text = EstateLoader.demoText();
        assertThat(text).contains(orders);
        estate = EstateLoader.parse(Path.of("iam-orders.yaml"),
                text.replace(orders, orders + "    auth:\n      type: IAM\n"));
        lab = Lab.start(estate, null, Lab.Options.ephemeral(state));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static RoutingVerification verify(AuthMaterial auth) throws Exception {
        return RoutingVerifier.run(new RoutingVerifier.Settings(estate, DOMAIN, "canary-east",
                Resolvers.parseHostPort(lab.environment().resolvers().get("canary-east")),
                lab.environment().httpsPort(), TrustStores.fromFile(Path.of(lab.environment().trustStore()),
                        lab.environment().trustStorePassword().toCharArray()),
                null, 10, 5000, false, RoutingVerifier.DEFAULT_DEVIATION, Duration.ofSeconds(5), auth), null,
                Clock.systemUTC());
    }

    @Test
    void signedSamplesPassAndUnsignedOnesFailAsRefused() throws Exception {
        RoutingVerification signed = verify(AuthMaterial.lab(lab.environment(), name -> null));
        assertThat(signed.verdict()).as(signed.toJson()).isEqualTo(RoutingVerification.PASS);
        assertThat(signed.served()).containsExactly(Map.entry("us-east-1", 10L));
        assertThat(signed.errors()).isEmpty();

        RoutingVerification unsigned = verify(null);
        assertThat(unsigned.verdict()).as(unsigned.toJson()).isEqualTo(RoutingVerification.FAIL);
        assertThat(unsigned.errors()).containsExactly(Map.entry("HTTP 403", 10L));
    }
}
