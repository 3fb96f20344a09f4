package io.vpcanary.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The toolkit signer's contract beyond the suite: Host, freshness, presigning, failures without secrets. */
class SigV4RequestSignerTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final AwsCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET));

    @Test
    void signsTheExplicitHostAndAnswersOnlyTheAuthHeaders() {
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(CREDS)
                .clock(Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC)).build();
        Map<String, String> added = signer.sign("POST",
                URI.create("https://vpce-0123456789abcdef0-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com/prod/x"),
                Map.of("Host", List.of("a1b2c3.execute-api.eu-west-1.amazonaws.com")),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(added.keySet()).containsExactly("X-Amz-Date", SigV4RequestSigner.CONTENT_SHA256, "Authorization");
        assertThat(added.get("X-Amz-Date")).isEqualTo("20261123T120000Z");
        assertThat(added.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-west-1/execute-api/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=");
        assertThat(added.get(SigV4RequestSigner.CONTENT_SHA256))
                .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        Map<String, String> otherHost = signer.sign("POST",
                URI.create("https://vpce-0123456789abcdef0-abcdefgh.execute-api.eu-west-1.vpce.amazonaws.com/prod/x"),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(otherHost.get("Authorization")).isNotEqualTo(added.get("Authorization"));
    }

    @Test
    void everyCallSignsAfresh() {
        Instant[] now = {Instant.parse("2026-11-23T12:00:00Z")};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusSeconds(1);
                return now[0];
            }
        };
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).clock(moving).build();
        URI url = URI.create("https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod/ping");
        String first = signer.sign("GET", url, Map.of(), null).get("Authorization");
        String second = signer.sign("GET", url, Map.of(), null).get("Authorization");
        assertThat(first).isNotEqualTo(second);
    }

    /** What a signer that has signed nothing before answers at {@code at}: the SDK's own computation. */
    private static Map<String, String> fresh(String at, AwsCredentialsProvider creds, String method, URI url,
                                             Map<String, List<String>> headers, byte[] body) {
        return SigV4RequestSigner.builder("eu-west-1").credentials(creds).clock(new MutableClock(Instant.parse(at))).build()
                .sign(method, url, headers, body);
    }

    @Test
    void aRequestRepeatedWithinTheSecondGetsTheSameBytesFromTheMemo() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00.100Z"));
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).clock(clock).build();
        URI url = URI.create("https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod/orders?b=2&a=1");
        Map<String, List<String>> headers = Map.of("Host", List.of("a1b2c3.execute-api.eu-west-1.amazonaws.com"),
                "x-apigw-api-id", List.of("a1b2c3"));
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> first = signer.sign("POST", url, headers, body);
        clock.set(Instant.parse("2026-11-23T12:00:00.900Z"));
        Map<String, String> again = signer.sign("POST", url, new java.util.HashMap<>(headers), body.clone());
        assertThat(again).as("answered from the memo").isSameAs(first);
        assertThat(again).isEqualTo(fresh("2026-11-23T12:00:00.900Z", CREDS, "POST", url, headers, body))
                .containsEntry("X-Amz-Date", "20261123T120000Z");
        assertThatThrownBy(() -> again.put("Authorization", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNewSecondADayRolloverOrAnyDifferenceSignsAnewThroughTheSdk() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T23:59:59.500Z"));
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).clock(clock).build();
        URI url = URI.create("https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod/orders");
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put("x-apigw-api-id", new java.util.ArrayList<>(List.of("a1b2c3")));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> before = signer.sign("POST", url, headers, body);
        assertThat(before.get("Authorization")).contains("/20261123/eu-west-1/");

        // the caller changes what it passed: the memo kept its own copy, so this is a different request
        headers.get("x-apigw-api-id").set(0, "other1");
        body[0] = '[';
        assertThat(signer.sign("POST", url, headers, body))
                .isEqualTo(fresh("2026-11-23T23:59:59.500Z", CREDS, "POST", url, headers, body))
                .isNotEqualTo(before);
        AwsCredentialsProvider other = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER", SECRET));
        headers.get("x-apigw-api-id").set(0, "a1b2c3");
        body[0] = '{';
        assertThat(SigV4RequestSigner.builder("eu-west-1").credentials(other).clock(clock).build()
                .sign("POST", url, headers, body).get("Authorization")).contains("AKIDOTHER/20261123")
                .isNotEqualTo(before.get("Authorization"));

        // midnight: a new date in X-Amz-Date and in the credential scope (the signing key of another day)
        clock.set(Instant.parse("2026-11-24T00:00:00.100Z"));
        Map<String, String> after = signer.sign("POST", url, headers, body);
        assertThat(after).isEqualTo(fresh("2026-11-24T00:00:00.100Z", CREDS, "POST", url, headers, body))
                .containsEntry("X-Amz-Date", "20261124T000000Z");
        assertThat(after.get("Authorization")).contains("/20261124/eu-west-1/")
                .isNotEqualTo(before.get("Authorization"));
    }

    @Test
    void presignAddsTheQueryParametersAndKeepsTheWebSocketScheme() {
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).build();
        URI url = signer.presign("GET", URI.create("wss://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod?room=1"),
                Map.of(), Duration.ofMinutes(5));
        assertThat(url.getScheme()).isEqualTo("wss");
        assertThat(url.getRawQuery()).contains("room=1", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Expires=300",
                "X-Amz-SignedHeaders=host", "X-Amz-Signature=").doesNotContain(SECRET);
        assertThatThrownBy(() -> signer.presign("GET", URI.create("https://h/p"), Map.of(), Duration.ofDays(8)))
                .isInstanceOf(SigningException.class).hasMessageContaining("7 days");
    }

    @Test
    void missingCredentialsAreAClearErrorWithoutSecrets() {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };
        SigV4RequestSigner signer = SigV4RequestSigner.builder("eu-west-1").credentials(none).build();
        assertThatThrownBy(() -> signer.sign("GET", URI.create("https://h/p"), Map.of(), null))
                .isInstanceOf(SigningException.class).hasMessageContaining("no AWS credentials");
        assertThat(SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).build().toString())
                .doesNotContain(SECRET).contains("eu-west-1", "execute-api");
        assertThatThrownBy(() -> SigV4RequestSigner.builder("eu-west-1").credentials(CREDS).build()
                .sign("BREW", URI.create("https://h/p"), Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BREW");
    }

    @Test
    void interceptorRefusesAOneShotBody() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            OkHttpClient client = new OkHttpClient.Builder()
                    .addNetworkInterceptor(new SigV4Interceptor(SigV4RequestSigner.builder("eu-west-1")
                            .credentials(CREDS).build()))
                    .callTimeout(Duration.ofSeconds(10)).build();
            RequestBody oneShot = new RequestBody() {
                @Override
                public MediaType contentType() {
                    return MediaType.get("application/octet-stream");
                }

                @Override
                public boolean isOneShot() {
                    return true;
                }

                @Override
                public void writeTo(BufferedSink sink) throws IOException {
                    sink.writeUtf8("stream");
                }
            };
            assertThatThrownBy(() -> client.newCall(new Request.Builder().url(server.url("/p")).post(oneShot).build())
                    .execute()).isInstanceOf(IOException.class).hasMessageContaining("one-shot");
            assertThat(server.getRequestCount()).isZero();
        }
    }
}
