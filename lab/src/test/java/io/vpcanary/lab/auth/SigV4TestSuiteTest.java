package io.vpcanary.lab.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.lab.auth.SigV4Verifier.Failure;
import io.vpcanary.lab.auth.SigV4Verifier.Kind;
import io.vpcanary.lab.auth.SigV4Verifier.Result;
import io.vpcanary.testing.SigV4TestSuite;
import io.vpcanary.testing.SigV4TestSuite.Case;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the lab verifier over every case of the SigV4 test suite ({@link SigV4TestSuite#v4()}), in both forms (header and presigned
 * query): each signed request verifies at the case's own time, credentials, region, service and path option; and is
 * refused once its signature, method, path, query or any signed header's value changes, once it is too old, and once
 * the verifier expects another region or service. No case is skipped (see {@link #NOT_APPLICABLE}).
 */
class SigV4TestSuiteTest {

    /** Cases (folder/form) that cannot apply, with the reason. Empty: every case of the suite applies. */
    static final Map<String, String> NOT_APPLICABLE = Map.of();

    @TestFactory
    Stream<DynamicNode> everyCaseVerifiesAndRejectsTampering() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Case c : SigV4TestSuite.v4()) {
            nodes.add(DynamicContainer.dynamicContainer(c.name(), Stream.of(
                    form(c, "header", signed(c.headerSigned()), false),
                    form(c, "query", signed(c.querySigned()), true))));
        }
        return nodes.stream();
    }

    private DynamicNode form(Case c, String form, SignedRequest signed, boolean presigned) {
        String id = c.name() + "/" + form;
        if (NOT_APPLICABLE.containsKey(id)) {
            throw new IllegalStateException("unexpected exclusion " + id);
        }
        SigV4Verifier verifier = verifier(c);
        Instant at = c.timestamp();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("accepted at " + at, () -> {
            Result r = verifier.verify(signed, at);
            assertThat(r).as(detail(r)).isInstanceOf(SigV4Verifier.Ok.class);
            SigV4Verifier.Ok ok = (SigV4Verifier.Ok) r;
            assertThat(ok.principal().accessKeyId()).isEqualTo(c.accessKeyId());
            assertThat(ok.presigned()).isEqualTo(presigned);
        }));
        tests.add(rejected("signature changed", verifier, at, tamperSignature(signed), Kind.BAD_SIGNATURE));
        tests.add(rejected("method changed", verifier, at,
                signed.toBuilder().method(signed.method().equals("GET") ? "POST" : "GET").build(),
                Kind.BAD_SIGNATURE));
        tests.add(rejected("path changed", verifier, at,
                signed.toBuilder().rawPath("/mutated" + signed.rawPath()).build(), Kind.BAD_SIGNATURE));
        String q = signed.rawQuery();
        tests.add(rejected("query parameter added", verifier, at,
                signed.toBuilder().rawQuery(q.isEmpty() ? "mutated=1" : "mutated=1&" + q).build(),
                Kind.BAD_SIGNATURE));
        for (String name : signedHeaders(signed)) {
            Kind expected = name.equals("x-amz-security-token") ? Kind.UNKNOWN_KEY : Kind.BAD_SIGNATURE;
            tests.add(rejected("signed header " + name + " changed", verifier, at,
                    changeHeader(signed, name, v -> name.equals("x-amz-date") ? v.replace("3600Z", "3601Z") : v + "x"),
                    expected));
        }
        Duration window = presigned ? Duration.ofSeconds(c.expiresSeconds()) : SigV4Verifier.MAX_SKEW;
        tests.add(DynamicTest.dynamicTest("accepted at the edge of its window", () ->
                assertThat(verifier.verify(signed, at.plus(window))).isInstanceOf(SigV4Verifier.Ok.class)));
        tests.add(rejected("expired", verifier, at.plus(window).plusSeconds(1), signed, Kind.EXPIRED));
        tests.add(rejected("signed in the future", verifier, at.minus(SigV4Verifier.MAX_SKEW).minusSeconds(1), signed,
                Kind.NOT_YET_CURRENT));
        tests.add(rejected("other region expected", SigV4Verifier.builder(principals(c), "eu-west-1")
                .service(c.service()).normalizePath(c.normalize()).build(), at, signed, Kind.WRONG_REGION));
        tests.add(rejected("other service expected", SigV4Verifier.builder(principals(c), c.region())
                .service("execute-api").normalizePath(c.normalize()).build(), at, signed, Kind.WRONG_SCOPE));
        tests.add(rejected("unknown access key", SigV4Verifier.builder(LabPrincipals.generate("123456789012"),
                c.region()).service(c.service()).normalizePath(c.normalize()).build(), at, signed, Kind.UNKNOWN_KEY));
        return DynamicContainer.dynamicContainer(form, tests);
    }

    private static DynamicTest rejected(String what, SigV4Verifier verifier, Instant at, SignedRequest req,
                                        Kind kind) {
        return DynamicTest.dynamicTest("rejected: " + what, () -> {
            Result r = verifier.verify(req, at);
            assertThat(r).as(what).isInstanceOf(Failure.class);
            assertThat(((Failure) r).kind()).as(detail(r)).isEqualTo(kind);
        });
    }

    /** A suite request as the lab verifier takes it. */
    static SignedRequest signed(SigV4TestSuite.Request r) {
        SignedRequest.Builder b = SignedRequest.builder(r.method(), r.path())
                .rawQuery(r.query() == null ? "" : r.query());
        r.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
        if (r.body() != null) {
            b.body(r.body());
        }
        return b.build();
    }

    /** The case's credentials as the one lab principal. */
    static LabPrincipals principals(Case c) {
        return LabPrincipals.of(new LabPrincipals.Principal(c.accessKeyId(), c.secret(), c.token(), "123456789012",
                "arn:aws:iam::123456789012:role/suite"), List.of());
    }

    /** A verifier expecting the case's region, service and path option. */
    static SigV4Verifier verifier(Case c) {
        return SigV4Verifier.builder(principals(c), c.region()).service(c.service()).normalizePath(c.normalize())
                .build();
    }

    /** Signed header names of a request signed in either form. */
    static List<String> signedHeaders(SignedRequest req) {
        List<String> authz = req.headerValues("Authorization");
        String list;
        if (!authz.isEmpty()) {
            String v = authz.get(0);
            int i = v.indexOf("SignedHeaders=");
            list = v.substring(i + "SignedHeaders=".length(), v.indexOf(',', i));
        } else {
            list = SigV4Canonical.queryParameter(req.rawQuery(), "X-Amz-SignedHeaders");
        }
        return List.of(list.split(";"));
    }

    static SignedRequest tamperSignature(SignedRequest signed) {
        List<String> authz = signed.headerValues("Authorization");
        if (!authz.isEmpty()) {
            return changeHeader(signed, "authorization", SigV4TestSuiteTest::flipLast);
        }
        String q = signed.rawQuery();
        int i = q.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String sig = q.substring(i, i + 64);
        return signed.toBuilder().rawQuery(q.substring(0, i) + flipLast(sig) + q.substring(i + 64)).build();
    }

    static String flipLast(String s) {
        char last = s.charAt(s.length() - 1);
        return s.substring(0, s.length() - 1) + (last == '0' ? '1' : '0');
    }

    /** A copy with the first value of header {@code name} passed through {@code change}. */
    static SignedRequest changeHeader(SignedRequest signed, String name, Function<String, String> change) {
        SignedRequest.Builder b = signed.toBuilder().removeHeader(name);
        boolean done = false;
        for (Map.Entry<String, String> h : signed.headers()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                b.header(h.getKey(), done ? h.getValue() : change.apply(h.getValue()));
                done = true;
            }
        }
        assertThat(done).as("header " + name + " present").isTrue();
        return b.build();
    }

    private static String detail(Result r) {
        return r instanceof Failure f ? f.kind() + ": " + f.detail() : "ok";
    }
}
