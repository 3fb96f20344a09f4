package io.vpcanary.auth;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4aHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.RegionSet;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signs outgoing requests with AWS Signature Version 4 through the AWS SDK v2 signer ({@link AwsV4HttpSigner}), or
 * with SigV4a (multi-region signing, {@code AwsV4aHttpSigner}) when built with {@link Builder#sigV4a(List)}; no
 * signing logic of its own.
 *
 * <p>SigV4 binds a signature to one region: after a failover to another region the answer is a 403 naming a
 * signing-region mismatch. SigV4a signs for a region set ({@code X-Amz-Region-Set}, such as every region a routing
 * domain may fail over to), so one signature is good wherever the name resolves. It needs the AWS CRT
 * ({@code software.amazon.awssdk.crt:aws-crt}), an optional dependency of this module: the command carries it, the
 * Lambda canary only when built with {@code -Psigv4a} (docs/decisions/0008); without it, signing fails with a
 * {@link SigningException} that says so.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every call resolves credentials from the provider and signs for the clock's current second: {@code X-Amz-Date}
 *   and the signature are those of that second. Credentials come from the SDK's default chain (environment, system
 *   properties, web identity, profile, container, instance metadata; in Lambda the environment) unless a provider is
 *   given.</li>
 *   <li>SigV4 in the header form is a function of the request, the credentials and the second it is dated: the same
 *   request signed again within the same second with the same credentials gets the same headers, byte for byte. So
 *   {@link #sign} keeps what it answered during the current second (up to {@value #MEMO_LIMIT} distinct requests)
 *   and answers a repeated request from there instead of asking the SDK to compute it again; a new second, other
 *   credentials, or any difference in method, URL, headers or body signs anew through the SDK. A load generator
 *   sending thousands of identical requests per second signs each distinct request about once a second
 *   (docs/decisions/0012). Presigning and SigV4a (whose signatures are randomised) always sign afresh.</li>
 *   <li>The signature covers exactly the request described: the method, the URL's encoded path and query, every header
 *   passed in (except those the SDK never signs: {@code User-Agent}, {@code Connection}, {@code Expect},
 *   {@code X-Amzn-Trace-Id}) and the SHA-256 of the body. An explicit {@code Host} header is signed as given, so a
 *   request sent to a VPC endpoint's DNS name with {@code Host: {api}.execute-api…} is signed for the Host it sends;
 *   without one the URL's authority is signed.</li>
 *   <li>Headers added after signing are simply unsigned; headers changed after signing break the signature.</li>
 * </ul>
 *
 * <p>Secrets never appear in {@code toString} or in exception messages. Instances are immutable and thread-safe.
 */
public final class SigV4RequestSigner {

    /** The signing name of API Gateway's execute-api. */
    public static final String EXECUTE_API = "execute-api";
    /** The header (and presigned query parameter) naming a SigV4a signature's region set. */
    public static final String REGION_SET_HEADER = "X-Amz-Region-Set";
    /** The header carrying the body's SHA-256; the SDK's signer sends and signs it in the header form. */
    public static final String CONTENT_SHA256 = "x-amz-content-sha256";

    /** How many distinct requests {@link #sign} keeps the answers of within one second. */
    static final int MEMO_LIMIT = 256;

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AtomicReference<SecondMemo> memo = new AtomicReference<>(new SecondMemo(Long.MIN_VALUE));
    private final String region;
    private final String service;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final boolean normalizePath;
    private final List<String> regionSet;

    private SigV4RequestSigner(Builder b) {
        this.region = requireText(b.region, "region");
        this.service = requireText(b.service, "service");
        this.credentials = b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build();
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.normalizePath = b.normalizePath;
        this.regionSet = b.regionSet;
    }

    /** Whether this signer signs with SigV4a (a region set) rather than SigV4 (one region). */
    public boolean sigV4a() {
        return regionSet != null;
    }

    /** A signer for {@code region}; service {@code execute-api}, default credentials chain, system clock. */
    public static Builder builder(String region) {
        return new Builder(region);
    }

    /**
     * Signs a request in the header form and answers the headers to set on it (replacing any of the same name), in
     * order: {@code X-Amz-Date}, {@code X-Amz-Security-Token} (session credentials only), {@code x-amz-content-sha256}
     * (the body's SHA-256: the SDK's signer always sends and signs it in this form) and {@code Authorization}.
     *
     * @param method  the HTTP method
     * @param url     the URL the request goes to (its encoded path and query are signed)
     * @param headers the headers that will be sent, names in any case; a {@code Host} entry overrides the URL's
     * @param body    the body that will be sent, or null for none
     * @throws SigningException when credentials cannot be resolved or the request cannot be signed
     */
    public Map<String, String> sign(String method, URI url, Map<String, List<String>> headers, byte[] body) {
        Target t = Target.of(url);
        return sign(method, t.scheme, t.host, t.port, t.encodedPath, t.encodedQuery, headers, body);
    }

    /**
     * As {@link #sign(String, URI, Map, byte[])}, from a URL already split: {@code port} -1 for the scheme's default,
     * {@code encodedPath} and {@code encodedQuery} (null for none) exactly as they go on the request line.
     */
    public Map<String, String> sign(String method, String scheme, String host, int port, String encodedPath,
                                    String encodedQuery, Map<String, List<String>> headers, byte[] body) {
        if (regionSet != null) {
            SdkHttpRequest request = toSdkRequest(method, scheme, host, port, encodedPath, encodedQuery, headers, body);
            return addedHeaders(doSign(credentials(), request, body, null, clock));
        }
        AwsCredentialsIdentity identity = credentials();
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        SecondMemo current = memo.get();
        MemoKey key = new MemoKey(method, scheme, host, port, encodedPath, encodedQuery, headers,
                body == null ? null : ByteBuffer.wrap(body), identity);
        if (current.second == second) {
            Map<String, String> known = current.signed.get(key);
            if (known != null) {
                return known;
            }
        }
        SdkHttpRequest request = toSdkRequest(method, scheme, host, port, encodedPath, encodedQuery, headers, body);
        // dated exactly `now`, the instant the memo files it under
        Map<String, String> added = addedHeaders(doSign(identity, request, body, null, Clock.fixed(now, ZoneOffset.UTC)));
        if (current.second != second) {
            SecondMemo fresh = new SecondMemo(second);
            current = memo.compareAndSet(current, fresh) ? fresh : memo.get();
        }
        if (current.second == second && current.signed.size() < MEMO_LIMIT) {
            current.signed.putIfAbsent(key.copy(), added);
        }
        return added;
    }

    /** The headers a signature added, in the order {@link #sign} documents; unmodifiable (a memo may share it). */
    private static Map<String, String> addedHeaders(SignedRequest signed) {
        Map<String, String> added = new LinkedHashMap<>();
        for (String name : new String[] {"X-Amz-Date", REGION_SET_HEADER, "X-Amz-Security-Token", CONTENT_SHA256,
                "Authorization"}) {
            signed.request().firstMatchingHeader(name).ifPresent(v -> added.put(name, v));
        }
        return Collections.unmodifiableMap(added);
    }

    /** What {@link #sign} answered during one second, by request. */
    private record SecondMemo(long second, ConcurrentHashMap<MemoKey, Map<String, String>> signed) {
        SecondMemo(long second) {
            this(second, new ConcurrentHashMap<>());
        }
    }

    /**
     * Everything a header-form signature depends on besides the second and the signer's own settings. The credentials
     * take part by equality (access key, secret and session token); {@code toString} names none of them.
     */
    private record MemoKey(String method, String scheme, String host, int port, String encodedPath,
                           String encodedQuery, Map<String, List<String>> headers, ByteBuffer body,
                           AwsCredentialsIdentity identity) {

        /** This key with its own copies of the caller's headers and body, which the caller may change afterwards. */
        MemoKey copy() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            headers.forEach((name, values) -> h.put(name, List.copyOf(values)));
            ByteBuffer b = body == null ? null : ByteBuffer.wrap(body.array().clone());
            return new MemoKey(method, scheme, host, port, encodedPath, encodedQuery, h, b, identity);
        }

        @Override
        public String toString() {
            return "MemoKey[" + method + " " + scheme + "://" + host + ":" + port + encodedPath + "]";
        }
    }

    /**
     * Presigns a request in the query form (the form WebSocket {@code $connect} uses, since browsers cannot set
     * headers) and answers the URL to call: {@code url} with {@code X-Amz-Algorithm}, {@code X-Amz-Credential},
     * {@code X-Amz-Date}, {@code X-Amz-Expires}, {@code X-Amz-SignedHeaders}, {@code X-Amz-Security-Token} (session
     * credentials only) and {@code X-Amz-Signature} added to its query.
     *
     * @param expires how long the URL stays valid: 1 second to 7 days
     */
    public URI presign(String method, URI url, Map<String, List<String>> headers, Duration expires) {
        Objects.requireNonNull(expires, "expires");
        Target t = Target.of(url);
        return URI.create(t.scheme + "://" + url.getRawAuthority() + presign(method, t.scheme, t.host, t.port,
                t.encodedPath, t.encodedQuery, headers, expires));
    }

    /**
     * As {@link #presign(String, URI, Map, Duration)}, from a URL already split; answers the request target to send:
     * the encoded path, {@code ?} and the query with the signature parameters added.
     */
    public String presign(String method, String scheme, String host, int port, String encodedPath,
                          String encodedQuery, Map<String, List<String>> headers, Duration expires) {
        Objects.requireNonNull(expires, "expires");
        SdkHttpRequest request = toSdkRequest(method, scheme, host, port, encodedPath, encodedQuery, headers, null);
        SdkHttpRequest signed = doSign(credentials(), request, null, expires, clock).request();
        StringBuilder target = new StringBuilder(signed.encodedPath().isEmpty() ? "/" : signed.encodedPath());
        char sep = '?';
        for (Map.Entry<String, List<String>> p : signed.rawQueryParameters().entrySet()) {
            for (String v : p.getValue()) {
                target.append(sep).append(SdkHttpUtils.urlEncode(p.getKey()));
                if (v != null) {
                    target.append('=').append(SdkHttpUtils.urlEncode(v));
                }
                sep = '&';
            }
        }
        return target.toString();
    }

    private AwsCredentialsIdentity credentials() {
        try {
            return credentials.resolveCredentials();
        } catch (SdkException e) {
            throw new SigningException("no AWS credentials from " + credentials.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private SignedRequest doSign(AwsCredentialsIdentity identity, SdkHttpRequest request, byte[] body,
                                 Duration expires, Clock clock) {
        if (regionSet != null) {
            return V4a.sign(this, identity, request, body, expires);
        }
        try {
            return signer.sign(r -> {
                r.identity(identity)
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, normalizePath)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, true)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock);
                if (body != null) {
                    r.payload(() -> new ByteArrayInputStream(body));
                }
                if (expires != null) {
                    r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires);
                }
            });
        } catch (RuntimeException e) {
            // The SDK's messages name properties and bounds, never the secret.
            throw new SigningException("cannot sign " + request.method() + " " + request.encodedPath() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * SigV4a through the SDK's CRT-based signer, in a class of its own so that the AWS CRT is loaded only when a
     * SigV4a signer signs (a canary without the CRT loads nothing of it).
     */
    private static final class V4a {
        private static SignedRequest sign(SigV4RequestSigner s, AwsCredentialsIdentity identity,
                                          SdkHttpRequest request, byte[] body, Duration expires) {
            AwsV4aHttpSigner v4a;
            try {
                v4a = AwsV4aHttpSigner.create();
            } catch (LinkageError | RuntimeException e) {
                throw new SigningException("SigV4a needs the AWS CRT (software.amazon.awssdk.crt:aws-crt) on the "
                        + "class path: the vpcanary command carries it; build the Lambda canary with -Psigv4a ("
                        + e.getClass().getSimpleName() + ")", e);
            }
            try {
                return v4a.sign(r -> {
                    r.identity(identity)
                            .request(request)
                            .putProperty(AwsV4aHttpSigner.SERVICE_SIGNING_NAME,
                                    s.service)
                            .putProperty(AwsV4aHttpSigner.REGION_SET,
                                    RegionSet.create(s.regionSet))
                            .putProperty(AwsV4aHttpSigner.NORMALIZE_PATH,
                                    s.normalizePath)
                            .putProperty(AwsV4aHttpSigner.DOUBLE_URL_ENCODE,
                                    true)
                            .putProperty(HttpSigner.SIGNING_CLOCK, s.clock);
                    if (body != null) {
                        r.payload(() -> new ByteArrayInputStream(body));
                    }
                    if (expires != null) {
                        r.putProperty(AwsV4aHttpSigner.AUTH_LOCATION,
                                        AuthLocation.QUERY_STRING)
                                .putProperty(AwsV4aHttpSigner.EXPIRATION_DURATION,
                                        expires);
                    }
                });
            } catch (LinkageError e) {
                throw new SigningException("SigV4a needs the AWS CRT (software.amazon.awssdk.crt:aws-crt) on the "
                        + "class path: the vpcanary command carries it; build the Lambda canary with -Psigv4a ("
                        + e.getClass().getSimpleName() + ")", e);
            } catch (RuntimeException e) {
                throw new SigningException("cannot sign " + request.method() + " " + request.encodedPath()
                        + " with SigV4a: " + e.getMessage(), e);
            }
        }
    }

    /** The parts of an absolute URL that signing needs. */
    private record Target(String scheme, String host, int port, String encodedPath, String encodedQuery) {
        static Target of(URI url) {
            Objects.requireNonNull(url, "url");
            if (url.getHost() == null || url.getScheme() == null) {
                throw new IllegalArgumentException("URL must be absolute with a host: " + url.getScheme() + "://"
                        + url.getRawAuthority());
            }
            return new Target(url.getScheme(), url.getHost(), url.getPort(), url.getRawPath(), url.getRawQuery());
        }
    }

    private SdkHttpRequest toSdkRequest(String method, String scheme, String host, int port, String encodedPath,
                                        String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        requireText(scheme, "scheme");
        requireText(host, "host");
        SdkHttpMethod m;
        try {
            m = SdkHttpMethod.fromValue(requireText(method, "method"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported HTTP method '" + method + "'", e);
        }
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(m)
                .protocol(httpScheme(scheme))
                .host(host)
                .encodedPath(encodedPath == null || encodedPath.isEmpty() ? "/" : encodedPath);
        if (port != -1) {
            b.port(port);
        }
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                b.appendRawQueryParameter(decode(eq < 0 ? pair : pair.substring(0, eq)),
                        eq < 0 ? null : decode(pair.substring(eq + 1)));
            }
        }
        headers.forEach((name, values) -> values.forEach(v -> b.appendHeader(name, v)));
        return b.build();
    }

    /** WebSocket URLs are signed as the HTTP(S) request that opens them. */
    private static String httpScheme(String scheme) {
        return switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
            case "wss" -> "https";
            case "ws" -> "http";
            default -> scheme;
        };
    }

    /** Percent-decodes a query component; {@code +} stays a plus sign (RFC 3986), as the lab verifier reads it. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (in[i] == '%' && hi >= 0 && lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Region, service and the credentials provider's type; never credentials. */
    @Override
    public String toString() {
        return "SigV4RequestSigner[" + (regionSet == null ? "region=" + region : "SigV4a regionSet=" + regionSet)
                + ", service=" + service + ", credentials=" + credentials.getClass().getSimpleName() + "]";
    }

    /** Builds a {@link SigV4RequestSigner}. */
    public static final class Builder {
        private final String region;
        private String service = EXECUTE_API;
        private AwsCredentialsProvider credentials;
        private Clock clock = Clock.systemUTC();
        private boolean normalizePath = true;
        private List<String> regionSet;

        private Builder(String region) {
            this.region = region;
        }

        /** The signing name; {@code execute-api} by default. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /**
         * Where credentials come from: for example a {@code StaticCredentialsProvider}; the SDK's
         * {@link DefaultCredentialsProvider} when not set.
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The clock that dates signatures (the SDK's {@code SIGNING_CLOCK}); the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Whether the SDK normalises the path before signing ({@code true}, the SDK's default). */
        public Builder normalizePath(boolean normalizePath) {
            this.normalizePath = normalizePath;
            return this;
        }

        /**
         * Signs with SigV4a for these regions ({@code *} wildcards allowed, such as {@code *} or {@code us-*})
         * instead of SigV4 for the builder's region; null or empty for SigV4.
         */
        public Builder sigV4a(List<String> regionSet) {
            this.regionSet = regionSet == null || regionSet.isEmpty() ? null : List.copyOf(regionSet);
            return this;
        }

        public SigV4RequestSigner build() {
            return new SigV4RequestSigner(this);
        }
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }
}
