package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.gameday.aws.AwsClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * A failure value published to the metric a health alarm watches, every {@code interval} while the fault is held:
 * AWS's documented way of failing an alarm-based Route 53 health check (SetAlarmState does not move one). The journal
 * keeps the metric and its previous value (the latest Average of the last ten minutes, if any), which the restore
 * publishes once.
 */
public final class AlarmMetricInjector implements FaultInjector {

    static final String KIND = "ALARM_METRIC";

    private final AwsClients aws;
    private final String alarm;
    private final String region;
    private final double value;
    private final Duration interval;
    private MetricAlarm metric;
    private ScheduledExecutorService publisher;

    public AlarmMetricInjector(AwsClients aws, String alarm, String region, double value, Duration interval) {
        this.aws = aws;
        this.alarm = alarm;
        this.region = region;
        this.value = value;
        this.interval = interval;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "publish " + value + " to the metric of alarm " + alarm + " (" + region + ") every "
                + interval.toMillis() / 1000.0 + " s";
    }

    @Override
    public ObjectNode prepare() {
        List<MetricAlarm> found = aws.cloudWatch(region).describeAlarms(b -> b.alarmNames(alarm)).metricAlarms();
        if (found.isEmpty() || found.getFirst().metricName() == null) {
            throw new IllegalArgumentException("no alarm '" + alarm + "' on one metric in " + region);
        }
        metric = found.getFirst();
        ObjectNode r = new ObjectMapper().createObjectNode().put("alarm", alarm).put("region", region)
                .put("namespace", metric.namespace()).put("metric", metric.metricName());
        ObjectNode dims = r.putObject("dimensions");
        metric.dimensions().forEach(d -> dims.put(d.name(), d.value()));
        Instant now = Instant.now();
        List<Datapoint> points = aws.cloudWatch(region).getMetricStatistics(b -> b.namespace(metric.namespace())
                .metricName(metric.metricName()).dimensions(metric.dimensions()).startTime(now.minusSeconds(600))
                .endTime(now.plusSeconds(60)).period(60).statistics(Statistic.AVERAGE)).datapoints();
        points.stream().max(Comparator.comparing(Datapoint::timestamp))
                .ifPresentOrElse(p -> r.put("previousValue", p.average()), () -> r.putNull("previousValue"));
        if (aws.endpoint() != null) {
            r.put("endpoint", aws.endpoint().toString());
        }
        return r;
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        publish();
        publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpcanary-gameday-alarm-metric");
            t.setDaemon(true);
            return t;
        });
        publisher.scheduleAtFixedRate(this::publishQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return prepared;
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            System.getLogger(AlarmMetricInjector.class.getName()).log(System.Logger.Level.WARNING,
                    "publishing the failure value failed: " + e.getMessage());
        }
    }

    private void publish() {
        List<Dimension> dims = metric.dimensions();
        aws.cloudWatch(region).putMetricData(b -> b.namespace(metric.namespace()).metricData(d -> d
                .metricName(metric.metricName()).dimensions(dims).value(value).unit(StandardUnit.NONE)
                .timestamp(Instant.now())));
    }

    @Override
    public void stop() {
        if (publisher != null) {
            publisher.shutdownNow();
        }
    }
}
