package io.vpcanary.lab.auth;

import io.vpcanary.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.auth.SigV4Interceptor;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.lab.auth.SigV4Verifier.Failure;
import io.vpcanary.lab.auth.SigV4Verifier.Kind;
import io.vpcanary.testing.SigV4TestSuite;
import io.vpcanary.testing.SigV4TestSuite.Case;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The toolkit's signer (the AWS SDK's signer) and the lab's verifier agree: requests signed by
 * {@link SigV4RequestSigner} verify, over a real socket through {@link SigV4Interceptor} too, with a Host header that
 * differs from the URL's host; and tampering on the way is caught.
 */
class ToolkitSignerRoundTripTest {

    /** Suite cases the SDK cannot sign (see SigV4SuiteSigningTest in the probes module). */
    static final Map<String, String> NOT_SIGNABLE = Map.of(
            "get-space-normalized", "the path holds a raw space: the SDK builds a java.net.URI to normalise it");

    private static final String REGION = "eu-west-1";
    private static final String API_HOST = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    private MockWebServer server;
    private final LabPrincipals principals = LabPrincipals.generate("123456789012");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> suiteRequestsSignedByTheSdkVerifyInTheLab() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : SigV4TestSuite.v4()) {
            if (NOT_SIGNABLE.containsKey(c.name())) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(c.name() + " header", () -> {
                SigV4TestSuite.Request r = c.request();
                SignedRequest unsigned = SigV4TestSuiteTest.signed(r);
                Map<String, String> added = c.signer().sign(r.method(), "https", r.host(), -1, r.path(), r.query(),
                        r.headerMap(), r.body());
                SignedRequest.Builder b = unsigned.toBuilder();
                added.forEach((k, v) -> b.removeHeader(k).header(k, v));
                SignedRequest signed = b.build();
                assertThat(SigV4TestSuiteTest.verifier(c).verify(signed, c.timestamp())).isInstanceOf(SigV4Verifier.Ok.class);
                assertThat(SigV4TestSuiteTest.verifier(c).verify(SigV4TestSuiteTest.tamperSignature(signed), c.timestamp()))
                        .isInstanceOf(Failure.class);
            }));
            tests.add(DynamicTest.dynamicTest(c.name() + " presigned", () -> {
                SigV4TestSuite.Request r = c.request();
                SignedRequest unsigned = SigV4TestSuiteTest.signed(r);
                String target = c.signer().presign(r.method(), "https", r.host(), -1, r.path(), r.query(),
                        r.headerMap(), Duration.ofSeconds(c.expiresSeconds()));
                int q = target.indexOf('?');
                // presign() signs no body (it is for GET and WebSocket URLs), so the presigned request carries none.
                SignedRequest signed = unsigned.toBuilder().body(null).rawPath(target.substring(0, q))
                        .rawQuery(target.substring(q + 1)).build();
                assertThat(SigV4TestSuiteTest.verifier(c).verify(signed, c.timestamp())).isInstanceOf(SigV4Verifier.Ok.class);
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(2 * 37);
        return tests.stream();
    }

    @Test
    void interceptorSignsWhatIsSentWithTheHostHeaderActuallySent() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        OkHttpClient client = client(toolkitSigner(principals.defaultPrincipal()));
        Request request = new Request.Builder()
                .url(server.url("/prod/orders/42?b=2&a=1&sp=x%20y"))
                .header("Host", API_HOST)
                .header("X-Custom", "  spaced   value ")
                .post(RequestBody.create("{\"id\":42}", MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        SignedRequest received = received(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(received.headerValues("Host")).containsExactly(API_HOST);
        assertThat(received.headerValues("Authorization").get(0)).contains("/" + REGION + "/execute-api/aws4_request");
        SigV4Verifier verifier = SigV4Verifier.builder(principals, REGION).build();

        SigV4Verifier.Result ok = verifier.verify(received, clock.instant());
        assertThat(ok).isInstanceOf(SigV4Verifier.Ok.class);
        assertThat(((SigV4Verifier.Ok) ok).principal().arn()).isEqualTo("arn:aws:iam::123456789012:role/vpcanary-lab");

        assertThat(kind(verifier.verify(received.toBuilder().removeHeader("Host")
                .header("Host", "127.0.0.1:" + server.getPort()).build(), clock.instant())))
                .isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(verifier.verify(received.toBuilder().body("{\"id\":43}".getBytes(StandardCharsets.UTF_8))
                .build(), clock.instant()))).isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(verifier.verify(received.toBuilder().rawQuery("a=1&b=3&sp=x%20y").build(), clock.instant())))
                .isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(verifier.verify(received.toBuilder().rawPath("/prod/orders/43").build(), clock.instant())))
                .isEqualTo(Kind.BAD_SIGNATURE);
        assertThat(kind(verifier.verify(received, clock.instant().plus(Duration.ofMinutes(6)))))
                .isEqualTo(Kind.EXPIRED);
        assertThat(kind(SigV4Verifier.builder(principals, "us-east-1").build().verify(received, clock.instant())))
                .isEqualTo(Kind.WRONG_REGION);
    }

    @Test
    void everyRequestIsSignedAfreshAndSessionTokensTravel() throws Exception {
        LabPrincipals.Principal session = new LabPrincipals.Principal("ASIAEXAMPLESESSION01", "s3cr3t-Key/+abc",
                java.util.Optional.of("FwoGZXIvYXdzEXAMPLEtoken//=="), "123456789012",
                "arn:aws:sts::123456789012:assumed-role/canary/session");
        LabPrincipals withSession = principals.with(session);
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        OkHttpClient client = client(toolkitSigner(session));
        Request request = new Request.Builder().url(server.url("/prod/ping")).header("Host", API_HOST).build();
        try (Response r = client.newCall(request).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        Instant first = clock.instant();
        clock.set(first.plusSeconds(61));
        try (Response r = client.newCall(request).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        SignedRequest one = received(server.takeRequest(5, TimeUnit.SECONDS));
        SignedRequest two = received(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(one.headerValues("X-Amz-Date")).isNotEqualTo(two.headerValues("X-Amz-Date"));
        assertThat(one.headerValues("Authorization")).isNotEqualTo(two.headerValues("Authorization"));
        assertThat(one.headerValues("X-Amz-Security-Token")).containsExactly("FwoGZXIvYXdzEXAMPLEtoken//==");
        SigV4Verifier verifier = SigV4Verifier.builder(withSession, REGION).build();
        assertThat(verifier.verify(one, first)).isInstanceOf(SigV4Verifier.Ok.class);
        assertThat(verifier.verify(two, clock.instant())).isInstanceOf(SigV4Verifier.Ok.class);
        assertThat(kind(verifier.verify(one.toBuilder().removeHeader("X-Amz-Security-Token")
                .header("X-Amz-Security-Token", "FwoGZXIvYXdzEXAMPLEtoken//==x").build(), first)))
                .isEqualTo(Kind.UNKNOWN_KEY);
    }

    @Test
    void presignedUrlVerifiesUntilItExpires() {
        SigV4RequestSigner signer = toolkitSigner(principals.defaultPrincipal());
        String target = signer.presign("GET", "wss", API_HOST, -1, "/prod", null, Map.of(), Duration.ofMinutes(15));
        int q = target.indexOf('?');
        SignedRequest req = SignedRequest.builder("GET", target.substring(0, q)).rawQuery(target.substring(q + 1))
                .header("Host", API_HOST).build();
        SigV4Verifier verifier = SigV4Verifier.builder(principals, REGION).build();
        SigV4Verifier.Result ok = verifier.verify(req, clock.instant().plus(Duration.ofMinutes(14)));
        assertThat(ok).isInstanceOf(SigV4Verifier.Ok.class);
        assertThat(((SigV4Verifier.Ok) ok).presigned()).isTrue();
        assertThat(kind(verifier.verify(req, clock.instant().plus(Duration.ofMinutes(16))))).isEqualTo(Kind.EXPIRED);
        assertThat(kind(verifier.verify(req.toBuilder().rawQuery(target.substring(q + 1) + "&extra=1").build(),
                clock.instant()))).isEqualTo(Kind.BAD_SIGNATURE);
    }

    @Test
    void sigV4aSignedByTheSdkVerifiesInEveryRegionOfItsSetAndOnlyThere() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        SigV4RequestSigner v4a = SigV4RequestSigner.builder("us-east-1").credentials(credentials(principals.defaultPrincipal()))
                .clock(clock).sigV4a(List.of("us-east-1", "us-west-2")).build();
        assertThat(v4a.sigV4a()).isTrue();
        Request request = new Request.Builder().url(server.url("/prod/orders?a=1")).header("Host", API_HOST)
                .post(RequestBody.create("{\"id\":7}", MediaType.get("application/json"))).build();
        try (Response response = client(v4a).newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        SignedRequest received = received(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(received.headerValues("Authorization").get(0)).startsWith(SigV4Verifier.ALGORITHM_V4A + " ")
                .contains("/execute-api/aws4_request");
        assertThat(received.headerValues(SigV4Verifier.REGION_SET)).containsExactly("us-east-1,us-west-2");
        for (String region : List.of("us-east-1", "us-west-2")) {
            assertThat(SigV4Verifier.builder(principals, region).build().verify(received, clock.instant()))
                    .as(region).isInstanceOf(SigV4Verifier.Ok.class);
        }
        Failure outside = (Failure) SigV4Verifier.builder(principals, "eu-west-1").build()
                .verify(received, clock.instant());
        assertThat(outside.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(outside.placeholders()).containsEntry("region", "us-east-1,us-west-2");
        assertThat(kind(SigV4Verifier.builder(principals, "us-west-2").build().verify(received.toBuilder()
                .body("{\"id\":8}".getBytes(StandardCharsets.UTF_8)).build(), clock.instant())))
                .isEqualTo(Kind.BAD_SIGNATURE);

        String target = v4a.presign("GET", "https", API_HOST, -1, "/prod/orders", null, Map.of(), Duration.ofMinutes(5));
        int q = target.indexOf('?');
        SignedRequest presigned = SignedRequest.builder("GET", target.substring(0, q)).rawQuery(target.substring(q + 1))
                .header("Host", API_HOST).build();
        assertThat(SigV4Verifier.builder(principals, "us-west-2").build().verify(presigned, clock.instant()))
                .isInstanceOf(SigV4Verifier.Ok.class);
    }

    @Test
    void sigV4ForOneRegionIsRefusedByAnotherAsASigningRegionMismatch() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        try (Response response = client(SigV4RequestSigner.builder("us-east-1")
                .credentials(credentials(principals.defaultPrincipal())).clock(clock).build())
                .newCall(new Request.Builder().url(server.url("/prod/orders")).header("Host", API_HOST).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
        Failure f = (Failure) SigV4Verifier.builder(principals, "us-west-2").build()
                .verify(received(server.takeRequest(5, TimeUnit.SECONDS)), clock.instant());
        assertThat(f.kind()).isEqualTo(Kind.WRONG_REGION);
        assertThat(f.messageKey()).isEqualTo("iam.wrongRegion");
        assertThat(f.placeholders()).containsEntry("region", "us-east-1");
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials(LabPrincipals.Principal p) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(p.accessKeyId(), p.secretAccessKey()));
    }

    private SigV4RequestSigner toolkitSigner(LabPrincipals.Principal p) {
        return SigV4RequestSigner.builder(REGION)
                .credentials(StaticCredentialsProvider.create(p.sessionToken().isPresent()
                        ? AwsSessionCredentials.create(p.accessKeyId(), p.secretAccessKey(), p.sessionToken().get())
                        : AwsBasicCredentials.create(p.accessKeyId(), p.secretAccessKey())))
                .clock(clock)
                .build();
    }

    private static OkHttpClient client(SigV4RequestSigner signer) {
        return new OkHttpClient.Builder()
                .addNetworkInterceptor(new SigV4Interceptor(signer))
                .callTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static SignedRequest received(RecordedRequest r) {
        assertThat(r).as("request reached the server").isNotNull();
        String target = r.getTarget();
        int q = target.indexOf('?');
        SignedRequest.Builder b = SignedRequest.builder(r.getMethod(), q < 0 ? target : target.substring(0, q))
                .rawQuery(q < 0 ? "" : target.substring(q + 1));
        for (int i = 0; i < r.getHeaders().size(); i++) {
            b.header(r.getHeaders().name(i), r.getHeaders().value(i));
        }
        if (r.getBody() != null) {
            b.body(r.getBody().toByteArray());
        }
        return b.build();
    }

    private static Kind kind(SigV4Verifier.Result r) {
        return r instanceof Failure f ? f.kind() : null;
    }
}
