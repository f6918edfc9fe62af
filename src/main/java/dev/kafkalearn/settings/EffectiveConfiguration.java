package dev.kafkalearn.settings;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one block with every setting of application.properties as the pipeline runs with it (environment variable
 * or default), secrets masked by rule ({@link Setting#shown}). The list is the file's: a setting added there shows here.
 */
public class EffectiveConfiguration implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-learn");

    private CamelContext camelContext;

    public void report() {
        LOG.info(block());
    }

    /** The block as logged. */
    public String block() {
        StringBuilder block = new StringBuilder("Configuration (secrets masked):");
        for (Setting setting : SettingsFile.of(camelContext)) {
            String value = setting.valueIn(camelContext);
            String shown = value == null || value.isEmpty() ? "(not set)" : setting.shown(value);
            block.append(String.format("%n  %-30s %s", setting.variable(), shown));
        }
        return block.toString();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
