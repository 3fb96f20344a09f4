package io.vpcanary.lab.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.vpcanary.lab.AwsAnswers;
import io.vpcanary.lab.auth.SigV4Verifier.Failure;
import io.vpcanary.lab.auth.SigV4Verifier.Kind;
import io.vpcanary.lab.auth.SigV4Verifier.Result;
import io.vpcanary.testing.SigV4TestSuite;
import io.vpcanary.testing.SigV4TestSuite.Case;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Failure classes, AWS messages and robustness of the lab's SigV4 verifier, beyond the conformance suite. */
class SigV4VerifierTest {

    private static final Instant SIGNED = Instant.parse("2015-08-30T12:36:00Z");

    private final Case vanilla = SigV4TestSuite.v4("get-vanilla");
    private final SigV4Verifier verifier = SigV4TestSuiteTest.verifier(vanilla);

    @Test
    void noSignatureIsMissingAuthenticationToken() {
        Failure f = failure(verifier.verify(SignedRequest.builder("GET", "/prod/orders")
                .header("Host", "example.amazonaws.com").build(), SIGNED));
        assertThat(f.kind()).isEqualTo(Kind.MISSING);
        assertThat(f.messageKey()).isEqualTo("missingAuthenticationToken");
        assertThat(AwsAnswers.get(f.messageKey() + ".errorType")).isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void bearerTokenIsAnIncompleteSignatureWithoutEchoingTheToken() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        Failure f = failure(verifier.verify(SignedRequest.builder("GET", "/")
                .header("Host", "example.amazonaws.com").header("Authorization", "Bearer " + jwt).build(), SIGNED));
        assertThat(f.kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(f.placeholders()).containsEntry("description", "Bearer ***");
        String body = AwsAnswers.body(f.messageKey(), f.placeholders());
        assertThat(body).contains("Authorization=Bearer ***").doesNotContain(jwt);
        assertThat(f.detail()).doesNotContain(jwt);
    }

    @Test
    void expiredSignatureRendersTheAwsMessage() {
        Failure f = failure(verifier.verify(SigV4TestSuiteTest.signed(vanilla.headerSigned()), Instant.parse("2015-08-30T12:46:00Z")));
        assertThat(f.kind()).isEqualTo(Kind.EXPIRED);
        assertThat(AwsAnswers.body(f.messageKey(), f.placeholders())).isEqualTo("{\"message\":\"Signature expired: "
                + "20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)\"}");
        assertThat(AwsAnswers.status(f.messageKey())).isEqualTo(403);
    }

    @Test
    void badSignatureAndWrongScopeUseTheBadSignatureMessage() {
        Failure bad = failure(verifier.verify(SigV4TestSuiteTest.tamperSignature(SigV4TestSuiteTest.signed(vanilla.headerSigned())), SIGNED));
        assertThat(bad.kind()).isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(AwsAnswers.get(bad.messageKey() + ".errorType")).isEqualTo("InvalidSignatureException");
        Failure scope = failure(SigV4Verifier.builder(SigV4TestSuiteTest.principals(vanilla), "us-east-1").build()
                .verify(SigV4TestSuiteTest.signed(vanilla.headerSigned()), SIGNED));
        assertThat(scope.kind()).isEqualTo(Kind.WRONG_SCOPE);
        assertThat(scope.messageKey()).isEqualTo("iam.badSignature");
        assertThat(scope.detail()).contains("service 'service' is not 'execute-api'");
    }

    @Test
    void headerAndQueryFormsTogetherAreIncomplete() {
        SignedRequest both = SigV4TestSuiteTest.signed(vanilla.headerSigned()).toBuilder().rawQuery(SigV4TestSuiteTest.signed(vanilla.querySigned()).rawQuery()).build();
        assertThat(failure(verifier.verify(both, SIGNED)).kind()).isEqualTo(Kind.INCOMPLETE);
    }

    @Test
    void failuresNeverCarryTheSecretOrTheSessionToken() {
        Case session = SigV4TestSuite.v4("get-vanilla-with-session-token");
        SignedRequest signed = SigV4TestSuiteTest.signed(session.headerSigned());
        List<SignedRequest> attempts = List.of(
                SigV4TestSuiteTest.tamperSignature(signed),
                signed.toBuilder().removeHeader("X-Amz-Security-Token").build(),
                SigV4TestSuiteTest.changeHeader(signed, "x-amz-security-token", v -> v + "0"));
        for (SignedRequest r : attempts) {
            Failure f = failure(SigV4TestSuiteTest.verifier(session).verify(r, SIGNED));
            String all = f.toString() + AwsAnswers.body(f.messageKey().equals("iam.notYetCurrent")
                    ? "iam.expired" : f.messageKey(), f.placeholders());
            assertThat(all).doesNotContain(session.secret()).doesNotContain(session.token().orElseThrow());
        }
        assertThat(SigV4TestSuiteTest.principals(session).toString()).doesNotContain(session.secret())
                .doesNotContain(session.token().orElseThrow());
        assertThat(SigV4TestSuiteTest.verifier(session).toString()).doesNotContain(session.secret());
    }

    @Test
    void nettyRequestsConvertFaithfully() {
        Case form = SigV4TestSuite.v4("post-x-www-form-urlencoded");
        SignedRequest suite = SigV4TestSuiteTest.signed(form.headerSigned());
        DefaultFullHttpRequest netty = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "http://example.amazonaws.com" + suite.rawPath(), Unpooled.wrappedBuffer(suite.body()));
        suite.headers().forEach(h -> netty.headers().add(h.getKey(), h.getValue()));
        try {
            SignedRequest converted = SignedRequest.of(netty);
            assertThat(converted.rawPath()).isEqualTo("/");
            assertThat(converted.headers()).isEqualTo(suite.headers());
            assertThat(SigV4TestSuiteTest.verifier(form).verify(converted, SIGNED)).isInstanceOf(SigV4Verifier.Ok.class);
        } finally {
            netty.release();
        }
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(42);
        String[] prefixes = {"AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential=", "Bearer ", "", "AWS4-HMAC-SHA256"};
        for (int i = 0; i < 2_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            String s = new String(junk, StandardCharsets.ISO_8859_1);
            SignedRequest r = SignedRequest.builder(i % 2 == 0 ? "GET" : "POST", "/" + s.replace('?', '_'))
                    .rawQuery(i % 3 == 0 ? "X-Amz-Algorithm=" + s + "&X-Amz-Credential=" + s : s)
                    .header("Host", "h")
                    .header(i % 3 == 0 ? "X-Other" : "Authorization", prefixes[i % prefixes.length] + s)
                    .header("X-Amz-Date", i % 4 == 0 ? "20150830T123600Z" : s)
                    .build();
            Result result = verifier.verify(r, SIGNED);
            assertThat(result).isInstanceOf(Failure.class);
        }
    }

    @Test
    void principalsPrintNoSecrets() {
        LabPrincipals p = LabPrincipals.generate("123456789012");
        LabPrincipals.Principal d = p.defaultPrincipal();
        assertThat(d.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(d.secretAccessKey()).hasSize(40);
        assertThat(p.toString()).contains(d.accessKeyId()).doesNotContain(d.secretAccessKey());
        assertThat(d.toString()).doesNotContain(d.secretAccessKey());
        assertThat(LabPrincipals.generate("123456789012").defaultPrincipal().secretAccessKey())
                .isNotEqualTo(d.secretAccessKey());
        assertThat(p.find(d.accessKeyId())).contains(d);
        assertThat(p.find("AKIAUNKNOWN")).isEmpty();
    }

    private static Failure failure(Result r) {
        assertThat(r).isInstanceOf(Failure.class);
        return (Failure) r;
    }
}
