package io.vpcanary.cli;

import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.CloudWatchPrices;
import io.vpcanary.metrics.CostModel;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vpcanary cost}: the monthly CloudWatch cost of an estate's metric catalogue (custom metrics and PutMetricData
 * requests), from the bundled prices file, which names its region and date.
 */
@Command(name = "cost",
        description = "Print the monthly CloudWatch custom-metric and PutMetricData cost of an estate's metrics.",
        mixinStandardHelpOptions = true)
public final class CostCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--estate", paramLabel = "FILE", description = "Estate file (default: the demo estate).")
    Path estateFile;

    @Option(names = "--demo", description = "Use the bundled demo estate.")
    boolean demo;

    @Option(names = "--resolution", paramLabel = "60|1", defaultValue = "60",
            description = "StorageResolution: 60 (standard) or 1 (high resolution). Default ${DEFAULT-VALUE}.")
    int resolution;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Publishing interval such as 60s, 10s, 1s, 5m (default 60s, or 10s with --resolution 1).")
    String interval;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "Region whose prices to use. Default ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "1",
            description = "Processes publishing with PutMetricData (canaries, load injectors). Default ${DEFAULT-VALUE}.")
    int processes;

    @Option(names = "--distinct-values", paramLabel = "N", defaultValue = "150",
            description = "Distinct values per series and interval assumed, 1 to 150. Default ${DEFAULT-VALUE} (upper bound).")
    int distinctValues;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (demo && estateFile != null) {
            err.println("vpcanary cost: give --estate FILE or --demo, not both");
            return 2;
        }
        Estate estate;
        String estateName;
        if (estateFile != null) {
            try {
                estate = EstateLoader.load(estateFile);
            } catch (EstateException e) {
                err.println("vpcanary cost: " + e.getMessage());
                return 2;
            }
            estateName = estateFile.toString();
        } else {
            estate = EstateLoader.demo();
            estateName = "demo estate";
        }
        if (resolution != 60 && resolution != 1) {
            err.println("vpcanary cost: --resolution must be 60 or 1, got " + resolution);
            return 2;
        }
        Duration every;
        try {
            every = interval == null ? Duration.ofSeconds(resolution == 1 ? 10 : 60) : parseDuration(interval);
        } catch (IllegalArgumentException e) {
            err.println("vpcanary cost: --interval " + e.getMessage());
            return 2;
        }
        if ((resolution == 1) != (every.toSeconds() < 60)) {
            err.println("vpcanary cost: --resolution " + resolution + " needs an interval of "
                    + (resolution == 1 ? "1s or 10s" : "a multiple of 60s") + ", got " + interval);
            return 2;
        }
        CloudWatchPrices prices = CloudWatchPrices.bundled();
        CostModel model;
        try {
            model = CostModel.of(estate, TargetPlanner.forAws(estate).targets(), every, processes, distinctValues,
                    prices.hoursPerMonth());
        } catch (IllegalArgumentException e) {
            err.println("vpcanary cost: " + e.getMessage());
            return 2;
        }
        print(out, estateName, prices, model);
        return 0;
    }

    private void print(PrintWriter out, String estateName, CloudWatchPrices prices, CostModel model) {
        out.printf(Locale.ROOT, "CloudWatch cost of the vpcanary metrics of %s%n", estateName);
        out.printf(Locale.ROOT, "prices: %s, taken %s from %s (%s)%n", prices.region(), prices.taken(),
                prices.source(), prices.currency());
        if (!prices.region().equals(region)) {
            out.printf(Locale.ROOT, "note: prices are for %s; %s may differ%n", prices.region(), region);
        }
        out.printf(Locale.ROOT, "publishing every %ds, StorageResolution %d, %d process(es)%n%n",
                model.intervalSeconds(), model.storageResolution(), model.processes());
        out.printf(Locale.ROOT, "%-26s %10s%n", "metric", "series");
        for (String name : CostModel.order()) {
            Long n = model.alwaysOnSeries().get(name);
            if (n != null) {
                out.printf(Locale.ROOT, "%-26s %10d%n", name, n);
            }
        }
        out.printf(Locale.ROOT, "%-26s %10d%n", "total custom metrics", model.alwaysOnTotal());
        out.printf(Locale.ROOT, "%-26s %10d  (only in hours with that error; at most)%n", "Errors",
                model.errorSeriesMax());
        out.println();
        out.printf(Locale.ROOT, "custom metrics      %s/month%n", money(model.metricsCost(prices), prices));
        out.printf(Locale.ROOT, "  with every error  %s/month (upper bound)%n",
                money(model.metricsCostWithAllErrors(prices), prices));
        out.printf(Locale.ROOT, "PutMetricData       %s/month (%d requests: %d per interval and process, up to %d "
                        + "distinct values per series)%n", money(model.requestsCost(prices), prices),
                model.requestsPerMonth(), model.requestsPerInterval(), distinctValues);
        out.printf(Locale.ROOT, "total               %s/month%n",
                money(model.metricsCost(prices).add(model.requestsCost(prices)), prices));
        out.printf(Locale.ROOT, "free tier (per account, shared, not deducted): %d metrics, %d requests%n",
                prices.metricsFreeTier(), prices.requestsFreeTier());
        out.println("Lambda canaries publishing EMF make no PutMetricData requests (their log ingestion is billed as logs).");
    }

    private static String money(BigDecimal amount, CloudWatchPrices prices) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString() + " " + prices.currency();
    }

    /** Parses {@code 60s}, {@code 10s}, {@code 1s}, {@code 5m}, {@code 1h} or an ISO-8601 duration. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("expects a duration such as 60s, 10s or 5m, got '" + text + "'");
        }
    }
}
