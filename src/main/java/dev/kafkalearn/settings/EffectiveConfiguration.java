package dev.kafkalearn.settings;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one block with every setting the pipeline runs with, as resolved (environment variable or default), secrets
 * masked: KAFKA_SASL_PASSWORD and KAFKA_SSL_TRUSTSTORE_PASSWORD are ****, a password in MONGO_URI or SOURCE_URL too.
 */
public class EffectiveConfiguration implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-learn");

    private record Setting(String variable, String property, boolean secret) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("SOURCE_URL", "source.url", false),
            new Setting("SOURCE_PACING_MS", "source.pacing-ms", false),
            new Setting("SOURCE_PACING_LIMIT", "source.pacing-limit", false),
            new Setting("SOURCE_BATCH_SIZE", "source.batch-size", false),
            new Setting("SOURCE_IN_FLIGHT", "source.in-flight", false),
            new Setting("SOURCE_KEY_FIELD", "source.key-field", false),
            new Setting("SOURCE_TIMEOUT_MS", "source.timeout-ms", false),
            new Setting("SOURCE_POLL_INTERVAL_MS", "source.poll-interval-ms", false),
            new Setting("SOURCE_RETRIES", "source.retries", false),
            new Setting("SOURCE_ENABLED", "source.enabled", false),
            new Setting("SOURCE_PAGINATION", "source.pagination", false),
            new Setting("SOURCE_CHANGE_DETECTION", "source.change-detection", false),
            new Setting("SOURCE_STATE_TOPIC", "source.state-topic", false),
            new Setting("SOURCE_DELETES", "source.deletes", false),
            new Setting("KAFKA_BROKERS", "kafka.brokers", false),
            new Setting("KAFKA_TOPIC", "kafka.topic", false),
            new Setting("KAFKA_DLQ_TOPIC", "kafka.dlq-topic", false),
            new Setting("KAFKA_GROUP_ID", "kafka.group-id", false),
            new Setting("KAFKA_SECURITY_PROTOCOL", "kafka.security-protocol", false),
            new Setting("KAFKA_SASL_MECHANISM", "kafka.sasl-mechanism", false),
            new Setting("KAFKA_SASL_USERNAME", "kafka.sasl-username", false),
            new Setting("KAFKA_SASL_PASSWORD", "kafka.sasl-password", true),
            new Setting("KAFKA_SSL_TRUSTSTORE_LOCATION", "kafka.ssl-truststore-location", false),
            new Setting("KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka.ssl-truststore-password", true),
            new Setting("KAFKA_SESSION_TIMEOUT_MS", "kafka.session-timeout-ms", false),
            new Setting("KAFKA_MAX_POLL_INTERVAL_MS", "kafka.max-poll-interval-ms", false),
            new Setting("KAFKA_PARTITION_ASSIGNOR", "kafka.partition-assignor", false),
            new Setting("KAFKA_GROUP_INSTANCE_ID", "kafka.group-instance-id", false),
            new Setting("KAFKA_LINGER_MS", "kafka.linger-ms", false),
            new Setting("KAFKA_BATCH_SIZE", "kafka.batch-size", false),
            new Setting("KAFKA_COMPRESSION", "kafka.compression", false),
            new Setting("MONGO_URI", "mongo.uri", false),
            new Setting("MONGO_TLS_CA_FILE", "mongo.tls-ca-file", false),
            new Setting("MONGO_USERNAME", "mongo.username", false),
            new Setting("MONGO_PASSWORD", "mongo.password", true),
            new Setting("MONGO_DATABASE", "mongo.database", false),
            new Setting("MONGO_COLLECTION", "mongo.collection", false),
            new Setting("MONGO_BATCH_SIZE", "mongo.batch-size", false),
            new Setting("MONGO_BATCH_LINGER_MS", "mongo.batch-linger-ms", false),
            new Setting("MANAGEMENT_ENABLED", "management.enabled", false),
            new Setting("MANAGEMENT_HOST", "management.host", false),
            new Setting("MANAGEMENT_PORT", "management.port", false),
            new Setting("MANAGEMENT_DEV_CONSOLE", "management.dev-console", false),
            new Setting("PROGRESS_INTERVAL_SECONDS", "progress.interval-seconds", false),
            new Setting("PROGRESS_BATCH_LINES", "progress.batch-lines", false));

    private CamelContext camelContext;

    public void report() {
        StringBuilder block = new StringBuilder("Configuration (secrets masked):");
        for (Setting setting : SETTINGS) {
            String value = camelContext.getPropertiesComponent().resolveProperty(setting.property())
                    .map(camelContext::resolvePropertyPlaceholders).orElse(null);
            if (value == null) {
                continue; // a setting of a newer version, not in this application.properties
            }
            String shown = setting.secret() ? Secrets.hide(value) : Secrets.mask(value);
            block.append(String.format("%n  %-30s %s", setting.variable(), shown.isEmpty() ? "(not set)" : shown));
        }
        LOG.info(block.toString());
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
