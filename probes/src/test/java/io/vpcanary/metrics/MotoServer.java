package io.vpcanary.metrics;

import io.vpcanary.testing.PythonTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * moto_server on a free loopback port, started by tests and killed after. The command is the pinned one
 * ({@code python-tools.txt}) as {@link PythonTools} provides it; it fails with an install hint when it cannot.
 */
public final class MotoServer implements AutoCloseable {

    public static final StaticCredentialsProvider FAKE = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDMOTOTEST", "moto-test-secret"));

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        String exe = PythonTools.path("moto_server").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-", ".log");
        Process p = new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer m = new MotoServer(p, port, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(m.uri().resolve("/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return m;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                m.close();
                throw new IllegalStateException("moto_server did not answer within 60 s: " + Files.readString(log));
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Points the SDK's default credentials chain at {@link #FAKE} through its system properties, for commands run as a
     * user runs them; {@link #clearSystemCredentials()} undoes it.
     */
    public static void setSystemCredentials() {
        System.setProperty("aws.accessKeyId", FAKE.resolveCredentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", FAKE.resolveCredentials().secretAccessKey());
    }

    /** Removes what {@link #setSystemCredentials()} set. */
    public static void clearSystemCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client straight to moto, for reading back. */
    public CloudWatchClient client() {
        return CloudWatchClient.builder().region(Region.US_EAST_1).endpointOverride(uri()).credentialsProvider(FAKE)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }
}
