package dev.kafkalearn.settings;

/**
 * A setting that cannot work, found at start: the message names the environment variable and the bad value (shown
 * masked if it may hold a secret), and what was expected: the one line {@link SettingsCheck} logs before it stops the
 * start.
 */
public class InvalidSetting extends IllegalArgumentException {

    public InvalidSetting(String variable, String value, String expected) {
        super("Invalid setting " + variable + "='" + Secrets.mask(value) + "': expected " + expected, null);
    }

    /** The message is all there is to say: no stack trace in the log. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
