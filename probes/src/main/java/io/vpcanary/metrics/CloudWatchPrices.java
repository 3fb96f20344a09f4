package io.vpcanary.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * CloudWatch prices from the one prices file ({@value #RESOURCE}), with the region and the date they were taken.
 *
 * @param region          region the prices are for
 * @param taken           when they were taken
 * @param source          where from
 * @param currency        currency code
 * @param metricTiers     custom-metric price tiers, in order; the last has size {@code Long.MAX_VALUE}
 * @param metricsFreeTier free metrics per account and month (shown, not deducted)
 * @param requestsPer1000 price of 1,000 PutMetricData requests
 * @param requestsFreeTier free requests per account and month (shown, not deducted)
 * @param hoursPerMonth   hours in a billing month
 */
public record CloudWatchPrices(String region, LocalDate taken, String source, String currency, List<Tier> metricTiers,
                               long metricsFreeTier, BigDecimal requestsPer1000, long requestsFreeTier,
                               int hoursPerMonth) {

    public static final String RESOURCE = "/io/vpcanary/metrics/cloudwatch-prices.properties";

    /** {@code size} metrics at {@code price} per metric and month. */
    public record Tier(long size, BigDecimal price) {
    }

    /** The bundled prices. */
    public static CloudWatchPrices bundled() {
        return parse(bundledProperties());
    }

    /** The prices file's entries; {@link CanaryPrices} reads its own from the same file. */
    static Properties bundledProperties() {
        try (InputStream in = CloudWatchPrices.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("prices file missing from the class path: " + RESOURCE);
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CloudWatchPrices parse(Properties p) {
        List<Tier> tiers = new ArrayList<>();
        for (String t : required(p, "metrics.tiers").split(",")) {
            String[] sp = t.trim().split(":");
            tiers.add(new Tier(sp[0].equals("*") ? Long.MAX_VALUE : Long.parseLong(sp[0]), new BigDecimal(sp[1])));
        }
        return new CloudWatchPrices(required(p, "region"), LocalDate.parse(required(p, "taken")),
                required(p, "source"), required(p, "currency"), List.copyOf(tiers),
                Long.parseLong(required(p, "metrics.freeTier")), new BigDecimal(required(p, "requests.per1000")),
                Long.parseLong(required(p, "requests.freeTier")), Integer.parseInt(required(p, "hoursPerMonth")));
    }

    static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("prices file " + RESOURCE + " lacks " + key);
        }
        return v.trim();
    }

    /** Monthly price of {@code metrics} custom metrics, tier by tier. */
    public BigDecimal metricsCost(long metrics) {
        BigDecimal total = BigDecimal.ZERO;
        long left = metrics;
        for (Tier t : metricTiers) {
            long n = Math.min(left, t.size());
            total = total.add(t.price().multiply(BigDecimal.valueOf(n)));
            left -= n;
            if (left == 0) {
                break;
            }
        }
        return total;
    }

    /** Price of {@code requests} PutMetricData requests. */
    public BigDecimal requestsCost(long requests) {
        return requestsPer1000.multiply(BigDecimal.valueOf(requests)).divide(BigDecimal.valueOf(1000));
    }
}
