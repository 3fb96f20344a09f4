package io.vpcanary.lab.route53;

import io.vpcanary.metrics.AlarmRule;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Reads the statistic of an alarm's metric for one period from a CloudWatch API endpoint (GetMetricStatistics):
 * where the lab's alarm-based health checks get their data. Thread-safe.
 */
public final class AlarmMetrics implements AutoCloseable {

    /** The placeholder credentials the lab signs with: an emulator on loopback checks none. */
    static final StaticCredentialsProvider EMULATOR_CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDVPCANARYLAB", "vpcanary-lab-emulator"));

    private final CloudWatchClient client;

    AlarmMetrics(CloudWatchClient client) {
        this.client = client;
    }

    /** Reads from the CloudWatch API at {@code endpoint} (the region's alarms in {@code region}). */
    public static AlarmMetrics at(URI endpoint, String region) {
        return new AlarmMetrics(CloudWatchClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(EMULATOR_CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build());
    }

    /**
     * The statistic of the rule's metric over {@code [start, end)} (whole seconds), or null when it has no data.
     */
    public Double statistic(AlarmRule rule, Instant start, Instant end) {
        long seconds = Math.max(1, end.getEpochSecond() - start.getEpochSecond());
        GetMetricStatisticsResponse r = client.getMetricStatistics(b -> b.namespace(rule.namespace())
                .metricName(rule.metric())
                .dimensions(rule.dimensions().entrySet().stream()
                        .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList())
                .startTime(start).endTime(end).period((int) seconds)
                .statistics(Statistic.fromValue(rule.statistic())));
        List<Datapoint> points = r.datapoints();
        if (points.isEmpty()) {
            return null;
        }
        Datapoint p = points.getFirst();
        return switch (rule.statistic()) {
            case "Average" -> p.average();
            case "Minimum" -> p.minimum();
            case "Maximum" -> p.maximum();
            case "Sum" -> p.sum();
            default -> p.sampleCount();
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
