package io.vpcanary.probe;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.Target;
import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Expectation;
import java.net.URI;
import java.util.Map;

/** Builds {@link Target}s for tests. */
final class Targets {

    static final String API_HOST = "ordrseast1.execute-api.us-east-1.amazonaws.com";
    static final String VPCE_HOST = "vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com";
    static final String REGIONAL_HOST = "invtryeast.execute-api.us-east-1.amazonaws.com";

    private Targets() {
    }

    static Target get(String host, int port, String path, AccessPath accessPath, Map<String, String> headers,
                      String vantage, Expectation expect) {
        return of("GET", host, port, path, accessPath, headers, vantage, null, AuthType.NONE, expect);
    }

    static Target of(String method, String host, int port, String path, AccessPath accessPath,
                     Map<String, String> headers, String vantage, String body, AuthType auth, Expectation expect) {
        URI url = URI.create("https://" + host + ":" + port + path);
        return new Target("orders", ApiType.REST, "ordrseast1", "prod", "us-east-1", accessPath, "check-" + path,
                method, url, headers, headers.getOrDefault("Host", host + ":" + port), vantage,
                accessPath == AccessPath.REGIONAL ? null : "vpce-0e1a00000000000a1", body, auth, expect);
    }

    static Expectation expect(Integer status, String bodyContains, Long budgetMs, ErrorClass errorClass) {
        return new Expectation(status, bodyContains, budgetMs, errorClass);
    }
}
