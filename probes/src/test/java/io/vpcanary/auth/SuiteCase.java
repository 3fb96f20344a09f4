package io.vpcanary.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * One case of the aws-c-auth SigV4 test suite ({@code shared/sigv4-test-suite/v4}, found by walking up from the
 * working directory, or at {@code -Dvpcanary.sigv4Suite=DIR}) with its unsigned request parsed.
 */
record SuiteCase(String name, Path dir, JsonNode context, String method, String path, String query,
                 Map<String, List<String>> headers, byte[] body) {

    static List<SuiteCase> all() {
        Path root = locate();
        List<SuiteCase> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(parse(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no cases in " + root);
        }
        return out;
    }

    static Path locate() {
        String override = System.getProperty("vpcanary.sigv4Suite");
        if (override != null) {
            return Path.of(override);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("sigv4-test-suite").resolve("v4");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("SigV4 test suite not found: looked for shared/sigv4-test-suite/v4 in "
                + start + " and every parent; set -Dvpcanary.sigv4Suite=DIR");
    }

    private static SuiteCase parse(Path dir) throws IOException {
        JsonNode ctx = new ObjectMapper().readTree(dir.resolve("context.json").toFile());
        String text = Files.readString(dir.resolve("request.txt"), StandardCharsets.UTF_8);
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        String[] lines = head.split("\n", -1);
        String requestLine = lines[0];
        int sp = requestLine.indexOf(' ');
        String target = requestLine.substring(sp + 1, requestLine.lastIndexOf(" HTTP/"));
        int q = target.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String last = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                List<String> values = headers.get(last);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
            } else {
                int colon = line.indexOf(':');
                last = line.substring(0, colon);
                headers.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1));
            }
        }
        return new SuiteCase(dir.getFileName().toString(), dir, ctx, requestLine.substring(0, sp),
                q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1), headers,
                body.isEmpty() ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    String read(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Authorization header of the suite's header-signed request. */
    String expectedAuthorization() {
        for (String line : read("header-signed-request.txt").split("\n")) {
            if (line.startsWith("Authorization:")) {
                return line.substring("Authorization:".length());
            }
        }
        throw new IllegalStateException(name + ": no Authorization line");
    }

    String host() {
        return headers.get("Host").get(0);
    }

    Instant timestamp() {
        return Instant.parse(context.path("timestamp").asText());
    }

    String region() {
        return context.path("region").asText();
    }

    String service() {
        return context.path("service").asText();
    }

    boolean normalize() {
        return context.path("normalize").asBoolean(true);
    }

    boolean signBody() {
        return context.path("sign_body").asBoolean(false);
    }

    long expiresSeconds() {
        return context.path("expiration_in_seconds").asLong(3600);
    }

    String accessKeyId() {
        return context.path("credentials").path("access_key_id").asText();
    }

    String secret() {
        return context.path("credentials").path("secret_access_key").asText();
    }

    String token() {
        JsonNode t = context.path("credentials").path("token");
        return t.isMissingNode() || t.isNull() ? null : t.asText();
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(token() == null
                ? AwsBasicCredentials.create(accessKeyId(), secret())
                : AwsSessionCredentials.create(accessKeyId(), secret(), token()));
    }

    @Override
    public String toString() {
        return name;
    }
}
