package io.vpcanary.policy;

/** Splitting ARNs into their six colon-separated fields, and recognising account ids. */
public final class Arns {

    private Arns() {
    }

    /**
     * The six fields {@code arn, partition, service, region, account, resource} of an ARN, or null if
     * {@code text} is not an ARN. The resource field may itself contain colons.
     */
    public static String[] split(String text) {
        if (!text.startsWith("arn:")) {
            return null;
        }
        String[] parts = text.split(":", 6);
        return parts.length == 6 ? parts : null;
    }

    /** Whether {@code s} is a 12-digit AWS account id. */
    public static boolean isAccountId(String s) {
        if (s.length() != 12) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
