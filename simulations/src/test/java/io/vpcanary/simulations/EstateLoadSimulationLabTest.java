package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.metrics.LocalJsonReader;
import io.vpcanary.metrics.ProbeMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short whole-estate run against the embedded lab: the mix the simulation plans is the weights' share of the total
 * rate, Gatling sends each request name exactly the users its constant rate schedules (the open model's constant-rate
 * injection starts users at fixed intervals, so the count is deterministic), every response is in the published
 * metrics with the run's id, and progress lines say what was sent.
 */
class EstateLoadSimulationLabTest {

    private static final Pattern MIX = Pattern.compile("^  mix ([\\d.]+) users/s, (\\d+) users: (.+)$",
            Pattern.MULTILINE);
    private static final Pattern PROGRESS = Pattern.compile("^vpcanary: progress (\\d+:\\d\\d) of 0:04: ([\\d,]+) "
            + "requests, ([\\d,]+) errors, [\\d.]+ req/s now, p99 so far ([\\d.]+ ms|-), (\\d+) s left$",
            Pattern.MULTILINE);

    @TempDir
    Path work;

    @Test
    void theMixFollowsTheWeightsAndProgressSaysWhatWasSent() throws Exception {
        Path metricsFile = work.resolve("metrics.jsonl");
        double total = 30;
        GatlingRun run = GatlingRun.run(EstateLoadSimulation.class, work, Map.of(
                "rate", Double.toString(total), "duration", "4s", "warmUp", "0s",
                "vpcanary.weights", "orders=3,inventory=0", "vpcanary.regions", "us-east-1",
                "vpcanary.progress", "1s", "vpcanary.runId", "lab-run-1",
                "vpcanary.publish", "local", "vpcanary.metricsFile", metricsFile.toString()), Duration.ofSeconds(120));
        String out = run.out();
        assertThat(run.exitCode()).as(out).isZero();

        // the plan: every request name in us-east-1, none of inventory (weight 0), orders three times the others
        Map<String, double[]> mix = new LinkedHashMap<>();
        Matcher m = MIX.matcher(out);
        while (m.find()) {
            mix.put(m.group(3).strip(), new double[] {Double.parseDouble(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertThat(mix).isNotEmpty();
        assertThat(mix.keySet()).allSatisfy(name -> assertThat(name).contains(" us-east-1").doesNotStartWith("inventory "));
        assertThat(mix.keySet()).anySatisfy(name -> assertThat(name).startsWith("orders "))
                .anySatisfy(name -> assertThat(name).startsWith("payments "));
        assertThat(out).contains("not driven: inventory");
        double sum = mix.values().stream().mapToDouble(v -> v[0]).sum();
        assertThat(sum).as("the rates add up to the total").isCloseTo(total, org.assertj.core.data.Offset.offset(0.01));
        double ordersRate = rateOf(mix, "orders ");
        double paymentsRate = rateOf(mix, "payments ");
        assertThat(ordersRate / paymentsRate).as("orders weighs 3, payments 1").isCloseTo(3.0,
                org.assertj.core.data.Offset.offset(0.01));

        // Gatling sent each request name exactly the users planned: count the Success samples per target
        Map<String, Long> sent = new LinkedHashMap<>();
        long failed = 0;
        for (LocalJsonReader.Entry e : LocalJsonReader.read(metricsFile)) {
            var s = e.snapshot();
            assertThat(s.series().dimensions()).containsEntry(io.vpcanary.metrics.ProbeMetrics.D_RUN, "lab-run-1");
            if (s.series().name().equals(ProbeMetrics.SUCCESS) && s.series().dimensions().containsKey(ProbeMetrics.D_CHECK)) {
                var d = s.series().dimensions();
                String key = d.get(ProbeMetrics.D_API) + " " + d.get(ProbeMetrics.D_CHECK) + " "
                        + d.get(ProbeMetrics.D_ACCESS_PATH) + " " + d.get(ProbeMetrics.D_REGION);
                String name = mix.keySet().stream().filter(n -> n.equals(key) || n.startsWith(key + " from ")
                                && n.endsWith(" from " + d.get(ProbeMetrics.D_VANTAGE))).findFirst()
                        .orElseThrow(() -> new AssertionError("a request not in the mix: " + d));
                sent.merge(name, s.count(), Long::sum);
                failed += s.histogram().getCountAtValue(0);
            }
        }
        long planned = 0;
        for (var e : mix.entrySet()) {
            long users = (long) e.getValue()[1];
            planned += users;
            assertThat(users).as("users of %s", e.getKey()).isEqualTo(Math.round(e.getValue()[0] * 4));
            assertThat(sent.getOrDefault(e.getKey(), 0L)).as("requests of %s", e.getKey()).isEqualTo(users);
        }
        long[] gatling = run.requestCount();
        assertThat(gatling[0]).isEqualTo(planned);

        // progress: lines in the run's format, the last one counting every request sent
        List<MatchResult> lines = PROGRESS.matcher(out).results().map(r -> new MatchResult(r.group(2), r.group(3), r.group(5))).toList();
        assertThat(lines).as(out).isNotEmpty();
        MatchResult last = lines.get(lines.size() - 1);
        assertThat(Long.parseLong(last.requests().replace(",", ""))).isEqualTo(planned);
        // errors are the responses whose check failed (Success 0: the probe's verdict, latency budgets included)
        assertThat(Long.parseLong(last.errors().replace(",", ""))).isEqualTo(failed);
        assertThat(last.left()).isEqualTo("0");
    }

    private record MatchResult(String requests, String errors, String left) {
    }

    private static double rateOf(Map<String, double[]> mix, String prefix) {
        return mix.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(e -> e.getValue()[0])
                .findFirst().orElseThrow();
    }
}
