package io.vpcanary.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.testing.SigV4TestSuite;
import io.vpcanary.testing.SigV4TestSuite.Case;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The toolkit signer (the AWS SDK's signer behind {@link SigV4RequestSigner}) reproduces the SigV4 test suite's
 * signatures wherever it signs the way the case asks; the cases where it cannot are listed with the reason, and the
 * test checks that they really differ, so the list stays honest.
 */
class SigV4SuiteSigningTest {

    /** Cases the SDK signer signs differently in both forms, and why. */
    static final Map<String, String> DIVERGENT = Map.of(
            "post-sts-header-after", "the case adds the session token after signing; the SDK always signs it",
            "get-space-normalized", "the path holds a raw space: the SDK builds a java.net.URI to normalise it");

    /** Further query-form (presigned) cases the signer signs differently, and why. */
    static final Map<String, String> QUERY_DIVERGENT = Map.of(
            "post-x-www-form-urlencoded", "presign() signs no body (it makes GET/WebSocket URLs)",
            "post-x-www-form-urlencoded-parameters", "presign() signs no body (it makes GET/WebSocket URLs)");

    /**
     * Header form. The SDK's signer always sends and signs {@code x-amz-content-sha256}; the suite signs it only in
     * its body-signing cases. Those must match to the byte; for the others the credential and the signed header list
     * (the suite's plus {@code x-amz-content-sha256}) must match, and the signature itself is cross-checked by the lab
     * verifier in {@code ToolkitSignerRoundTripTest}.
     */
    @TestFactory
    Stream<DynamicTest> headerSignaturesMatchTheSuite() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : SigV4TestSuite.v4()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                String actual;
                try {
                    SigV4TestSuite.Request r = c.request();
                    Map<String, String> added = c.signer().sign(r.method(), "https", r.host(), -1, r.path(), r.query(),
                            r.headerMap(), r.body());
                    actual = added.get("Authorization");
                } catch (RuntimeException e) {
                    actual = "failed: " + e.getMessage();
                }
                String expected = c.expectedAuthorization();
                if (DIVERGENT.containsKey(c.name())) {
                    assertThat(actual).as("listed as divergent: " + DIVERGENT.get(c.name())).isNotEqualTo(expected);
                } else if (signedHeaders(expected).contains(SigV4RequestSigner.CONTENT_SHA256)) {
                    assertThat(actual).isEqualTo(expected);
                } else {
                    List<String> withHash = new ArrayList<>(signedHeaders(expected));
                    withHash.add(SigV4RequestSigner.CONTENT_SHA256);
                    withHash.sort(null);
                    assertThat(signedHeaders(actual)).isEqualTo(withHash);
                    assertThat(credential(actual)).isEqualTo(credential(expected));
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> presignedSignaturesMatchTheSuite() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : SigV4TestSuite.v4()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                String actual;
                try {
                    SigV4TestSuite.Request r = c.request();
                    String target = c.signer().presign(r.method(), "https", r.host(), -1, r.path(), r.query(),
                            r.headerMap(), Duration.ofSeconds(c.expiresSeconds()));
                    actual = queryParam(target.substring(target.indexOf('?') + 1), "X-Amz-Signature");
                } catch (RuntimeException e) {
                    actual = "failed: " + e.getMessage();
                }
                String expected = c.read("query-signature.txt").strip();
                String why = DIVERGENT.getOrDefault(c.name(), QUERY_DIVERGENT.get(c.name()));
                if (why != null) {
                    assertThat(actual).as("listed as divergent: " + why).isNotEqualTo(expected);
                } else {
                    assertThat(actual).isEqualTo(expected);
                }
            }));
        }
        return tests.stream();
    }

    static List<String> signedHeaders(String authorization) {
        int i = authorization.indexOf("SignedHeaders=") + "SignedHeaders=".length();
        return List.of(authorization.substring(i, authorization.indexOf(',', i)).split(";"));
    }

    static String credential(String authorization) {
        int i = authorization.indexOf("Credential=") + "Credential=".length();
        return authorization.substring(i, authorization.indexOf(',', i));
    }

    static String queryParam(String rawQuery, String name) {
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
