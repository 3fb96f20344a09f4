package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCommandTest {



    static long number(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+(\\d+)").matcher(out);
        assertThat(m.find()).as("%s in%n%s", label, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    static BigDecimal money(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s+([0-9.]+) USD").matcher(out);
        assertThat(m.find()).as("%s in%n%s", label, out).isTrue();
        return new BigDecimal(m.group(1));
    }

    @Test
    void demoEstateCostFollowsTheCatalogueAndThePricesFile() {
        CliRun r = run("cost", "--demo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("prices: us-east-1, taken 2026-11-23 from https://aws.amazon.com/cloudwatch/pricing/");
        assertThat(r.out()).contains("publishing every 60s, StorageResolution 60, 1 process(es)");

        Estate demo = EstateLoader.demo();
        List<Target> targets = TargetPlanner.forAws(demo).targets();
        long apiRegions = targets.stream().map(t -> t.api() + "/" + t.region()).distinct().count();
        long hosts = targets.stream().map(t -> t.url().getHost()).distinct().count();
        long served = demo.routingDomains().stream()
                .mapToLong(d -> d.records().stream().map(rr -> rr.region()).distinct().count()).sum();
        assertThat(number(r.out(), "TimeToFirstByte")).isEqualTo(targets.size());
        assertThat(number(r.out(), "Latency")).isEqualTo(targets.size() + apiRegions);
        long total = 6L * targets.size() + 2 * apiRegions + hosts + served;
        assertThat(number(r.out(), "total custom metrics")).isEqualTo(total);
        assertThat(number(r.out(), "Errors")).as("17 error classes, AUTH_NOT_ENFORCED included").isEqualTo(apiRegions * 17);
        // under 10,000 metrics: the first tier, $0.30 each
        assertThat(money(r.out(), "custom metrics")).isEqualByComparingTo(new BigDecimal("0.30")
                .multiply(BigDecimal.valueOf(total)));
        // at 150 distinct values per series, a datum is about 13 KB: the 1 MB limit splits the demo's 201 series of an
        // interval into four requests
        assertThat(r.out()).contains("(175200 requests: 4 per interval and process, up to 150 distinct values");
        // with few distinct values one request per minute for 730 hours: 43,800 requests at $0.01 per 1,000
        CliRun few = run("cost", "--demo", "--distinct-values", "10");
        assertThat(few.out()).contains("(43800 requests: 1 per interval and process");
        assertThat(money(few.out(), "PutMetricData")).isEqualByComparingTo("0.44");
    }

    @Test
    void highResolutionPublishesMoreOftenForTheSameMetrics(@TempDir Path dir) throws Exception {
        Path estate = dir.resolve("estate.yaml");
        Files.writeString(estate, EstateLoader.demoText());
        CliRun standard = run("cost", "--estate", estate.toString());
        CliRun high = run("cost", "--estate", estate.toString(), "--resolution", "1", "--interval", "1s",
                "--processes", "3", "--distinct-values", "10");
        assertThat(high.exit()).as(high.err()).isZero();
        assertThat(number(high.out(), "total custom metrics")).isEqualTo(number(standard.out(), "total custom metrics"));
        assertThat(high.out()).contains("publishing every 1s, StorageResolution 1, 3 process(es)");
        // 60 times the intervals, 3 processes
        assertThat(high.out()).contains("(7884000 requests: 1 per interval and process");
    }

    @Test
    void badInputIsRefusedClearly(@TempDir Path dir) throws Exception {
        assertThat(run("cost", "--resolution", "5").err()).contains("--resolution must be 60 or 1");
        CliRun mismatch = run("cost", "--resolution", "1", "--interval", "60s");
        assertThat(mismatch.exit()).isEqualTo(2);
        assertThat(mismatch.err()).contains("needs an interval of 1s or 10s");
        assertThat(run("cost", "--interval", "soon").err()).contains("expects a duration such as 60s");
        assertThat(run("cost", "--interval", "120s").exit()).isZero();
        assertThat(run("cost", "--interval", "90s").err()).contains("multiple of 60s");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apis: [ {name: x, type: NOPE} ]\n");
        CliRun r = run("cost", "--estate", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml");
        assertThat(run("cost", "--demo", "--estate", bad.toString()).err()).contains("not both");
        assertThat(run("cost", "--region", "eu-west-1").out()).contains("note: prices are for us-east-1; eu-west-1 may differ");
    }

    @Test
    void canaryCostBesideSyntheticsForTheDemoEstate() {
        CliRun r = run("cost", "--canary");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("schedule: rate(1 minute), 4 rounds 15s apart; 43800 invocations per canary")
                .contains("each invocation: 47000 ms billed at 512 MB arm64 (3 waits of 15s and one round of 2000 ms");
        // canary-east: 43,800 × 47 s × 0.5 GB = 1,029,300 GB-s × $0.0000133334 = $13.72; requests $0.00876;
        // Synthetics: 4 APIs → 175,200 runs × $0.0012 = $210.24 + Lambda 328,500 GB-s × $0.0000166667 = $5.48
        // + requests $0.04 + S3 $0.88 = $216.63
        assertThat(r.out()).containsPattern("(?m)^canary-east +12 +43800 +1029300 +13\\.72 +0\\.01 +\\d+ +0\\.\\d\\d "
                + "+14\\.\\d\\d \\| +4 +175200 +216\\.63$");
        // partner-east checks one API: 43,800 runs × $0.0012 = $52.56 + $1.37 + $0.01 + $0.22 = $54.16
        assertThat(r.out()).containsPattern("(?m)^partner-east +1 +43800 +1029300 +13\\.72 .*\\| +1 +43800 +54\\.16$");
        assertThat(r.out()).doesNotContain("on-premises");
        assertThat(r.out()).contains("Synthetics runs at most once a minute");
    }

    @Test
    void canaryCostFollowsMemoryAndMeasuredDuration() {
        // 43,800 × 10 s × 0.25 GB = 109,500 GB-s × $0.0000133334 = $1.46
        CliRun r = run("cost", "--canary", "--memory", "256", "--duration-ms", "10000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("each invocation: 10000 ms billed at 256 MB arm64 (given)")
                .containsPattern("(?m)^canary-west +6 +43800 +109500 +1\\.46 ");
    }

    @Test
    void canaryCostBadInputIsOneLineAndExit2() {
        CliRun rounds = run("cost", "--canary", "--rounds", "7");
        assertThat(rounds.exit()).isEqualTo(2);
        assertThat(rounds.err().strip()).isEqualTo("vpcanary: 7 rounds do not divide a rate of 60s into whole seconds");
        CliRun memory = run("cost", "--canary", "--memory", "64");
        assertThat(memory.exit()).isEqualTo(2);
        assertThat(memory.err().strip()).isEqualTo("vpcanary: Lambda memory must be 128 to 10240 MB, got 64");
        CliRun duration = run("cost", "--canary", "--duration-ms", "90000");
        assertThat(duration.exit()).isEqualTo(2);
        assertThat(duration.err().lines()).hasSize(1);
    }
}
