package io.vpcanary.metrics;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Cuts buffered datums into PutMetricData requests within CloudWatch's limits: at most {@value #MAX_DATUMS} datums
 * and at most {@value #MAX_BODY_BYTES} bytes of (uncompressed) form-encoded body, below the 1 MB limit so that
 * headers fit too. The size is an upper bound computed from the AWS query protocol's encoding
 * ({@code MetricData.member.N.Values.member.K=1.234}), so the body actually sent is never larger.
 */
final class PutMetricDataBatcher {

    static final int MAX_DATUMS = 1000;
    static final int MAX_BODY_BYTES = 1_000_000;

    private PutMetricDataBatcher() {
    }

    /** Removes from the head of {@code buffer} the datums of the next request (at least one when not empty). */
    static List<Datum> next(Deque<Datum> buffer, String namespace) {
        List<Datum> out = new ArrayList<>();
        long bytes = 64 + encodedLength(namespace);
        while (!buffer.isEmpty() && out.size() < MAX_DATUMS) {
            long size = estimate(buffer.peekFirst());
            if (!out.isEmpty() && bytes + size > MAX_BODY_BYTES) {
                break;
            }
            bytes += size;
            out.add(buffer.pollFirst());
        }
        return out;
    }

    /** Upper bound of the bytes one datum takes in a request body, at any position (member index up to 1000). */
    static long estimate(Datum d) {
        String prefix = "&MetricData.member.1000.";
        long n = prefix.length() + "MetricName=".length() + encodedLength(d.series().name());
        int j = 1;
        for (Map.Entry<String, String> e : d.series().dimensions().entrySet()) {
            String dp = prefix + "Dimensions.member." + j++ + ".";
            n += dp.length() + "Name=".length() + encodedLength(e.getKey());
            n += dp.length() + "Value=".length() + encodedLength(e.getValue());
        }
        // with milliseconds: the longest form a timestamp can take
        n += prefix.length() + "Timestamp=".length()
                + encodedLength(DateTimeFormatter.ISO_INSTANT.format(d.timestamp().plusMillis(1)));
        n += prefix.length() + "Unit=".length() + d.series().unit().cloudWatchName().length();
        n += prefix.length() + "StorageResolution=".length() + 2;
        double[] values = d.values();
        double[] counts = d.counts();
        for (int k = 0; k < values.length; k++) {
            int idx = String.valueOf(k + 1).length();
            n += prefix.length() + "Values.member.=".length() + idx + Double.toString(values[k]).length();
            n += prefix.length() + "Counts.member.=".length() + idx + Double.toString(counts[k]).length();
        }
        return n;
    }

    private static long encodedLength(String s) {
        String enc = URLEncoder.encode(s, StandardCharsets.UTF_8);
        long plus = enc.chars().filter(c -> c == '+').count();
        return enc.length() + 2 * plus;
    }
}
