package io.vpcanary.cli;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.deploy.CanaryCost;
import io.vpcanary.deploy.CanarySchedule;
import io.vpcanary.deploy.SamTemplate;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.CanaryPrices;
import io.vpcanary.metrics.CloudWatchPrices;
import io.vpcanary.metrics.CostModel;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        description = {"Print the monthly CloudWatch custom-metric and PutMetricData cost of an estate's metrics.",
                "With --canary: the monthly cost of the estate's Lambda canaries beside CloudWatch Synthetics."},
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

    @Option(names = "--canary", description = "Price the estate's Lambda canaries (one per VPC with checks) beside "
            + "CloudWatch Synthetics running the same checks on the same schedule.")
    boolean canary;

    @CommandLine.Mixin
    CanaryScheduleOptions scheduleOptions;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "" + SamTemplate.DEFAULT_MEMORY_MB,
            description = "--canary: memory of each function. Default ${DEFAULT-VALUE}.")
    int memory;

    @Option(names = "--round-ms", paramLabel = "MS", defaultValue = "" + CanaryCost.DEFAULT_ROUND_MS,
            description = "--canary: how long one round of a VPC's checks takes (an estimate unless measured). "
                    + "Default ${DEFAULT-VALUE}.")
    long roundMs;

    @Option(names = "--duration-ms", paramLabel = "MS",
            description = "--canary: billed duration of one invocation (the REPORT lines' Billed Duration). "
                    + "Default: the waits between rounds plus one round.")
    Long durationMs;

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
        if (canary) {
            printCanaries(out, estate, estateName, prices);
            return 0;
        }
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

    /** {@code --canary}: bad settings are IllegalArgumentExceptions, which Main reports in one line with exit 2. */
    private void printCanaries(PrintWriter out, Estate estate, String estateName, CloudWatchPrices prices) {
        CanarySchedule schedule = scheduleOptions.schedule();
        CanaryCost.Settings settings = new CanaryCost.Settings(schedule, memory,
                durationMs != null ? durationMs : CanaryCost.Settings.defaultDurationMs(schedule, roundMs), roundMs);
        CanaryPrices cp = CanaryPrices.bundled();
        List<SamTemplate.Canary> canaries = SamTemplate.canaries(estate);
        List<CanaryCost> costs = canaries.stream().map(c -> CanaryCost.of(c.vpc().name(), c.targets(), settings, cp,
                prices.hoursPerMonth())).toList();
        List<Target> all = canaries.stream().flatMap(c -> c.targets().stream()).toList();
        CostModel metrics = CostModel.of(estate, all, Duration.ofSeconds(60), 1,
                Math.min(schedule.rounds(), 150), prices.hoursPerMonth());

        out.printf(Locale.ROOT, "Lambda canaries of %s beside CloudWatch Synthetics, per month%n", estateName);
        out.printf(Locale.ROOT, "prices: %s (%s); CloudWatch taken %s from %s; Lambda, Logs, Synthetics and S3 taken "
                + "%s from %s, %s and %s%n", prices.region(), prices.currency(), prices.taken(), prices.source(),
                cp.taken(), cp.lambdaSource(), prices.source(), cp.s3Source());
        if (!prices.region().equals(region)) {
            out.printf(Locale.ROOT, "note: prices are for %s; %s may differ%n", prices.region(), region);
        }
        out.printf(Locale.ROOT, "schedule: %s, %d rounds %s apart; %d invocations per canary and month (%d hours)%n",
                schedule.expression(), schedule.rounds(), schedule.roundIntervalSetting(),
                schedule.invocationsPerMonth(prices.hoursPerMonth()), prices.hoursPerMonth());
        out.printf(Locale.ROOT, "each invocation: %d ms billed at %d MB arm64%s%n", settings.durationMs(),
                settings.memoryMb(), durationMs != null ? " (given)" : " (" + (schedule.rounds() - 1) + " waits of "
                        + schedule.roundIntervalSetting() + " and one round of " + settings.roundMs()
                        + " ms, an estimate: give --duration-ms from the REPORT lines' Billed Duration)");
        out.println();
        out.printf(Locale.ROOT, "%-16s %7s %11s %12s %9s %9s %10s %9s %8s | %6s %9s %11s%n", "canary (VPC)",
                "targets", "invocations", "GB-seconds", "compute", "requests", "log B/inv", "logs", "lambda",
                "groups", "runs", "synthetics");
        BigDecimal canaryTotal = BigDecimal.ZERO;
        BigDecimal synthTotal = BigDecimal.ZERO;
        for (CanaryCost c : costs) {
            out.printf(Locale.ROOT, "%-16s %7d %11d %12s %9s %9s %10d %9s %8s | %6d %9d %11s%n", c.vantage(),
                    c.targets(), c.invocations(), c.gbSeconds().setScale(0, RoundingMode.HALF_UP).toPlainString(),
                    amount(c.lambdaCompute()), amount(c.lambdaRequests()), c.logBytesPerInvocation(),
                    amount(c.logs()), amount(c.canaryTotal()), c.checkGroups(), c.syntheticsRuns(),
                    amount(c.syntheticsTotal()));
            canaryTotal = canaryTotal.add(c.canaryTotal());
            synthTotal = synthTotal.add(c.syntheticsTotal());
        }
        BigDecimal metricsCost = metrics.metricsCost(prices);
        out.println();
        out.printf(Locale.ROOT, "custom metrics      %s/month (%d metrics from every canary's EMF lines; the same "
                + "checks need them whoever runs them)%n", money(metricsCost, prices), metrics.alwaysOnTotal());
        out.printf(Locale.ROOT, "Lambda canaries     %s/month (%s with the metrics)%n", money(canaryTotal, prices),
                money(canaryTotal.add(metricsCost), prices));
        out.printf(Locale.ROOT, "Synthetics          at least %s/month (%s with the metrics): one canary per API "
                        + "and VPC, one run per tick at %s a run, plus its Lambda (%d MB x86_64, at least one round) "
                        + "and one S3 PUT per run%n", money(synthTotal, prices), money(synthTotal.add(metricsCost),
                        prices), cp.syntheticsPerRun().toPlainString(), cp.syntheticsMemoryMb());
        out.printf(Locale.ROOT, "Synthetics runs at most once a minute: its figure is for 1 run per group and tick, "
                + "against the canary's %d rounds.%n", schedule.rounds());
        out.printf(Locale.ROOT, "free tiers (per account, shared, not deducted): Lambda %d requests and %d GB-seconds, "
                        + "Logs %d GB, Synthetics %d runs, CloudWatch %d metrics%n", cp.lambdaFreeRequests(),
                cp.lambdaFreeGbSeconds(), cp.logsFreeGb(), cp.syntheticsFreeRuns(), prices.metricsFreeTier());
        out.println("not counted: the interface VPC endpoints (and a NAT for a Cognito token endpoint) both need; log "
                + "storage after ingestion.");
    }

    /** Two decimals, no currency: table cells. */
    private static String amount(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
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
