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
     * colons. Case-sensitive. The literal prefix before the first wildcard is compared directly; the rest by dynamic
     * programming, O(pattern x text), with two rows allocated per call.
     */
    static boolean matchesArn(String pattern, String text) {
        int first = firstWildcard(pattern);
        if (first < 0) {
            return pattern.equals(text);
        }
        // The literal part before the first wildcard must match as is: most mismatches end here.
        if (!text.regionMatches(0, pattern, 0, first)) {
            return false;
        }
        if (first == pattern.length() - 1 && pattern.charAt(first) == '*') {
            return true; // a trailing '*' may expand across colons: it matches any rest
        }
        // Dynamic programming over what follows the literal prefix, with two reused rows.
        int n = text.length() - first;
        boolean[] prev = new boolean[n + 1];
        boolean[] cur = new boolean[n + 1];
        prev[0] = true;
        for (int i = first; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                boolean crossesColons = i + 1 == pattern.length() || pattern.charAt(i + 1) == ':';
                cur[0] = prev[0];
                for (int j = 1; j <= n; j++) {
                    cur[j] = prev[j] || (cur[j - 1] && (crossesColons || text.charAt(first + j - 1) != ':'));
                }
            } else {
                cur[0] = false;
                for (int j = 1; j <= n; j++) {
                    char t = text.charAt(first + j - 1);
                    cur[j] = prev[j - 1] && (c == '?' ? t != ':' : c == t);
                }
            }
            boolean[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[n];
    }

    private static int firstWildcard(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?') {
                return i;
            }
        }
        return -1;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }
}
