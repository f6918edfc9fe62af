package dev.kafkalearn.settings;

import java.util.Map;
import java.util.function.Predicate;

/**
 * What a setting's value must be, in words (the {@code expected} of an {@link InvalidSetting}) and as a test. The test
 * may look at the other settings (e.g. a SASL password is needed only when the security protocol is SASL_*).
 */
public record Rule(String expected, Check check) {

    /** Is the value fine, given every setting's value (by variable name)? */
    @FunctionalInterface
    public interface Check {
        boolean accepts(String value, Map<String, String> settings);
    }

    static Rule of(String expected, Predicate<String> accepts) {
        return new Rule(expected, (value, settings) -> accepts.test(value));
    }

    /** Free text: any value works (a name Kafka or the source checks itself, or an optional one). */
    public boolean freeText() {
        return expected.startsWith(Rules.FREE_TEXT);
    }

    /** Only when another setting says so, e.g. {@code when("KAFKA_SECURITY_PROTOCOL", p -> p.startsWith("SASL_"))}. */
    Rule when(String variable, Predicate<String> condition, String because) {
        return new Rule(expected + " (" + because + ")", (value, settings) ->
                !condition.test(settings.getOrDefault(variable, "")) || check.accepts(value, settings));
    }
}
