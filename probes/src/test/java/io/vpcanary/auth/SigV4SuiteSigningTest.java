package io.vpcanary.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
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
        for (SuiteCase c : SuiteCase.all()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                String actual;
                try {
                    Map<String, String> added = signer(c).sign(c.method(), "https", c.host(), -1, c.path(), c.query(),
                            c.headers(), c.body());
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
        for (SuiteCase c : SuiteCase.all()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                String actual;
                try {
                    String target = signer(c).presign(c.method(), "https", c.host(), -1, c.path(), c.query(),
                            c.headers(), Duration.ofSeconds(c.expiresSeconds()));
                    actual = queryParam(target.substring(target.indexOf('?') + 1), "X-Amz-Signature");
                } catch (RuntimeException e) {
                    actual = "failed: " + e.getMessage();
                }
                String expected = c.read("query-signature.txt");
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

    private static SigV4RequestSigner signer(SuiteCase c) {
        return SigV4RequestSigner.builder(c.region())
                .service(c.service())
                .credentials(c.credentials())
                .clock(Clock.fixed(c.timestamp(), ZoneOffset.UTC))
                .normalizePath(c.normalize())
                .build();
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
