package io.vpcanary.lab.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.lab.auth.SigV4Verifier.Failure;
import io.vpcanary.lab.auth.SigV4Verifier.Kind;
import io.vpcanary.lab.auth.SigV4Verifier.Result;
import io.vpcanary.testing.SigV4TestSuite;
import io.vpcanary.testing.SigV4TestSuite.Case;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the lab verifier over every case of the aws-c-auth SigV4a suite ({@link SigV4TestSuite#v4a()}): the key pair
 * derived from the case's credentials is the one in {@code public-key.json}; the suite's own signatures of its
 * strings to sign verify; both signed requests (header and presigned query) are accepted at the case's time, and
 * refused once the signature, the method or the path changes, and when the verifier's region is outside the region
 * set. The two signer-only cases (a context and a request, nothing signed) have nothing to verify.
 */
class SigV4aTestSuiteTest {

    @TestFactory
    Stream<DynamicNode> everyCaseVerifiesAndRejectsTampering() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Case c : SigV4TestSuite.v4a()) {
            if (!c.files().containsKey("header-signed-request.txt")) {
                continue; // a signer-only case (context and request): nothing signed to verify
            }
            nodes.add(DynamicContainer.dynamicContainer(c.name(), Stream.of(
                    DynamicTest.dynamicTest("derived public key is public-key.json", () -> {
                        JsonNode key = new ObjectMapper().readTree(c.read("public-key.json"));
                        String[] xy = SigV4aCrypto.hexCoordinates(SigV4aCrypto.publicKey(c.accessKeyId(), c.secret()));
                        assertThat(xy[0]).isEqualTo(key.path("X").asText());
                        assertThat(xy[1]).isEqualTo(key.path("Y").asText());
                    }),
                    DynamicTest.dynamicTest("suite signatures verify over the suite strings to sign", () -> {
                        ECPoint pub = SigV4aCrypto.publicKey(c.accessKeyId(), c.secret());
                        for (String form : new String[] {"header", "query"}) {
                            String sts = c.read(form + "-string-to-sign.txt");
                            String sig = c.read(form + "-signature.txt").strip();
                            assertThat(SigV4aCrypto.verify(pub, sts, sig)).as(form).isTrue();
                            assertThat(SigV4aCrypto.verify(pub, sts + "x", sig)).as(form + " tampered").isFalse();
                        }
                    }),
                    form(c, "header", SigV4TestSuiteTest.signed(c.headerSigned()), false),
                    form(c, "query", SigV4TestSuiteTest.signed(c.querySigned()), true))));
        }
        assertThat(nodes).hasSize(38);
        return nodes.stream();
    }

    private static DynamicNode form(Case c, String form, SignedRequest signed, boolean presigned) {
        SigV4Verifier verifier = SigV4TestSuiteTest.verifier(c);
        Instant at = c.timestamp();
        return DynamicContainer.dynamicContainer(form, Stream.of(
                DynamicTest.dynamicTest("accepted at " + at, () -> {
                    Result r = verifier.verify(signed, at);
                    assertThat(r).as(detail(r)).isInstanceOf(SigV4Verifier.Ok.class);
                    assertThat(((SigV4Verifier.Ok) r).presigned()).isEqualTo(presigned);
                }),
                rejected("signature changed", verifier, at, tamper(signed), Kind.BAD_SIGNATURE),
                rejected("method changed", verifier, at,
                        signed.toBuilder().method(signed.method().equals("GET") ? "POST" : "GET").build(),
                        Kind.BAD_SIGNATURE),
                rejected("path changed", verifier, at,
                        signed.toBuilder().rawPath("/mutated" + signed.rawPath()).build(), Kind.BAD_SIGNATURE),
                rejected("region outside the region set", SigV4Verifier.builder(SigV4TestSuiteTest.principals(c),
                        "eu-west-1").service(c.service()).normalizePath(c.normalize()).build(), at, signed,
                        Kind.WRONG_REGION)));
    }

    @Test
    void regionSetsMatchExactlyOrByWildcard() {
        assertThat(SigV4Verifier.regionSetCovers("*", "us-west-2")).isTrue();
        assertThat(SigV4Verifier.regionSetCovers("us-east-1,us-west-2", "us-west-2")).isTrue();
        assertThat(SigV4Verifier.regionSetCovers("us-*", "us-west-2")).isTrue();
        assertThat(SigV4Verifier.regionSetCovers("us-east-1", "us-west-2")).isFalse();
        assertThat(SigV4Verifier.regionSetCovers("eu-*", "us-west-2")).isFalse();
        assertThat(SigV4Verifier.regionSetCovers("us-west-2.", "us-west-2x")).isFalse();
    }

    private static DynamicTest rejected(String what, SigV4Verifier verifier, Instant at, SignedRequest req, Kind kind) {
        return DynamicTest.dynamicTest("rejected: " + what, () -> {
            Result r = verifier.verify(req, at);
            assertThat(r).as(what).isInstanceOf(Failure.class);
            assertThat(((Failure) r).kind()).as(detail(r)).isEqualTo(kind);
        });
    }

    /** The signature's last hex digit changed, in the header or the query. */
    static SignedRequest tamper(SignedRequest signed) {
        if (!signed.headerValues("Authorization").isEmpty()) {
            return SigV4TestSuiteTest.changeHeader(signed, "authorization", SigV4TestSuiteTest::flipLast);
        }
        String q = signed.rawQuery();
        int i = q.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        int end = q.indexOf('&', i) < 0 ? q.length() : q.indexOf('&', i);
        return signed.toBuilder().rawQuery(q.substring(0, i) + SigV4TestSuiteTest.flipLast(q.substring(i, end))
                + q.substring(end)).build();
    }

    private static String detail(Result r) {
        return r instanceof Failure f ? f.kind() + ": " + f.detail() : "ok";
    }
}
