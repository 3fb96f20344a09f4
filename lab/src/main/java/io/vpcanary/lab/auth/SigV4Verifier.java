package io.vpcanary.lab.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The lab's IAM authorizer: verifies AWS Signature Version 4 on an incoming request, as API Gateway does for methods
 * with {@code AWS_IAM} authorization.
 *
 * <p>Both forms are accepted: the {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}
 * header with {@code X-Amz-Date}, and the presigned query form ({@code X-Amz-Algorithm}, {@code X-Amz-Credential},
 * {@code X-Amz-Date}, {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}, and {@code X-Amz-Expires}, which npm
 * aws4 leaves out for execute-api: without it the URL is good within {@link #MAX_SKEW} of its date; unconfirmed
 * against AWS). A session token
 * travels as {@code X-Amz-Security-Token} (header or query); it must equal the principal's token. It may be signed or,
 * as AWS IoT and the suite's {@code post-sts-header-after} case do, appended after signing.
 *
 * <p>Checks, in this order, each giving its own {@link Kind}: parsing ({@link Kind#MISSING}, {@link Kind#INCOMPLETE});
 * the credential scope's date, region, service and terminator ({@link Kind#WRONG_SCOPE}); the time window
 * ({@link Kind#EXPIRED}, {@link Kind#NOT_YET_CURRENT}: five minutes either side for the header form, the
 * {@code X-Amz-Expires} window for the presigned form); the access key and session token ({@link Kind#UNKNOWN_KEY});
 * finally the signature ({@link Kind#BAD_SIGNATURE}), compared in constant time. The canonical request follows
 * {@link SigV4Canonical}. The payload hash is always the hash of the body received; an {@code x-amz-content-sha256}
 * header that says otherwise makes the signature fail.
 *
 * <p>SigV4a ({@value #ALGORITHM_V4A}, multi-region signing) is accepted in both forms too: the credential scope has no
 * region ({@code {key}/{date}/{service}/aws4_request}); the regions it is valid in travel, signed, as
 * {@code X-Amz-Region-Set} (a comma-separated list where {@code *} matches any run of characters, such as {@code *} or
 * {@code us-*}); the signature is ECDSA P-256 over SHA-256, DER in hex, checked against the public key derived from
 * the principal's credentials ({@link SigV4aCrypto}). A region set that does not cover the verifier's region is
 * {@link Kind#WRONG_REGION}, as a SigV4 scope naming another region is.
 *
 * <p>Failures never carry secrets: details name keys, scopes and times only. Instances are immutable and thread-safe.
 */
public final class SigV4Verifier {

    /** The SigV4 signing algorithm. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The SigV4a signing algorithm (ECDSA P-256). */
    public static final String ALGORITHM_V4A = "AWS4-ECDSA-P256-SHA256";
    /** The header (and presigned query parameter) naming a SigV4a signature's regions. */
    public static final String REGION_SET = "X-Amz-Region-Set";
    /** The allowed clock skew for header signatures. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** The longest {@code X-Amz-Expires} accepted (seven days, as AWS). */
    public static final Duration MAX_EXPIRES = Duration.ofDays(7);

    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String SIGNATURE_PARAM = "X-Amz-Signature";
    private static final String TOKEN = "X-Amz-Security-Token";

    /** Why a request was refused; {@link #messageKey()} names the entry in the AWS message file. */
    public enum Kind {
        /** No signature at all (no Authorization header, no presigned query). */
        MISSING("missingAuthenticationToken"),
        /** An Authorization header or presigned query that is not complete SigV4 (for example a Bearer token). */
        INCOMPLETE("iam.incompleteSignature"),
        /** Unknown access key, or a session token missing, unexpected or wrong. */
        UNKNOWN_KEY("iam.unknownKey"),
        /** The signature does not match. */
        BAD_SIGNATURE("iam.badSignature"),
        /** The credential scope names another date or service: AWS answers with a bad-signature 403. */
        WRONG_SCOPE("iam.badSignature"),
        /**
         * Signed for another region: a SigV4 credential scope naming another region, or a SigV4a region set that does
         * not cover this one. AWS answers {@code Credential should be scoped to a valid region, not '{region}'. }
         * (placeholder {@code region}: the scope's region, or the region set).
         */
        WRONG_REGION("iam.wrongRegion"),
        /** Signed more than five minutes ago (header form), or past {@code X-Amz-Expires} (presigned form). */
        EXPIRED("iam.expired"),
        /** Signed more than five minutes in the future. */
        NOT_YET_CURRENT("iam.notYetCurrent");

        private final String messageKey;

        Kind(String messageKey) {
            this.messageKey = messageKey;
        }

        /** The case name in {@code aws-messages.properties} ({@code .status}, {@code .body}, {@code .errorType}). */
        public String messageKey() {
            return messageKey;
        }
    }

    /** The outcome of {@link #verify}: {@link Ok} or {@link Failure}. */
    public sealed interface Result permits Ok, Failure {
        /** Whether the request is authenticated. */
        default boolean ok() {
            return this instanceof Ok;
        }
    }

    /**
     * The request is authenticated as {@code principal}.
     *
     * @param principal the signer
     * @param presigned whether the signature came in the query string
     */
    public record Ok(LabPrincipals.Principal principal, boolean presigned) implements Result {
    }

    /**
     * The request is refused.
     *
     * @param kind         the failure class
     * @param placeholders values for the message body's placeholders ({@code t}, {@code t2}, {@code now} for
     *                     {@link Kind#EXPIRED}, {@code description} for {@link Kind#INCOMPLETE}, {@code region} for
     *                     {@link Kind#WRONG_REGION}); no secrets
     * @param detail       a plain explanation for logs and tests; no secrets
     */
    public record Failure(Kind kind, Map<String, String> placeholders, String detail) implements Result {
        public Failure {
            placeholders = Map.copyOf(placeholders);
        }

        /** The case name in {@code aws-messages.properties}. */
        public String messageKey() {
            return kind.messageKey();
        }
    }

    private final LabPrincipals principals;
    private final String region;
    private final String service;
    private final boolean normalizePath;
    private final boolean doubleEncodePath;
    /** SigV4a public keys by access key id, derived once (a point multiplication each). */
    private final Map<String, org.bouncycastle.math.ec.ECPoint> v4aKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private SigV4Verifier(Builder b) {
        this.principals = Objects.requireNonNull(b.principals, "principals");
        this.region = requireText(b.region, "region");
        this.service = requireText(b.service, "service");
        this.normalizePath = b.normalizePath;
        this.doubleEncodePath = b.doubleEncodePath;
    }

    /** A verifier of {@code principals}' signatures for {@code region}; service {@code execute-api} by default. */
    public static Builder builder(LabPrincipals principals, String region) {
        return new Builder(principals, region);
    }

    /** Verifies {@code req} as received at {@code now}. */
    public Result verify(SignedRequest req, Instant now) {
        Objects.requireNonNull(req, "req");
        Objects.requireNonNull(now, "now");
        List<String> authz = req.headerValues("Authorization");
        boolean queryForm = SigV4Canonical.queryParameter(req.rawQuery(), "X-Amz-Algorithm") != null
                || SigV4Canonical.queryParameter(req.rawQuery(), SIGNATURE_PARAM) != null
                || SigV4Canonical.queryParameter(req.rawQuery(), "X-Amz-Credential") != null;
        if (authz.isEmpty() && !queryForm) {
            return fail(Kind.MISSING, Map.of(), "no Authorization header and no presigned query");
        }
        if (!authz.isEmpty() && queryForm) {
            return incomplete("both an Authorization header and a presigned query", describe(authz.get(0)));
        }
        Parsed p = queryForm ? parseQuery(req) : parseHeader(req, authz);
        if (p.failure != null) {
            return p.failure;
        }
        return check(req, p, now);
    }

    /** The fields of one signature, once parsed. */
    private record Parsed(String accessKeyId, String scopeDate, String scopeRegion, String scopeService,
                          String terminator, String amzDate, Instant signedAt, List<String> signedHeaders,
                          String signedHeadersRaw, String signature, Duration expires, String token,
                          boolean tokenInQuery, String regionSet, Failure failure) {
        static Parsed failed(Failure f) {
            return new Parsed(null, null, null, null, null, null, null, null, null, null, null, null, false, null, f);
        }

        boolean v4a() {
            return regionSet != null;
        }

        String algorithm() {
            return v4a() ? ALGORITHM_V4A : ALGORITHM;
        }

        String scope() {
            return v4a() ? scopeDate + "/" + scopeService + "/" + terminator
                    : scopeDate + "/" + scopeRegion + "/" + scopeService + "/" + terminator;
        }
    }

    private Parsed parseHeader(SignedRequest req, List<String> authz) {
        if (authz.size() > 1) {
            return Parsed.failed(incomplete("more than one Authorization header", describe(authz.get(0))));
        }
        String value = authz.get(0).trim();
        boolean v4a = value.startsWith(ALGORITHM_V4A + " ");
        if (!v4a && !value.startsWith(ALGORITHM + " ")) {
            return Parsed.failed(incomplete("Authorization header is neither " + ALGORITHM + " nor " + ALGORITHM_V4A,
                    describe(value)));
        }
        String regionSet = null;
        if (v4a) {
            List<String> sets = req.headerValues(REGION_SET);
            if (sets.size() != 1) {
                return Parsed.failed(incomplete(ALGORITHM_V4A + " needs a single " + REGION_SET + " header",
                        describe(value)));
            }
            regionSet = sets.get(0).trim();
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : value.substring((v4a ? ALGORITHM_V4A : ALGORITHM).length() + 1).split(",")) {
            String t = part.trim();
            int eq = t.indexOf('=');
            if (eq > 0) {
                parts.putIfAbsent(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
            }
        }
        List<String> dates = req.headerValues("X-Amz-Date");
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null || dates.size() != 1) {
            return Parsed.failed(incomplete("Authorization header lacks Credential, SignedHeaders, Signature or "
                    + "a single X-Amz-Date header", describe(value)));
        }
        List<String> tokens = req.headerValues(TOKEN);
        if (tokens.size() > 1) {
            return Parsed.failed(incomplete("more than one " + TOKEN + " header", describe(value)));
        }
        return parseCommon(credential, dates.get(0).trim(), signedHeaders, signature, null,
                tokens.isEmpty() ? null : tokens.get(0).trim(), false, regionSet, describe(value));
    }

    private Parsed parseQuery(SignedRequest req) {
        Map<String, String> q = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : SigV4Canonical.queryParameters(req.rawQuery())) {
            if (e.getKey().startsWith("X-Amz-") && q.putIfAbsent(e.getKey(), e.getValue()) != null) {
                return Parsed.failed(incomplete("query parameter " + e.getKey() + " repeats", "presigned query"));
            }
        }
        String algorithm = q.get("X-Amz-Algorithm");
        if (!ALGORITHM.equals(algorithm) && !ALGORITHM_V4A.equals(algorithm)) {
            return Parsed.failed(incomplete("X-Amz-Algorithm is neither " + ALGORITHM + " nor " + ALGORITHM_V4A,
                    "presigned query"));
        }
        String regionSet = null;
        if (ALGORITHM_V4A.equals(algorithm)) {
            regionSet = q.get(REGION_SET);
            if (regionSet == null) {
                return Parsed.failed(incomplete(ALGORITHM_V4A + " needs " + REGION_SET, "presigned query"));
            }
        }
        String credential = q.get("X-Amz-Credential");
        String date = q.get("X-Amz-Date");
        String expires = q.get("X-Amz-Expires");
        String signedHeaders = q.get("X-Amz-SignedHeaders");
        String signature = q.get(SIGNATURE_PARAM);
        if (credential == null || date == null || signedHeaders == null || signature == null) {
            return Parsed.failed(incomplete("presigned query lacks X-Amz-Credential, X-Amz-Date, "
                    + "X-Amz-SignedHeaders or X-Amz-Signature", "presigned query"));
        }
        Duration exp;
        try {
            // Without X-Amz-Expires (npm aws4 presigns execute-api URLs so) the URL is good for the clock skew allowed
            exp = expires == null ? MAX_SKEW : Duration.ofSeconds(Long.parseLong(expires));
        } catch (NumberFormatException e) {
            return Parsed.failed(incomplete("X-Amz-Expires is not a number of seconds", "presigned query"));
        }
        if (exp.isNegative() || exp.isZero() || exp.compareTo(MAX_EXPIRES) > 0) {
            return Parsed.failed(incomplete("X-Amz-Expires must be between 1 second and 7 days", "presigned query"));
        }
        return parseCommon(credential, date, signedHeaders, signature, exp, q.get(TOKEN), true, regionSet,
                "presigned query");
    }

    private Parsed parseCommon(String credential, String amzDate, String signedHeaders, String signature,
                               Duration expires, String token, boolean tokenInQuery, String regionSet,
                               String description) {
        String[] parts = credential.split("/", -1);
        boolean v4a = regionSet != null;
        if (parts.length != (v4a ? 4 : 5) || parts[0].isEmpty()) {
            return Parsed.failed(incomplete(v4a ? "Credential must be {key}/{date}/{service}/aws4_request"
                    : "Credential must be {key}/{date}/{region}/{service}/aws4_request", description));
        }
        // one shape for both: key, date, region (null for SigV4a), service, terminator
        String[] scope = v4a ? new String[] {parts[0], parts[1], null, parts[2], parts[3]} : parts;
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            return Parsed.failed(incomplete("X-Amz-Date is not yyyyMMdd'T'HHmmss'Z'", description));
        }
        if (!v4a && !signature.matches("[0-9a-f]{64}")) {
            return Parsed.failed(fail(Kind.BAD_SIGNATURE, Map.of(), "signature is not 64 lowercase hex digits"));
        }
        if (v4a && !signature.matches("(?:[0-9a-f]{2}){8,80}")) {
            return Parsed.failed(fail(Kind.BAD_SIGNATURE, Map.of(), "signature is not a DER ECDSA signature in hex"));
        }
        List<String> names = new ArrayList<>();
        for (String n : signedHeaders.split(";", -1)) {
            if (n.isEmpty() || !n.equals(n.toLowerCase(Locale.ROOT))) {
                return Parsed.failed(incomplete("SignedHeaders must be lowercase names separated by ';'", description));
            }
            names.add(n);
        }
        return new Parsed(scope[0], scope[1], scope[2], scope[3], scope[4], amzDate, signedAt, List.copyOf(names),
                signedHeaders, signature, expires, token, tokenInQuery, regionSet, null);
    }

    private Result check(SignedRequest req, Parsed p, Instant now) {
        if (!p.scopeDate.equals(p.amzDate.substring(0, 8))) {
            return fail(Kind.WRONG_SCOPE, Map.of(), "credential scope date " + p.scopeDate
                    + " does not match X-Amz-Date " + p.amzDate);
        }
        if (!p.v4a() && !p.scopeRegion.equals(region)) {
            return fail(Kind.WRONG_REGION, Map.of("region", p.scopeRegion), "credential scope region '"
                    + p.scopeRegion + "' is not '" + region + "'");
        }
        if (p.v4a() && !regionSetCovers(p.regionSet, region)) {
            return fail(Kind.WRONG_REGION, Map.of("region", p.regionSet), "SigV4a region set '" + p.regionSet
                    + "' does not cover '" + region + "'");
        }
        if (!p.scopeService.equals(service)) {
            return fail(Kind.WRONG_SCOPE, Map.of(), "credential scope service '" + p.scopeService + "' is not '"
                    + service + "'");
        }
        if (!p.terminator.equals("aws4_request")) {
            return fail(Kind.WRONG_SCOPE, Map.of(), "credential scope must end with aws4_request");
        }
        Result time = checkTime(p, now);
        if (time != null) {
            return time;
        }
        Optional<LabPrincipals.Principal> found = principals.find(p.accessKeyId);
        if (found.isEmpty()) {
            return fail(Kind.UNKNOWN_KEY, Map.of(), "unknown access key id " + p.accessKeyId);
        }
        LabPrincipals.Principal principal = found.get();
        if (principal.sessionToken().isPresent() != (p.token != null)
                || (p.token != null && !SigV4Crypto.constantTimeEquals(p.token, principal.sessionToken().get()))) {
            return fail(Kind.UNKNOWN_KEY, Map.of(), "session token missing, unexpected or wrong for access key "
                    + p.accessKeyId);
        }
        if (!p.signedHeaders.contains("host")) {
            return fail(Kind.BAD_SIGNATURE, Map.of(), "host is not a signed header");
        }
        if (!p.tokenInQuery && p.token == null && p.signedHeaders.contains("x-amz-security-token")) {
            return fail(Kind.BAD_SIGNATURE, Map.of(), "x-amz-security-token is signed but absent");
        }
        String payloadHash = req.payloadSha256();
        List<String> declared = req.headerValues("x-amz-content-sha256");
        if (!declared.isEmpty() && !declared.get(0).trim().equals(payloadHash)) {
            return fail(Kind.BAD_SIGNATURE, Map.of(), "x-amz-content-sha256 does not match the body");
        }
        String canonicalHeaders = canonicalHeaders(req, p.signedHeaders);
        if (canonicalHeaders == null) {
            return fail(Kind.BAD_SIGNATURE, Map.of(), "a signed header is absent from the request");
        }
        Signing key = p.v4a()
                ? new Signing(null, v4aKeys.computeIfAbsent(principal.accessKeyId(),
                        k -> SigV4aCrypto.publicKey(principal.accessKeyId(), principal.secretAccessKey())))
                : new Signing(SigV4Crypto.signingKey(principal.secretAccessKey(), p.scopeDate, p.scopeRegion,
                        p.scopeService), null);
        String uri = SigV4Canonical.canonicalUri(req.rawPath(), normalizePath, doubleEncodePath);
        Set<String> exclude = p.expires != null ? Set.of(SIGNATURE_PARAM) : Set.of();
        boolean match = matches(req, p, key, uri, SigV4Canonical.canonicalQuery(req.rawQuery(), exclude),
                canonicalHeaders, payloadHash);
        if (!match && p.tokenInQuery && p.token != null) {
            // The session token may have been appended to a presigned query after signing.
            match = matches(req, p, key, uri,
                    SigV4Canonical.canonicalQuery(req.rawQuery(), Set.of(SIGNATURE_PARAM, TOKEN)),
                    canonicalHeaders, payloadHash);
        }
        if (!match) {
            return fail(Kind.BAD_SIGNATURE, Map.of(), "signature does not match");
        }
        return new Ok(principal, p.expires != null);
    }

    /** What checks a signature: the SigV4 signing key, or the SigV4a public key. */
    private record Signing(byte[] hmacKey, org.bouncycastle.math.ec.ECPoint publicKey) {
    }

    private boolean matches(SignedRequest req, Parsed p, Signing key, String uri, String query, String headers,
                            String payloadHash) {
        String canonicalRequest = req.method() + "\n" + uri + "\n" + query + "\n" + headers + "\n"
                + p.signedHeadersRaw + "\n" + payloadHash;
        String stringToSign = p.algorithm() + "\n" + p.amzDate + "\n" + p.scope() + "\n"
                + SigV4Crypto.sha256Hex(canonicalRequest);
        if (p.v4a()) {
            return SigV4aCrypto.verify(key.publicKey(), stringToSign, p.signature);
        }
        return SigV4Crypto.constantTimeEquals(SigV4Crypto.signatureHex(key.hmacKey(), stringToSign), p.signature);
    }

    /**
     * Whether a SigV4a region set (comma-separated; {@code *} matches any run of characters) covers {@code region}.
     */
    static boolean regionSetCovers(String regionSet, String region) {
        for (String entry : regionSet.split(",")) {
            String e = entry.trim();
            if (!e.isEmpty() && region.matches(java.util.regex.Pattern.quote(e).replace("*", "\\E.*\\Q"))) {
                return true;
            }
        }
        return false;
    }

    private Result checkTime(Parsed p, Instant now) {
        if (p.expires == null) {
            if (p.signedAt.isBefore(now.minus(MAX_SKEW))) {
                return fail(Kind.EXPIRED, Map.of("t", p.amzDate, "t2", AMZ_DATE.format(now.minus(MAX_SKEW)),
                        "now", AMZ_DATE.format(now)), "signed at " + p.amzDate + ", more than 5 minutes before "
                        + AMZ_DATE.format(now));
            }
        } else if (now.isAfter(p.signedAt.plus(p.expires))) {
            return fail(Kind.EXPIRED, Map.of("t", p.amzDate, "t2", AMZ_DATE.format(now.minus(p.expires)),
                    "now", AMZ_DATE.format(now)), "presigned at " + p.amzDate + " for " + p.expires.toSeconds()
                    + " s, expired at " + AMZ_DATE.format(p.signedAt.plus(p.expires)));
        }
        if (p.signedAt.isAfter(now.plus(MAX_SKEW))) {
            return fail(Kind.NOT_YET_CURRENT, Map.of("t", p.amzDate, "t2", AMZ_DATE.format(now.plus(MAX_SKEW)),
                    "now", AMZ_DATE.format(now)), "signed at " + p.amzDate + ", more than 5 minutes after "
                    + AMZ_DATE.format(now));
        }
        return null;
    }

    /** The canonical headers block (each line ends with a newline), or null when a signed header is absent. */
    private static String canonicalHeaders(SignedRequest req, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            List<String> values = req.headerValues(name);
            if (values.isEmpty()) {
                return null;
            }
            sb.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(SigV4Canonical.trimAll(values.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The Authorization header described without its credentials: the scheme and a redaction mark. */
    static String describe(String authorization) {
        String t = authorization.trim();
        int sp = t.indexOf(' ');
        String scheme = sp < 0 ? t : t.substring(0, sp);
        if (scheme.length() > 32 || !scheme.matches("[A-Za-z0-9_.-]*")) {
            scheme = "?";
        }
        return scheme + " ***";
    }

    private static Failure incomplete(String detail, String description) {
        return fail(Kind.INCOMPLETE, Map.of("description", description), detail);
    }

    private static Failure fail(Kind kind, Map<String, String> placeholders, String detail) {
        return new Failure(kind, placeholders, detail);
    }

    /** The verifier's region, service and path options. */
    @Override
    public String toString() {
        return "SigV4Verifier[region=" + region + ", service=" + service + ", normalizePath=" + normalizePath
                + ", doubleEncodePath=" + doubleEncodePath + ", principals=" + principals + "]";
    }

    /** Builds a {@link SigV4Verifier}. */
    public static final class Builder {
        private final LabPrincipals principals;
        private final String region;
        private String service = "execute-api";
        private boolean normalizePath = true;
        private boolean doubleEncodePath = true;

        private Builder(LabPrincipals principals, String region) {
            this.principals = principals;
            this.region = region;
        }

        /** The service the credential scope must name; {@code execute-api} by default. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /** Whether the path is normalised before it is canonicalised ({@code true}, as execute-api and the SDK). */
        public Builder normalizePath(boolean normalizePath) {
            this.normalizePath = normalizePath;
            return this;
        }

        /** Whether the received path is URI-encoded again ({@code true} for every service but S3). */
        public Builder doubleEncodePath(boolean doubleEncodePath) {
            this.doubleEncodePath = doubleEncodePath;
            return this;
        }

        public SigV4Verifier build() {
            return new SigV4Verifier(this);
        }
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }
}
