package io.vpcanary.metrics;

import com.github.tomakehurst.wiremock.http.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Decodes PutMetricData requests as captured on the wire (gzip or not) into their datums. */
final class WireDatums {

    /**
     * One captured request. {@code wireBytes} is the Content-Length as sent (compressed when gzip); WireMock itself
     * hands back gzip bodies decompressed, and {@code bodyBytes} is the decompressed size.
     */
    record Captured(boolean gzip, int wireBytes, int bodyBytes, String namespace, List<Sent> datums) {
    }

    /** One datum as sent. */
    record Sent(String name, String unit, Map<String, String> dimensions, Instant timestamp, int storageResolution,
                double[] values, double[] counts) {
        long samples() {
            long n = 0;
            for (double c : counts) {
                n += (long) c;
            }
            return n;
        }
    }

    private static final Pattern KEY = Pattern.compile("MetricData\\.member\\.(\\d+)\\.(.+)");

    private WireDatums() {
    }

    static boolean isPutMetricData(Request r) {
        return body(r).contains("Action=PutMetricData");
    }

    static String body(Request r) {
        byte[] raw = r.getBody();
        boolean gzip = "gzip".equalsIgnoreCase(r.getHeader("Content-Encoding"));
        if (gzip && raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    static Captured decode(Request r) {
        String body = body(r);
        boolean gzip = "gzip".equalsIgnoreCase(r.getHeader("Content-Encoding"));
        String namespace = null;
        TreeMap<Integer, Map<String, String>> members = new TreeMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.equals("Namespace")) {
                namespace = v;
            }
            Matcher m = KEY.matcher(k);
            if (m.matches()) {
                members.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>()).put(m.group(2), v);
            }
        }
        List<Sent> out = new ArrayList<>();
        for (Map<String, String> f : members.values()) {
            Map<String, String> dims = new TreeMap<>();
            for (int j = 1; f.containsKey("Dimensions.member." + j + ".Name"); j++) {
                dims.put(f.get("Dimensions.member." + j + ".Name"), f.get("Dimensions.member." + j + ".Value"));
            }
            List<Double> values = new ArrayList<>();
            List<Double> counts = new ArrayList<>();
            for (int k = 1; f.containsKey("Values.member." + k); k++) {
                values.add(Double.parseDouble(f.get("Values.member." + k)));
                counts.add(Double.parseDouble(f.get("Counts.member." + k)));
            }
            out.add(new Sent(f.get("MetricName"), f.get("Unit"), dims, Instant.parse(f.get("Timestamp")),
                    Integer.parseInt(f.get("StorageResolution")),
                    values.stream().mapToDouble(Double::doubleValue).toArray(),
                    counts.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new Captured(gzip, Integer.parseInt(r.getHeader("Content-Length")), body.getBytes(StandardCharsets.UTF_8).length, namespace, out);
    }
}
