package dev.kafkalearn.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.LoggerFactory;

/**
 * Every setting of application.properties checked once, by its rule in {@link Rules#TABLE}, before anything uses it: a
 * value that cannot work stops the start with one ERROR line naming the variable and its value (masked), exit code 1.
 * <p>
 * Declared as the first bean (camel-main creates the beans in the file's order, under the jar and under
 * {@code camel run} alike), it checks when Camel hands it the context: before the MongoDB client bean is created from
 * MONGO_URI and long before any route starts. It ends the JVM itself because {@code camel run} would print any exception
 * thrown from a bean as a stack trace. Whether Kafka or MongoDB answers is not checked here: an unreachable
 * dependency is waited for, it is no configuration error.
 */
public class SettingsCheck implements CamelContextAware {

    private CamelContext camelContext;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        firstProblem(SettingsFile.of(camelContext), camelContext).ifPresent(problem -> {
            LoggerFactory.getLogger("kafka-learn").error("Not started: {}", problem.getMessage());
            System.exit(1);
        });
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** The first setting whose value breaks its rule, if any. */
    public static Optional<InvalidSetting> firstProblem(List<Setting> settings, CamelContext context) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting setting : settings) {
            String value = setting.valueIn(context);
            values.put(setting.variable(), value == null ? "" : value);
        }
        return firstProblem(settings, values);
    }

    /** The first setting (of {@code settings}, values by variable) whose value breaks its rule, if any. */
    public static Optional<InvalidSetting> firstProblem(List<Setting> settings, Map<String, String> values) {
        for (Setting setting : settings) {
            Rule rule = Rules.TABLE.get(setting.variable());
            String value = values.get(setting.variable());
            if (rule != null && !rule.check().accepts(value, values)) {
                return Optional.of(new InvalidSetting(setting.variable(), setting.shown(value), rule.expected()));
            }
        }
        return Optional.empty();
    }
}
