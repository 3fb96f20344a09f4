package io.vpcanary.lab.policy;

/**
 * IAM wildcard matching: {@code *} matches any run of characters (including none), {@code ?} exactly one
 * character; every other character matches itself. Runs in O(pattern x text) at worst, without regular
 * expressions, so a hostile pattern cannot make matching explode.
 */
final class Wildcard {

    private Wildcard() {
    }

    /** Whether {@code text} matches {@code pattern}; with {@code ignoreCase}, letters match either case. */
    static boolean matches(String pattern, String text, boolean ignoreCase) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), text.charAt(t), ignoreCase))) {
                p++;
                t++;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * ARN matching as IAM documents it for the Resource element: wildcards work within the colon-separated
     * fields of an ARN, so {@code ?} and a {@code *} inside a field do not match a colon, but a {@code *} that
     * is the last character of a field (followed by a colon or the end of the pattern) may expand across
     * colons. Case-sensitive. Dynamic programming, O(pattern x text).
     */
    static boolean matchesArn(String pattern, String text) {
        int n = text.length();
        boolean[] prev = new boolean[n + 1];
        prev[0] = true;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean[] cur = new boolean[n + 1];
            if (c == '*') {
                boolean crossesColons = i + 1 == pattern.length() || pattern.charAt(i + 1) == ':';
                cur[0] = prev[0];
                for (int j = 1; j <= n; j++) {
                    cur[j] = prev[j] || (cur[j - 1] && (crossesColons || text.charAt(j - 1) != ':'));
                }
            } else {
                for (int j = 1; j <= n; j++) {
                    char t = text.charAt(j - 1);
                    cur[j] = prev[j - 1] && (c == '?' ? t != ':' : c == t);
                }
            }
            prev = cur;
        }
        return prev[n];
    }

    /** Whether {@code pattern} contains a wildcard character. */
    static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
