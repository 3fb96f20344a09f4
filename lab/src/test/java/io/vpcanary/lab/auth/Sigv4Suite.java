package io.vpcanary.lab.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the aws-c-auth SigV4 test suite from {@code shared/sigv4-test-suite/v4}, found by walking up from the working
 * directory (or at {@code -Dvpcanary.sigv4Suite=DIR}).
 */
final class Sigv4Suite {

    /** One case folder. */
    record Case(String name, Path dir, String accessKeyId, String secret, Optional<String> token, String region,
                String service, Instant timestamp, boolean normalize, long expiresSeconds) {

        SignedRequest headerSigned() {
            return parse(read("header-signed-request.txt"));
        }

        /** The unsigned request ({@code request.txt}). */
        SignedRequest unsigned() {
            return parse(read("request.txt"));
        }

        SignedRequest querySigned() {
            return parse(read("query-signed-request.txt"));
        }

        String read(String file) {
            try {
                return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        LabPrincipals principals() {
            return LabPrincipals.of(new LabPrincipals.Principal(accessKeyId, secret, token, "123456789012",
                    "arn:aws:iam::123456789012:role/suite"), List.of());
        }

        SigV4Verifier verifier() {
            return SigV4Verifier.builder(principals(), region).service(service).normalizePath(normalize).build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Sigv4Suite() {
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

    static List<Case> cases() {
        Path root = locate();
        List<Case> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                JsonNode ctx = new ObjectMapper().readTree(dir.resolve("context.json").toFile());
                JsonNode cred = ctx.path("credentials");
                out.add(new Case(dir.getFileName().toString(), dir, cred.path("access_key_id").asText(),
                        cred.path("secret_access_key").asText(),
                        cred.hasNonNull("token") ? Optional.of(cred.get("token").asText()) : Optional.empty(),
                        ctx.path("region").asText(), ctx.path("service").asText(),
                        Instant.parse(ctx.path("timestamp").asText()), ctx.path("normalize").asBoolean(true),
                        ctx.path("expiration_in_seconds").asLong(3600)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no cases in " + root);
        }
        return out;
    }

    /**
     * Parses an HTTP/1.1 request as the suite writes it: the request target may hold raw spaces and UTF-8, header lines
     * are {@code Name:value}, a line starting with whitespace continues the previous header (unfolded with one space),
     * and the body follows the first empty line.
     */
    static SignedRequest parse(String text) {
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        String[] lines = head.split("\n", -1);
        String requestLine = lines[0];
        int sp = requestLine.indexOf(' ');
        int proto = requestLine.lastIndexOf(" HTTP/");
        String method = requestLine.substring(0, sp);
        String target = requestLine.substring(sp + 1, proto);
        int q = target.indexOf('?');
        SignedRequest.Builder b = SignedRequest.builder(method, q < 0 ? target : target.substring(0, q))
                .rawQuery(q < 0 ? "" : target.substring(q + 1));
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
        headers.forEach(h -> b.header(h[0], h[1]));
        if (!body.isEmpty()) {
            b.body(body.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
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
}
