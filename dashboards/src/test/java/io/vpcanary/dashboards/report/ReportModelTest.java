package io.vpcanary.dashboards.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.metrics.LocalJsonPublisher;
import io.vpcanary.metrics.MetricUnit;
import io.vpcanary.metrics.Recorder;
import io.vpcanary.metrics.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportModelTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Map<String, String> target(String check, String path) {
        return Map.of("Api", "orders", "Check", check, "AccessPath", path, "Region", "us-east-1",
                "Vantage", "canary-east");
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Writes what the recorder holds as --publish local would. */
    private Path metricFile(Recorder r) throws IOException {
        List<String> lines = new ArrayList<>();
        r.drainAll().forEach(s -> lines.add(LocalJsonPublisher.line("vpcanary", s).toString()));
        Path f = dir.resolve("m.jsonl");
        Files.write(f, lines);
        return f;
    }

    @Test
    void percentilesComeFromTheMergedDistributionNotFromAveragedPercentiles() throws IOException {
        Recorder r = new Recorder(Duration.ofSeconds(60), Clock.fixed(T0, ZoneOffset.UTC));
        Series a = Series.of("Latency", MetricUnit.MILLISECONDS, target("a", "PRIVATE_DNS"));
        Series b = Series.of("Latency", MetricUnit.MILLISECONDS, target("b", "PRIVATE_DNS"));
        for (int i = 0; i < 99; i++) {
            r.record(a, 10, T0);
        }
        r.record(a, 1000, T0);
        for (int i = 0; i < 100; i++) {
            r.record(b, 20, T0);
        }
        ReportModel m = ReportModel.of(ReportInputs.read(List.of(), List.of(metricFile(r))));

        assertThat(m.latency()).hasSize(1);
        ReportModel.LatencyCurve c = m.latency().get(0);
        assertThat(c.accessPath()).isEqualTo("PRIVATE_DNS");
        assertThat(c.samples()).isEqualTo(200);
        // sorted, the 200 samples are 99 × 10, 100 × 20 and 1000: rank 100 (p50) and rank 198 (p99) are 20s. The
        // per-series p99s are 10 and 20, whose average, 15, no sample has. Within Precision: 20 is kept as 20.008.
        assertThat(c.points().get(0).percentile()).isEqualTo(50);
        assertThat(c.points().get(0).value()).isCloseTo(20, org.assertj.core.data.Offset.offset(0.01));
        assertThat(c.points().get(4).percentile()).isEqualTo(99);
        assertThat(c.points().get(4).value()).isCloseTo(20, org.assertj.core.data.Offset.offset(0.01));
        assertThat(c.min()).isCloseTo(10, org.assertj.core.data.Offset.offset(0.005));
        // rank 200 of 200: the one slow request
        assertThat(c.points().get(6).percentile()).isEqualTo(99.9);
        assertThat(c.points().get(6).value()).isCloseTo(1000, org.assertj.core.data.Offset.offset(0.5));
        assertThat(c.max()).isCloseTo(1000, org.assertj.core.data.Offset.offset(0.5));
    }

    @Test
    void successIsCountedPerIntervalAndApiAcrossRegions() throws IOException {
        Recorder r = new Recorder(Duration.ofSeconds(60), Clock.fixed(T0, ZoneOffset.UTC));
        Series east = Series.of("Success", MetricUnit.NONE, Map.of("Api", "orders", "Region", "us-east-1"));
        Series west = Series.of("Success", MetricUnit.NONE, Map.of("Api", "orders", "Region", "us-west-2"));
        r.record(east, 1, T0);
        r.record(east, 1, T0);
        r.record(west, 0, T0);
        r.record(west, 1, T0);
        r.record(east, 1, T0.plusSeconds(60));
        ReportModel m = ReportModel.of(ReportInputs.read(List.of(), List.of(metricFile(r))));

        assertThat(m.success()).hasSize(1);
        ReportModel.SuccessSeries s = m.success().get(0);
        assertThat(s.points()).containsExactly(new ReportModel.SuccessPoint(T0, 3, 4),
                new ReportModel.SuccessPoint(T0.plusSeconds(60), 1, 1));
        assertThat(ReportPage.percent(s.passed(), s.samples())).isEqualTo("80%");
        String page = ReportPage.render(m, T0);
        assertThat(page).contains("data-figure=\"success:vpcanary:orders:ratio\">80%<")
                .contains("data-figure=\"success:vpcanary:orders:" + T0 + ":ratio\">75%<");
    }

    @Test
    void aSectionWithoutDataSaysSoAndDrawsNoChart() throws IOException {
        Path probe = file("probe.json", """
                {"startedAt":"2026-01-01T00:00:00Z","summary":{"total":1,"passed":1,"failed":0},"checks":[
                 {"api":"orders","check":"list","accessPath":"PRIVATE_DNS","region":"us-east-1",
                  "vantage":"canary-east","status":200,"errorClass":null,"expectedErrorClass":null,"passed":true,
                  "phases":{"dnsMs":1.0,"connectMs":0.2,"tlsMs":9.9,"ttfbMs":6.2,"totalMs":17.93}}]}""");
        String page = ReportPage.render(ReportModel.of(ReportInputs.read(List.of(probe), List.of())), T0);

        assertThat(page).doesNotContain("class=\"chart\"");
        assertThat(page.split("data-empty=\"true\"", -1)).as("latency, success, phases, errors, served, failover")
                .hasSize(7);
        assertThat(page).contains("No Latency distributions in the given files")
                .contains("<span data-figure=\"checks:passed\">1</span> of <span data-figure=\"checks:n\">1</span>")
                .contains(">17.9<");
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path lines = file("bad.jsonl", "\n{\"metric\": 1}\n");
        Path probe = file("bad.json", "{\"startedAt\":\"x\"}");
        assertThatThrownBy(() -> ReportInputs.read(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give at least one --probe");
        assertThatThrownBy(() -> ReportInputs.read(List.of(), List.of(lines)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(lines + ":2: not a vpcanary");
        assertThatThrownBy(() -> ReportInputs.read(List.of(probe), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(probe + ": not a vpcanary probe JSON document");
    }

    @Test
    void figuresKeepThreeSignificantDigits() {
        assertThat(ReportPage.figure(0.18849)).isEqualTo("0.188");
        assertThat(ReportPage.figure(51.94)).isEqualTo("51.9");
        assertThat(ReportPage.figure(1234.5)).isEqualTo("1230");
        assertThat(ReportPage.figure(20)).isEqualTo("20");
        assertThat(ReportPage.figure(0)).isEqualTo("0");
    }
}
