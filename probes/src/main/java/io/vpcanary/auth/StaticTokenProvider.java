package io.vpcanary.auth;

/** A fixed token, for example one handed over by an operator or a CI secret. Never printed by {@link #toString()}. */
public final class StaticTokenProvider implements TokenProvider {

    private final String token;

    private StaticTokenProvider(String token) {
        this.token = token;
    }

    /** A provider answering {@code token} (a leading {@code Bearer } is dropped). */
    public static StaticTokenProvider of(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        String t = token.strip();
        if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
            t = t.substring(7).strip();
        }
        if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("token must be printable ASCII without spaces");
        }
        return new StaticTokenProvider(t);
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "StaticTokenProvider[token=***]";
    }
}
