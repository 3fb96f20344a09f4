package io.vpcanary.probe;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;

/**
 * A test estate with one regional API per authorizer type: {@code orders} (REST, IAM), {@code catalog} (HTTP, JWT from
 * the given issuer) and {@code ledger} (REST, TOKEN), all in us-east-1 and probed from on-premises.
 */
final class AuthTestEstate {

    static final String ORDERS_HOST = "ordrseast1.execute-api.us-east-1.amazonaws.com";
    static final String CATALOG_HOST = "ctlgeast01.execute-api.us-east-1.amazonaws.com";
    static final String LEDGER_HOST = "ldgreast01.execute-api.us-east-1.amazonaws.com";
    static final String CLIENT_SECRET_ENV = "VPCANARY_TEST_CATALOG_SECRET";
    static final String TOKEN_ENV = "VPCANARY_TEST_LEDGER_TOKEN";

    private AuthTestEstate() {
    }

    static String yaml(String issuer, String tokenEndpoint) {
        return """
                account: "111122223333"
                apis:
                  - name: orders
                    type: REST
                    endpointType: REGIONAL
                    stage: prod
                    auth: {type: IAM}
                    regions:
                      - {region: us-east-1, id: ordrseast1}
                    resources: [/orders]
                    checks:
                      - {name: create-order, method: POST, path: /orders, body: '{"id":7}', headers: {Content-Type: application/json}, from: on-premises}
                  - name: catalog
                    type: HTTP
                    endpointType: REGIONAL
                    stage: prod
                    auth:
                      type: JWT
                      issuer: %s
                      audiences: [catalog]
                      scopes: [catalog/read]
                      tokenEndpoint: %s
                      clientId: catalog-client
                      clientSecretEnv: %s
                    regions:
                      - {region: us-east-1, id: ctlgeast01}
                    resources: [/items]
                    checks:
                      - {name: list-items, path: /items, from: on-premises}
                  - name: ledger
                    type: REST
                    endpointType: REGIONAL
                    stage: prod
                    auth: {type: TOKEN, identitySource: X-Ledger-Token, tokenEnv: %s}
                    regions:
                      - {region: us-east-1, id: ldgreast01}
                    resources: [/entries]
                    checks:
                      - {name: list-entries, path: /entries, from: on-premises}
                """.formatted(issuer, tokenEndpoint, CLIENT_SECRET_ENV, TOKEN_ENV);
    }

    static Estate parse(String issuer, String tokenEndpoint) throws Exception {
        return EstateLoader.parse(Path.of("auth-test-estate.yaml"), yaml(issuer, tokenEndpoint));
    }
}
