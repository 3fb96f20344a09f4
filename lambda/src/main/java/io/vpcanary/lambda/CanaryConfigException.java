package io.vpcanary.lambda;

/**
 * A configuration the canary cannot run with: an unknown vantage, an unreadable or invalid estate, a bad duration, a
 * bad number. Its message is one line naming the setting; it carries no stack trace (the function's log shows the
 * line, not a trace), and never a secret.
 */
public final class CanaryConfigException extends RuntimeException {

    public CanaryConfigException(String message) {
        super(oneLine(message), null, false, false);
    }

    private static String oneLine(String message) {
        return message == null ? "bad configuration" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
