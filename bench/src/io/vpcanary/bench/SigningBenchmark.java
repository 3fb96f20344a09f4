package io.vpcanary.bench;

import io.vpcanary.auth.SigV4RequestSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Signing cost per request: SigV4 through the AWS SDK signer ({@link SigV4RequestSigner}, as the probe and the load
 * generators sign) next to two references, building the unsigned OkHttp request and one HMAC-SHA256. Run by
 * {@code bench/signing.sh}; not part of the build or the test run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmark {

    private static final String URL = "https://vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce"
            + ".amazonaws.com/prod/orders";
    private static final String HOST = "ordrseast1.execute-api.us-east-1.amazonaws.com";
    private static final MediaType JSON = MediaType.get("application/json");

    private SigV4RequestSigner signer;
    private Map<String, List<String>> headers;
    private byte[] body;
    private Mac hmac;
    private byte[] canonical;

    @Setup
    public void setUp() throws Exception {
        signer = SigV4RequestSigner.builder("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAVPCANARYBENCH001",
                        "benchSecretKey/0123456789abcdefghijklmnopqrstu")))
                .build();
        headers = Map.of("Host", List.of(HOST), "Content-Type", List.of("application/json"),
                "Accept-Encoding", List.of("gzip"));
        body = "{\"id\":7,\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-9\",\"qty\":1}],\"note\":\"bench\"}"
                .getBytes(StandardCharsets.UTF_8);
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec("benchSecretKey/0123456789abcdefghijklmnopqrstu".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        canonical = ("POST\n/prod/orders\n\ncontent-type:application/json\nhost:" + HOST + "\nx-amz-date:"
                + "20261123T200000Z\n\ncontent-type;host;x-amz-date\n" + "e3b0c44298fc1c149afbf4c8996fb924"
                + "27ae41e4649b934ca495991b7852b855").getBytes(StandardCharsets.UTF_8);
    }

    /** Reference: the OkHttp request the probe builds, unsigned. */
    @Benchmark
    public Request unsignedRequest() {
        return new Request.Builder().url(URL).header("Host", HOST).header("Content-Type", "application/json")
                .post(RequestBody.create(body, JSON)).build();
    }

    /** Reference: one HMAC-SHA256 over a canonical-request-sized input (SigV4 does five, plus two SHA-256). */
    @Benchmark
    public byte[] hmacSha256() {
        return hmac.doFinal(canonical);
    }

    /** SigV4 header signing of a POST with an explicit Host and a JSON body, through the AWS SDK signer. */
    @Benchmark
    public Map<String, String> sigv4Sign() {
        return signer.sign("POST", "https", "vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce"
                + ".amazonaws.com", -1, "/prod/orders", null, headers, body);
    }

    /** The unsigned request plus its SigV4 headers: what signing adds to each probe or load request. */
    @Benchmark
    public Request signedRequest() {
        Map<String, String> auth = sigv4Sign();
        Request.Builder b = new Request.Builder().url(URL).header("Host", HOST)
                .header("Content-Type", "application/json").post(RequestBody.create(body, JSON));
        auth.forEach(b::header);
        return b.build();
    }
}
