package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Integration routes: matching and validation. */
class IntegrationRouteTest {

    @Test
    void aPrefixRuleMatchesItsRootAndBelowButNotASiblingPrefix() {
        IntegrationRoute r = new IntegrationRoute("/orders/*", "orders-svc", null);
        assertThat(r.matches("/orders")).isTrue();
        assertThat(r.matches("/orders/42")).isTrue();
        assertThat(r.matches("/orders/42/lines")).isTrue();
        assertThat(r.matches("/ordersx")).isFalse();
        assertThat(r.matches("/")).isFalse();
        IntegrationRoute exact = new IntegrationRoute("/health", "health-svc", null);
        assertThat(exact.matches("/health")).isTrue();
        assertThat(exact.matches("/health/x")).isFalse();
    }

    @Test
    void theDemoPaymentsApiRoutesTwoAlbServicesAndACloudMapService() {
        Api payments = EstateLoader.demo().api("payments").orElseThrow();
        assertThat(payments.integration().routes()).extracting(IntegrationRoute::target)
                .containsExactly("orders-svc", "payments-svc", "ledger.payments.local");
        assertThat(payments.integration().routes()).extracting(IntegrationRoute::type)
                .containsExactly(null, null, IntegrationType.CLOUD_MAP);
    }

    @Test
    void aRouteWithoutSlashOrWithAnInnerWildcardOrWithoutTargetIsRefusedNamingTheField() {
        String yaml = """
                account: "111122223333"
                apis:
                  - name: a
                    type: HTTP
                    endpointType: REGIONAL
                    stage: prod
                    regions: [{region: us-east-1, id: aaaaaaaaa1}]
                    integration:
                      type: ALB
                      routes:
                        - {path: orders, target: x}
                        - {path: /a/*/b, target: y}
                        - {path: /c/*}
                """;
        assertThatThrownBy(() -> EstateLoader.parse(Path.of("routes.yaml"), yaml))
                .isInstanceOf(EstateException.class)
                .satisfies(t -> assertThat(((EstateException) t).problems()).extracting(EstateException.Problem::field)
                        .contains("apis[0].integration.routes[0].path", "apis[0].integration.routes[1].path",
                                "apis[0].integration.routes[2].target"));
    }
}
