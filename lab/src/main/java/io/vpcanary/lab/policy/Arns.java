package io.vpcanary.lab.policy;

/** Splitting ARNs into their six colon-separated fields. */
final class Arns {

    private Arns() {
    }

    /**
     * The six fields {@code arn, partition, service, region, account, resource} of an ARN, or null if
     * {@code text} is not an ARN. The resource field may itself contain colons.
     */
    static String[] split(String text) {
        if (!text.startsWith("arn:")) {
            return null;
        }
        String[] parts = text.split(":", 6);
        return parts.length == 6 ? parts : null;
    }
}
