package io.vpcanary.lab.auth;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of an incoming HTTP request, as the {@link SigV4Verifier} needs it: the method, the path and query
 * exactly as they appeared on the request line (still percent-encoded), the headers in arrival order (a name may repeat)
 * and either the body or its SHA-256 hex digest (for a body the caller streams and hashes itself).
 *
 * <p>Header names are matched case-insensitively. A header value is kept as received; an obsolete line-folded value
 * should be unfolded by the caller (a single space for each fold), as RFC 9112 asks of recipients.
 */
public final class SignedRequest {

    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final String payloadSha256;

    private SignedRequest(Builder b) {
        this.method = requireText(b.method, "method");
        this.rawPath = b.rawPath == null || b.rawPath.isEmpty() ? "/" : b.rawPath;
        this.rawQuery = b.rawQuery == null ? "" : b.rawQuery;
        this.headers = List.copyOf(b.headers);
        if (b.body != null && b.payloadSha256 != null) {
            throw new IllegalArgumentException("give either the body or its SHA-256, not both");
        }
        this.body = b.body == null ? null : b.body.clone();
        if (b.payloadSha256 != null && !b.payloadSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("payloadSha256 must be 64 lowercase hex digits");
        }
        this.payloadSha256 = b.payloadSha256;
    }

    /** A builder for {@code method} on {@code rawPath} (encoded, as on the request line, without the query). */
    public static Builder builder(String method, String rawPath) {
        return new Builder().method(method).rawPath(rawPath);
    }

    /**
     * The view of a Netty request as the lab's front door received it: method, request target split at the first
     * {@code ?}, every header in order, and the body's bytes. An absolute-form target ({@code http://host/path}) is
     * reduced to its path and query.
     */
    public static SignedRequest of(FullHttpRequest request) {
        String target = request.uri();
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int q = target.indexOf('?');
        Builder b = builder(request.method().name(), q < 0 ? target : target.substring(0, q))
                .rawQuery(q < 0 ? "" : target.substring(q + 1));
        for (Map.Entry<String, String> h : request.headers()) {
            b.header(h.getKey(), h.getValue());
        }
        ByteBuf content = request.content();
        if (content.isReadable()) {
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            b.body(bytes);
        }
        return b.build();
    }

    /** The HTTP method, as sent. */
    public String method() {
        return method;
    }

    /** The path as on the request line, without the query; {@code /} when empty. */
    public String rawPath() {
        return rawPath;
    }

    /** The query as on the request line, without the {@code ?}; empty when absent. */
    public String rawQuery() {
        return rawQuery;
    }

    /** All headers in arrival order. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** Every value of header {@code name} (case-insensitive), in arrival order. */
    public List<String> headerValues(String name) {
        List<String> out = new ArrayList<>(2);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    /** The body, if the caller gave it (a copy). */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The SHA-256 hex digest of the body: given, or computed from the body (the empty body when neither). */
    public String payloadSha256() {
        if (payloadSha256 != null) {
            return payloadSha256;
        }
        return SigV4Crypto.sha256Hex(body == null ? new byte[0] : body);
    }

    /** Method, path and header names; no header values, since they may carry credentials. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.getKey().toLowerCase(Locale.ROOT)));
        return "SignedRequest[" + method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?…") + ", headers=" + names + "]";
    }

    /** Builds a {@link SignedRequest}. */
    public static final class Builder {
        private String method;
        private String rawPath;
        private String rawQuery;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body;
        private String payloadSha256;

        private Builder() {
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder rawPath(String rawPath) {
            this.rawPath = rawPath;
            return this;
        }

        public Builder rawQuery(String rawQuery) {
            this.rawQuery = rawQuery;
            return this;
        }

        /** Adds one header (names may repeat; order is kept). */
        public Builder header(String name, String value) {
            headers.add(Map.entry(requireText(name, "header name"), Objects.requireNonNull(value, "header value")));
            return this;
        }

        /** Drops every header called {@code name}. */
        public Builder removeHeader(String name) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
            return this;
        }

        public Builder body(byte[] body) {
            this.body = body;
            return this;
        }

        /** The body's SHA-256 as lowercase hex, for a body the caller hashes while streaming. */
        public Builder payloadSha256(String hex) {
            this.payloadSha256 = hex;
            return this;
        }

        public SignedRequest build() {
            return new SignedRequest(this);
        }
    }

    /** A builder holding this request's parts, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).rawPath(rawPath).rawQuery(rawQuery);
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        if (body != null) {
            b.body(body);
        }
        b.payloadSha256 = payloadSha256;
        return b;
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }
}
