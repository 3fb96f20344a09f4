package io.vpcanary.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The URLs the planner gives each access path, with named stages and the HTTP API {@code $default} stage. */
class TargetPlannerTest {

    private static final String PAYMENTS = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";
    private static final String PAYMENTS_REGION = "        id: paymnteast\n";

    /** The demo estate with payments on the $default stage and a custom domain mapping base path v1 to it. */
    static Estate defaultStageEstate() throws EstateException {
        String text = EstateLoader.demoText();
        assertThat(text).contains(PAYMENTS, PAYMENTS_REGION);
        text = text.replace(PAYMENTS, PAYMENTS.replace("prod", "$default")).replace(PAYMENTS_REGION, PAYMENTS_REGION
                + "        customDomains:\n          - domain: pay.example.com\n            basePath: v1\n");
        return EstateLoader.parse(Path.of("estate.yaml"), text);
    }

    private static List<String> urls(Estate estate, String api, String check) {
        Api a = estate.api(api).orElseThrow();
        return new TargetPlanner(estate, 443).targets(a, a.checks().stream()
                .filter(c -> c.name().equals(check)).findFirst().orElseThrow())
                .stream().map(t -> t.accessPath() + " " + t.url()).toList();
    }

    @Test
    void theDefaultStageIsServedAtTheRootAndTheCustomDomainKeepsItsBasePath() throws EstateException {
        Estate estate = defaultStageEstate();
        assertThat(urls(estate, "payments", "list-payments")).containsExactlyInAnyOrder(
                "REGIONAL https://paymnteast.execute-api.us-east-1.amazonaws.com/payments",
                "CUSTOM_DOMAIN https://pay.example.com/v1/payments");
        Api payments = estate.api("payments").orElseThrow();
        assertThat(new TargetPlanner(estate, 8443).targets(payments, payments.checks().get(0)))
                .allSatisfy(t -> assertThat(t.stage()).isEqualTo("$default"))
                .filteredOn(t -> t.accessPath() == AccessPath.REGIONAL).singleElement()
                .satisfies(t -> assertThat(t.url().toString())
                        .isEqualTo("https://paymnteast.execute-api.us-east-1.amazonaws.com:8443/payments"));
    }

    @Test
    void aNamedStageIsTheFirstSegmentOnEveryPrivatePath() throws EstateException {
        assertThat(urls(defaultStageEstate(), "orders", "list-orders")).filteredOn(u -> !u.contains("west"))
                .containsExactlyInAnyOrder(
                        "PRIVATE_DNS https://ordrseast1.execute-api.us-east-1.amazonaws.com/prod/orders",
                        "VPCE_HOST_HEADER https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com/prod/orders",
                        "VPCE_API_ID_HEADER https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com/prod/orders",
                        "ROUTE53_ALIAS https://ordrseast1-vpce-0e1a00000000000a1.execute-api.us-east-1.amazonaws.com/prod/orders",
                        "CUSTOM_DOMAIN https://orders.east.internal.example.com/orders");
    }
}
