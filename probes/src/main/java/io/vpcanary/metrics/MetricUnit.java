package io.vpcanary.metrics;

/** The CloudWatch unit of a metric. Only the units the catalogue uses are listed. */
public enum MetricUnit {
    MILLISECONDS("Milliseconds"),
    COUNT("Count"),
    NONE("None");

    private final String cloudWatchName;

    MetricUnit(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** The unit's name as CloudWatch and EMF spell it, such as {@code Milliseconds}. */
    public String cloudWatchName() {
        return cloudWatchName;
    }
}
