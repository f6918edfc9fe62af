package dev.kafkalearn.settings;

import org.apache.camel.CamelContext;
import org.apache.camel.util.SensitiveUtils;

/**
 * One setting as application.properties declares it: {@code property = {{env:VARIABLE:default}}} with the comment
 * above it. Whether it is a secret is decided by rule (Camel's list of secret-looking keys), never by a hand flag.
 */
public record Setting(String property, String variable, String defaultValue, String description) {

    /** The value the context runs with (environment variable, default, or a test's override); null if not declared. */
    public String valueIn(CamelContext context) {
        return context.getPropertiesComponent().resolveProperty(property)
                .map(context::resolvePropertyPlaceholders).orElse(null);
    }

    /** A password or the like: shown as **** when set. Request headers count too: they carry API keys and the like. */
    public boolean secret() {
        return SensitiveUtils.containsSensitive(property) || property.endsWith(".headers");
    }

    /** The value as a person may see it: a secret hidden, any password inside a URI or parameter masked. */
    public String shown(String value) {
        return secret() ? Secrets.hide(value) : Secrets.maskUri(value);
    }
}
