package io.vpcanary.metrics;

import io.vpcanary.estate.Alarms;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CloudWatch metric alarm as the lab evaluates it for a CLOUDWATCH_METRIC health check: the statistic of one metric
 * over the last {@code evaluationPeriods} standard-resolution periods, against a threshold, M of N, with a treatment
 * of missing data. {@link #health} is the health alarm of a routing record, as {@code vpcanary alarms generate}
 * makes it (docs/alarms.md; {@code AlarmPlan} in dashboards builds that alarm from this rule): Average of {@code Success} {Api, Region} below {@code failoverSuccessRatio} for
 * {@code failoverPeriods} of {@code failoverPeriods} minutes, missing data breaching.
 *
 * @param name              the alarm's name
 * @param namespace         metric namespace
 * @param metric            metric name
 * @param dimensions        metric dimensions
 * @param statistic         Average, Minimum, Maximum, Sum or SampleCount (Route 53 takes no percentiles)
 * @param threshold         the threshold
 * @param comparison        GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or
 *                          LessThanOrEqualToThreshold
 * @param evaluationPeriods N
 * @param datapointsToAlarm M
 * @param treatMissingData  breaching, notBreaching, ignore or missing
 */
public record AlarmRule(String name, String namespace, String metric, Map<String, String> dimensions, String statistic,
                        double threshold, String comparison, int evaluationPeriods, int datapointsToAlarm,
                        String treatMissingData) {

    /** The statistics Route 53 accepts of an alarm it follows. */
    public static final List<String> STATISTICS = List.of("Average", "Minimum", "Maximum", "Sum", "SampleCount");
    private static final List<String> COMPARISONS = List.of("GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
            "LessThanThreshold", "LessThanOrEqualToThreshold");

    public AlarmRule {
        dimensions = Map.copyOf(dimensions);
        if (!STATISTICS.contains(statistic)) {
            throw new IllegalArgumentException("statistic " + statistic + " is not one Route 53 accepts: " + STATISTICS);
        }
        if (!COMPARISONS.contains(comparison)) {
            throw new IllegalArgumentException("comparison " + comparison + " is not one of " + COMPARISONS);
        }
        if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
            throw new IllegalArgumentException("datapointsToAlarm must be from 1 to evaluationPeriods");
        }
        Objects.requireNonNull(treatMissingData, "treatMissingData");
    }

    /** The health alarm of {@code record}, in {@code namespace}. */
    public static AlarmRule health(Estate estate, RoutingRecord record, String namespace) {
        Alarms a = estate.api(record.api()).map(api -> api.alarms()).orElse(Alarms.NONE).orDefaults();
        return new AlarmRule(Alarms.healthAlarmName(namespace, record), namespace, ProbeMetrics.SUCCESS,
                Map.of(ProbeMetrics.D_API, record.api(), ProbeMetrics.D_REGION, record.region()), "Average",
                a.failoverSuccessRatio(), "LessThanThreshold", a.failoverPeriods(), a.failoverPeriods(), "breaching");
    }

    /** The alarm's state. */
    public enum State { OK, ALARM, INSUFFICIENT_DATA }

    /**
     * The state of the alarm given the statistic of each of its last periods, newest first, null where a period has
     * no data. CloudWatch's rules: missing periods count as breaching ({@code breaching}), as not breaching
     * ({@code notBreaching}), or not at all ({@code ignore}, {@code missing}); ALARM when at least
     * {@code datapointsToAlarm} periods breach; INSUFFICIENT_DATA when no period has data and missing data is not
     * counted; else OK.
     */
    public State evaluate(List<Double> newestFirst) {
        int breaching = 0;
        int withData = 0;
        for (int i = 0; i < evaluationPeriods; i++) {
            Double v = i < newestFirst.size() ? newestFirst.get(i) : null;
            if (v == null) {
                if (treatMissingData.equals("breaching")) {
                    breaching++;
                    withData++;
                } else if (treatMissingData.equals("notBreaching")) {
                    withData++;
                }
                continue;
            }
            withData++;
            if (breaches(v)) {
                breaching++;
            }
        }
        if (breaching >= datapointsToAlarm) {
            return State.ALARM;
        }
        return withData == 0 ? State.INSUFFICIENT_DATA : State.OK;
    }

    /** Whether {@code value} is on the alarm's side of the threshold. */
    public boolean breaches(double value) {
        return switch (comparison) {
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "GreaterThanThreshold" -> value > threshold;
            case "LessThanThreshold" -> value < threshold;
            default -> value <= threshold;
        };
    }
}
