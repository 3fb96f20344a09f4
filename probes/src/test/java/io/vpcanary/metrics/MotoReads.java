package io.vpcanary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** Reading back what was captured on the wire and what moto holds. */
final class MotoReads {

    private MotoReads() {
    }

    static List<WireDatums.Captured> captured(WireMockServer server) {
        List<WireDatums.Captured> out = new ArrayList<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            if (WireDatums.isPutMetricData(e.getRequest())) {
                out.add(WireDatums.decode(e.getRequest()));
            }
        }
        return out;
    }

    static Histogram rebuilt(List<WireDatums.Captured> requests, String metric, Map<String, String> dims) {
        List<Datum> datums = new ArrayList<>();
        for (WireDatums.Captured c : requests) {
            for (WireDatums.Sent s : c.datums()) {
                if (s.name().equals(metric) && s.dimensions().equals(dims)) {
                    datums.add(new Datum(Series.of(metric, MetricUnit.NONE, dims), s.timestamp(),
                            s.storageResolution(), s.values(), s.counts()));
                }
            }
        }
        return DistributionEncoder.decode(datums);
    }

    static Datapoint statistics(CloudWatchClient reader, String namespace, String metric, Map<String, String> dims, Instant start, int period) {
        GetMetricStatisticsResponse r = reader.getMetricStatistics(b -> b.namespace(namespace).metricName(metric)
                .dimensions(dims.entrySet().stream()
                        .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .startTime(start).endTime(start.plusSeconds(period)).period(period)
                .statistics(Statistic.SAMPLE_COUNT, Statistic.SUM, Statistic.MINIMUM, Statistic.MAXIMUM));
        assertThat(r.datapoints()).as("datapoints of %s %s", metric, dims).hasSize(1);
        return r.datapoints().get(0);
    }
}
