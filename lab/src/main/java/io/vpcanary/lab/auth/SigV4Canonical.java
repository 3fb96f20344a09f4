package io.vpcanary.lab.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonical forms of SigV4 (path, query, header values), computed from the request as received.
 *
 * <p>Rules, chosen so that every case of the aws-c-auth SigV4 test suite verifies:
 * <ul>
 *   <li>Path: optionally normalised (empty and {@code .} segments dropped, {@code ..} pops a segment, a trailing slash
 *   kept when the path ends with one); then, with double encoding (every service but S3, and the SDK's default), the
 *   path as received is URI-encoded once more, byte by byte, leaving unreserved characters and {@code /}; without it,
 *   the received path is used as is.</li>
 *   <li>Query: split on {@code &}, each name and value percent-decoded ({@code +} stays a plus sign) and re-encoded;
 *   parameters with an empty name are not signed; sorted by encoded name, then encoded value.</li>
 *   <li>Header values: trimmed, runs of whitespace collapsed to one space, repeated headers joined by {@code ,}.</li>
 * </ul>
 */
final class SigV4Canonical {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SigV4Canonical() {
    }

    static String canonicalUri(String rawPath, boolean normalize, boolean doubleEncode) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (normalize) {
            path = normalize(path);
        }
        if (doubleEncode) {
            path = encode(path.getBytes(StandardCharsets.UTF_8), true);
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    static String normalize(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(seg);
            }
        }
        if (out.isEmpty()) {
            return "/";
        }
        String joined = "/" + String.join("/", out);
        return path.endsWith("/") ? joined + "/" : joined;
    }

    /**
     * The canonical query string of {@code rawQuery}, leaving out parameters whose (decoded) name is in {@code exclude}.
     */
    static String canonicalQuery(String rawQuery, Set<String> exclude) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            byte[] name = decode(eq < 0 ? pair : pair.substring(0, eq));
            byte[] value = eq < 0 ? new byte[0] : decode(pair.substring(eq + 1));
            if (name.length == 0 || exclude.contains(new String(name, StandardCharsets.UTF_8))) {
                continue;
            }
            params.add(new String[] {encode(name, false), encode(value, false)});
        }
        params.sort((a, b) -> {
            int c = a[0].compareTo(b[0]);
            return c != 0 ? c : a[1].compareTo(b[1]);
        });
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** The first value of query parameter {@code name} (decoded), or null. */
    static String queryParameter(String rawQuery, String name) {
        for (Map.Entry<String, String> e : queryParameters(rawQuery)) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** All query parameters, decoded, in order. */
    static List<Map.Entry<String, String>> queryParameters(String rawQuery) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : new String(decode(pair.substring(eq + 1)), StandardCharsets.UTF_8);
            out.add(Map.entry(name, value));
        }
        return out;
    }

    /** Trims and collapses whitespace runs to one space, as SigV4 canonical header values require. */
    static String trimAll(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b') {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Percent-decodes to bytes; a malformed escape is kept literally. */
    static byte[] decode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** URI-encodes bytes: unreserved characters (and {@code /} when {@code keepSlash}) stay, the rest become %XY. */
    static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
