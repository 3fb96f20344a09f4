package io.vpcanary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.auth.SigV4RequestSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The aws-c-auth SigV4 and SigV4a test suites, read from this module's test resources
 * ({@code sigv4-test-suite/v4} and {@code .../v4a}; origin and licence in {@code sigv4-test-suite/SOURCE}). The one
 * reader of the suite: the probes tests use it directly, the other modules through the probes test jar. It reads the
 * resources from a directory on the class path or from inside a jar, and never from outside the class path.
 */
public final class SigV4TestSuite {

    /** The resource folder holding the suite. */
    public static final String RESOURCE = "sigv4-test-suite";

    private static final Map<String, List<Case>> CACHE = new ConcurrentHashMap<>();

    private SigV4TestSuite() {
    }

    /** The 38 SigV4 cases, sorted by name. */
    public static List<Case> v4() {
        return CACHE.computeIfAbsent("v4", v -> read(SigV4TestSuite.class.getClassLoader(), v));
    }

    /** The SigV4a cases, sorted by name (each also holds {@code public-key.json}). */
    public static List<Case> v4a() {
        return CACHE.computeIfAbsent("v4a", v -> read(SigV4TestSuite.class.getClassLoader(), v));
    }

    /** The v4 case called {@code name}. */
    public static Case v4(String name) {
        return v4().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no v4 case " + name));
    }

    /**
     * Reads every case of one version ({@code v4} or {@code v4a}) through {@code loader}, wherever it keeps the
     * resources: a directory or a jar.
     */
    public static List<Case> read(ClassLoader loader, String version) {
        String marker = RESOURCE + "/SOURCE";
        URL url = loader.getResource(marker);
        if (url == null) {
            throw new IllegalStateException("SigV4 test suite not on the class path: no resource " + marker
                    + " (it lives in probes/src/test/resources; other modules get it through the probes test jar)");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("file")) {
                return readCases(Path.of(uri).getParent().resolve(version), version);
            }
            if (uri.getScheme().equals("jar")) {
                String ssp = uri.getRawSchemeSpecificPart();
                Path jar = Path.of(new URI(ssp.substring(0, ssp.indexOf("!/"))));
                // A private file system of our own (not the shared one registered for the URI), closed after reading.
                try (FileSystem fs = FileSystems.newFileSystem(jar)) {
                    return readCases(fs.getPath("/" + RESOURCE, version), version);
                }
            }
            throw new IllegalStateException("cannot read the SigV4 test suite from " + uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Case> readCases(Path root, String version) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("SigV4 test suite: no folder " + version + " beside " + RESOURCE
                    + "/SOURCE");
        }
        List<Case> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Map<String, String> files = new TreeMap<>();
                try (Stream<Path> entries = Files.list(dir)) {
                    for (Path f : entries.filter(Files::isRegularFile).toList()) {
                        files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
                String name = dir.getFileName().toString().replace("/", "");
                out.add(new Case(version, name, files, new ObjectMapper().readTree(file(files, name, "context.json"))));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no cases in " + root);
        }
        return List.copyOf(out);
    }

    private static String file(Map<String, String> files, String name, String file) {
        String text = files.get(file);
        if (text == null) {
            throw new IllegalStateException("SigV4 test suite case " + name + ": no " + file);
        }
        return text;
    }

    /** One case folder: its files, read in full, and its {@code context.json}. */
    public record Case(String version, String name, Map<String, String> files, JsonNode context) {

        public Case {
            files = Map.copyOf(files);
        }

        /** A file of the case, exactly as stored. */
        public String read(String file) {
            return file(files, name, file);
        }

        /** The unsigned request ({@code request.txt}). */
        public Request request() {
            return Request.parse(read("request.txt"));
        }

        public Request headerSigned() {
            return Request.parse(read("header-signed-request.txt"));
        }

        public Request querySigned() {
            return Request.parse(read("query-signed-request.txt"));
        }

        /** The Authorization header of the header-signed request. */
        public String expectedAuthorization() {
            return headerSigned().headerValues("Authorization").stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + ": no Authorization header"));
        }

        public Instant timestamp() {
            return Instant.parse(context.path("timestamp").asText());
        }

        public String region() {
            return context.path("region").asText();
        }

        public String service() {
            return context.path("service").asText();
        }

        public boolean normalize() {
            return context.path("normalize").asBoolean(true);
        }

        public boolean signBody() {
            return context.path("sign_body").asBoolean(false);
        }

        public long expiresSeconds() {
            return context.path("expiration_in_seconds").asLong(3600);
        }

        public String accessKeyId() {
            return context.path("credentials").path("access_key_id").asText();
        }

        public String secret() {
            return context.path("credentials").path("secret_access_key").asText();
        }

        public Optional<String> token() {
            JsonNode t = context.path("credentials").path("token");
            return t.isMissingNode() || t.isNull() ? Optional.empty() : Optional.of(t.asText());
        }

        /** The case's credentials, as the AWS SDK takes them. */
        public AwsCredentialsProvider credentials() {
            return StaticCredentialsProvider.create(token().isPresent()
                    ? AwsSessionCredentials.create(accessKeyId(), secret(), token().get())
                    : AwsBasicCredentials.create(accessKeyId(), secret()));
        }

        /** The toolkit's SigV4 signer set up as the case asks: its credentials, region, service, time, path option. */
        public SigV4RequestSigner signer() {
            return SigV4RequestSigner.builder(region()).service(service()).credentials(credentials())
                    .clock(Clock.fixed(timestamp(), ZoneOffset.UTC)).normalizePath(normalize()).build();
        }

        @Override
        public String toString() {
            return version + "/" + name;
        }
    }

    /**
     * An HTTP/1.1 request as the suite writes it: the request target may hold raw spaces and UTF-8, header lines are
     * {@code Name:value}, a line starting with whitespace continues the previous header (unfolded with one space),
     * and the body follows the first empty line.
     *
     * @param query the raw query, or null when the target has no {@code ?}
     * @param headers in order, names as written
     * @param body null when empty
     */
    public record Request(String method, String path, String query, List<Map.Entry<String, String>> headers,
                          byte[] body) {

        public static Request parse(String text) {
            int end = text.indexOf("\n\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 2);
            String[] lines = head.split("\n", -1);
            String requestLine = lines[0];
            int sp = requestLine.indexOf(' ');
            String target = requestLine.substring(sp + 1, requestLine.lastIndexOf(" HTTP/"));
            int q = target.indexOf('?');
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0))) {
                    String[] last = headers.get(headers.size() - 1);
                    last[1] = last[1] + " " + line.strip();
                } else {
                    int colon = line.indexOf(':');
                    headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
                }
            }
            return new Request(requestLine.substring(0, sp), q < 0 ? target : target.substring(0, q),
                    q < 0 ? null : target.substring(q + 1),
                    headers.stream().map(h -> Map.entry(h[0], h[1])).toList(),
                    body.isEmpty() ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        /** Header values by name as written, in order. */
        public Map<String, List<String>> headerMap() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            headers.forEach(h -> out.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue()));
            return out;
        }

        /** Values of header {@code name}, case-insensitively. */
        public List<String> headerValues(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }

        public String host() {
            return headerValues("Host").get(0);
        }
    }
}
