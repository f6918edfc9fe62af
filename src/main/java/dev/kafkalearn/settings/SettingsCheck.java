package dev.kafkalearn.settings;

import java.net.URI;
import java.net.URISyntaxException;

import com.mongodb.ConnectionString;

/**
 * The settings, checked before anything uses them: a value that cannot work stops the start with one message naming
 * the environment variable and the bad value ({@link InvalidSetting}). Each setter checks its own setting; camel-main
 * sets them from application.properties (bean {@code settings}, declared before the beans that use them). Whether
 * Kafka or MongoDB answers is not checked here: an unreachable dependency is waited for, it is no configuration error.
 */
public class SettingsCheck {

    /** MONGO_URI first: the MongoDB client bean is created from it before any setter here runs. */
    public SettingsCheck(String mongoUri) {
        setMongoUri(mongoUri);
    }

    public void setSourceUrl(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidSetting("SOURCE_URL", value, "an http:// or https:// URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSetting("SOURCE_URL", value, "a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    public void setSourcePacingMs(String value) {
        number("SOURCE_PACING_MS", value, 0, "a pause in milliseconds, 0 or more");
    }

    public void setSourceKeyField(String value) {
        notBlank("SOURCE_KEY_FIELD", value, "a field name");
    }

    public void setKafkaBrokers(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSetting("KAFKA_BROKERS", value, "host:port[,host:port...]");
        }
        for (String broker : value.split(",")) {
            String b = broker.trim();
            int colon = b.lastIndexOf(':');
            boolean ok = colon > 0 && colon < b.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(b.substring(colon + 1));
                    ok = port >= 1 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new InvalidSetting("KAFKA_BROKERS", value, "host:port[,host:port...], and '" + b + "' is not host:port");
            }
        }
    }

    public void setKafkaTopic(String value) {
        topic("KAFKA_TOPIC", value);
    }

    public void setKafkaDlqTopic(String value) {
        topic("KAFKA_DLQ_TOPIC", value);
    }

    public void setKafkaGroupId(String value) {
        notBlank("KAFKA_GROUP_ID", value, "a consumer group name");
    }

    public void setKafkaSessionTimeoutMs(String value) {
        number("KAFKA_SESSION_TIMEOUT_MS", value, 1, "milliseconds, more than 0");
    }

    public void setKafkaMaxPollIntervalMs(String value) {
        number("KAFKA_MAX_POLL_INTERVAL_MS", value, 1, "milliseconds, more than 0");
    }

    public void setMongoUri(String value) {
        try {
            new ConnectionString(value.trim());
        } catch (RuntimeException e) {
            throw new InvalidSetting("MONGO_URI", value, "a MongoDB connection string, mongodb://host[:port][/?options] ("
                    + Secrets.mask(e.getMessage()) + ")");
        }
    }

    public void setMongoDatabase(String value) {
        notBlank("MONGO_DATABASE", value, "a database name");
        if (value.contains("/") || value.contains(".") || value.contains(" ")) {
            throw new InvalidSetting("MONGO_DATABASE", value, "a database name without '/', '.' or spaces");
        }
    }

    public void setMongoCollection(String value) {
        notBlank("MONGO_COLLECTION", value, "a collection name");
    }

    public void setMongoBatchSize(String value) {
        number("MONGO_BATCH_SIZE", value, 1, "a whole number of records, 1 or more");
    }

    public void setManagementPort(String value) {
        int port = number("MANAGEMENT_PORT", value, 0, "a port from 0 to 65535");
        if (port > 65535) {
            throw new InvalidSetting("MANAGEMENT_PORT", value, "a port from 0 to 65535");
        }
    }

    public void setProgressIntervalSeconds(String value) {
        number("PROGRESS_INTERVAL_SECONDS", value, 1, "seconds, 1 or more");
    }

    public void setProgressBatchLines(String value) {
        number("PROGRESS_BATCH_LINES", value, 0, "a number of lines, 0 or more");
    }

    /**
     * Empty is refused here. A name Kafka would refuse (e.g. with a space) is left to the one using it: the topics
     * command says so in its own words, and Kafka refuses it to the pipeline.
     */
    private static void topic(String variable, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSetting(variable, value, "a topic name (it is empty)");
        }
    }

    private static void notBlank(String variable, String value, String expected) {
        if (value == null || value.isBlank()) {
            throw new InvalidSetting(variable, value, expected + " (it is empty)");
        }
    }

    private static int number(String variable, String value, int min, String expected) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidSetting(variable, value, expected);
    }
}
