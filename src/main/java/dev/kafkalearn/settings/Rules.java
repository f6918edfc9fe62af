package dev.kafkalearn.settings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.mongodb.ConnectionString;
import dev.kafkalearn.transform.JqTransform;

/**
 * The one table of what each setting of application.properties must be, by environment variable. A new setting adds
 * one line here (a rule, or {@link #freeText} when any value works); SettingsRulesTest fails while one is missing.
 */
public final class Rules {

    static final String FREE_TEXT = "free text";

    private static final Rule PORT = range("a port from 0 to 65535", 0, 65535);
    private static final Rule POSITIVE = range("a whole number, 1 or more", 1, Integer.MAX_VALUE);
    private static final Rule NON_NEGATIVE = range("a whole number, 0 or more", 0, Integer.MAX_VALUE);
    private static final Rule BOOLEAN = oneOf("true", "false");
    private static final Rule NAME = Rule.of("a name, not empty", value -> !value.isBlank());
    private static final Rule TOPIC = Rule.of("a topic name, not empty", value -> !value.isBlank());
    private static final Rule HTTP_URL = Rule.of("an http:// or https:// URL with a host", Rules::httpUrl);
    private static final Rule MONGO_URI = Rule.of("a MongoDB connection string, mongodb://host[:port][/?options]",
            Rules::mongoUri);
    private static final Rule BROKERS = Rule.of("host:port[,host:port...]",
            value -> !value.isBlank() && Arrays.stream(value.split(",")).allMatch(Rules::hostAndPort));
    private static final Rule MONGO_DATABASE = Rule.of("a database name without '/', '.' or spaces",
            value -> !value.isBlank() && !value.contains("/") && !value.contains(".") && !value.contains(" "));
    private static final Rule STORE_FILE = Rule.of("a readable PKCS12 or JKS file, or empty", v -> v.isBlank()
            || v.trim().startsWith("classpath:") || Files.isReadable(Path.of(v.trim().replaceFirst("^file:", ""))));
    private static final Rule JQ = Rule.of("a jq expression that compiles, or empty", Rules::jq);
    private static final String SASL = "KAFKA_SECURITY_PROTOCOL";
    private static final String AUTH = "SOURCE_AUTH";

    /** ENV_NAME -> rule, in the order of application.properties. */
    public static final Map<String, Rule> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("SOURCE_URL", HTTP_URL);
        TABLE.put("SOURCE_PACING_MS", NON_NEGATIVE);
        TABLE.put("SOURCE_PACING_LIMIT", NON_NEGATIVE);
        TABLE.put("SOURCE_BATCH_SIZE", POSITIVE);
        TABLE.put("SOURCE_IN_FLIGHT", POSITIVE);
        TABLE.put("SOURCE_KEY_FIELD", NAME);
        TABLE.put("SOURCE_TIMEOUT_MS", POSITIVE);
        TABLE.put("SOURCE_POLL_INTERVAL_MS", NON_NEGATIVE);
        TABLE.put("SOURCE_RETRIES", NON_NEGATIVE);
        TABLE.put("SOURCE_ENABLED", BOOLEAN);
        TABLE.put("SOURCE_PAGINATION", oneOf("none", "page", "link"));
        TABLE.put("SOURCE_PAGE_PARAM", NAME);
        TABLE.put("SOURCE_LIMIT_PARAM", freeText("empty sends no limit parameter"));
        TABLE.put("SOURCE_PAGE_SIZE", POSITIVE);
        TABLE.put("SOURCE_FIRST_PAGE", NON_NEGATIVE);
        TABLE.put("SOURCE_MAX_PAGES", POSITIVE);
        TABLE.put("SOURCE_CHANGE_DETECTION", oneOf("auto", "on", "off", "true", "false"));
        TABLE.put("SOURCE_STATE_TOPIC", TOPIC);
        TABLE.put("SOURCE_DELETES", BOOLEAN);
        TABLE.put("SOURCE_TRANSFORM", JQ);
        TABLE.put(AUTH, oneOf("none", "basic", "bearer", "oauth2"));
        TABLE.put("SOURCE_USERNAME", NAME.when(AUTH, "basic"::equalsIgnoreCase, "SOURCE_AUTH is basic"));
        TABLE.put("SOURCE_PASSWORD", freeText("empty = no password"));
        TABLE.put("SOURCE_TOKEN", Rule.of("a token", v -> !v.isBlank()).when(AUTH, "bearer"::equalsIgnoreCase,
                "SOURCE_AUTH is bearer"));
        TABLE.put("SOURCE_OAUTH2_TOKEN_URL", HTTP_URL.when(AUTH, "oauth2"::equalsIgnoreCase, "SOURCE_AUTH is oauth2"));
        TABLE.put("SOURCE_OAUTH2_CLIENT_ID", NAME.when(AUTH, "oauth2"::equalsIgnoreCase, "SOURCE_AUTH is oauth2"));
        TABLE.put("SOURCE_OAUTH2_CLIENT_SECRET", Rule.of("a client secret", v -> !v.isEmpty()).when(AUTH,
                "oauth2"::equalsIgnoreCase, "SOURCE_AUTH is oauth2"));
        TABLE.put("SOURCE_OAUTH2_SCOPE", freeText("empty = the token endpoint's default scope"));
        TABLE.put("SOURCE_HEADERS", Rule.of("Name: value[; Name: value...]", HeaderList::valid));
        TABLE.put("SOURCE_RETRY_AFTER_MAX_MS", NON_NEGATIVE);
        TABLE.put("SOURCE_TRUSTSTORE", STORE_FILE);
        TABLE.put("SOURCE_TRUSTSTORE_PASSWORD", freeText("empty = a truststore without password"));
        TABLE.put("SOURCE_KEYSTORE", STORE_FILE);
        TABLE.put("SOURCE_KEYSTORE_PASSWORD", freeText("empty = a keystore without password"));
        TABLE.put("KAFKA_BROKERS", BROKERS);
        TABLE.put("KAFKA_TOPIC", TOPIC);
        TABLE.put("KAFKA_DLQ_TOPIC", TOPIC);
        TABLE.put("KAFKA_GROUP_ID", NAME);
        TABLE.put("KAFKA_SESSION_TIMEOUT_MS", POSITIVE);
        TABLE.put("KAFKA_MAX_POLL_INTERVAL_MS", POSITIVE);
        TABLE.put("KAFKA_LINGER_MS", NON_NEGATIVE);
        TABLE.put("KAFKA_BATCH_SIZE", NON_NEGATIVE);
        TABLE.put("KAFKA_COMPRESSION", oneOf("none", "gzip", "snappy", "lz4", "zstd"));
        TABLE.put("KAFKA_PARTITION_ASSIGNOR", freeText("class names Kafka checks itself"));
        TABLE.put("KAFKA_GROUP_INSTANCE_ID", freeText("empty = no static membership"));
        TABLE.put(SASL, oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"));
        TABLE.put("KAFKA_SASL_MECHANISM", oneOf("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN").when(SASL, Rules::sasl,
                "with KAFKA_SECURITY_PROTOCOL SASL_*"));
        TABLE.put("KAFKA_SASL_USERNAME", Rule.of("a user name", v -> !v.isBlank()).when(SASL, Rules::sasl,
                "KAFKA_SECURITY_PROTOCOL is SASL_*"));
        TABLE.put("KAFKA_SASL_PASSWORD", Rule.of("a password", v -> !v.isEmpty()).when(SASL, Rules::sasl,
                "KAFKA_SECURITY_PROTOCOL is SASL_*"));
        TABLE.put("KAFKA_SSL_TRUSTSTORE_LOCATION", Rule.of("a readable truststore file",
                v -> v.isBlank() || Files.isReadable(Path.of(v.trim()))).when(SASL, Rules::tls, "TLS is on"));
        TABLE.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", freeText("empty = a truststore without password"));
        TABLE.put("MONGO_URI", MONGO_URI);
        TABLE.put("MONGO_TLS_CA_FILE", Rule.of("a readable PEM file, or empty",
                v -> v.isBlank() || Files.isReadable(Path.of(v.trim()))));
        TABLE.put("MONGO_USERNAME", freeText("empty = the user of MONGO_URI, if any"));
        TABLE.put("MONGO_PASSWORD", freeText("any characters, no percent-encoding"));
        TABLE.put("MONGO_DATABASE", MONGO_DATABASE);
        TABLE.put("MONGO_COLLECTION", NAME);
        TABLE.put("MONGO_BATCH_SIZE", POSITIVE);
        TABLE.put("MONGO_BATCH_LINGER_MS", NON_NEGATIVE);
        TABLE.put("MONGO_WRITE_MODEL", oneOf("replace", "merge", "insert"));
        TABLE.put("SINK_BATCHES_AHEAD", POSITIVE);
        TABLE.put("SINK_POLL_TIMEOUT_MS", POSITIVE);
        TABLE.put("SINK_COMMIT_INTERVAL_MS", NON_NEGATIVE);
        TABLE.put("SINK_DRAIN_TIMEOUT_MS", NON_NEGATIVE);
        TABLE.put("SINK_DEAD_LETTER_LOOKBACK_MS", NON_NEGATIVE);
        TABLE.put("SINK_DEAD_LETTER_MAX_BYTES", range("a size in bytes, 1024 or more", 1024, Integer.MAX_VALUE));
        TABLE.put("SINK_TRANSFORM", JQ);
        TABLE.put("SINK_TRANSFORM_TIMEOUT_MS", POSITIVE);
        TABLE.put("SOURCE_TRANSFORM_TIMEOUT_MS", POSITIVE);
        TABLE.put("SINK_SCHEMA", Rule.of("a readable JSON Schema file, or empty", SchemaFile::valid));
        TABLE.put("MANAGEMENT_ENABLED", BOOLEAN);
        TABLE.put("MANAGEMENT_HOST", NAME);
        TABLE.put("MANAGEMENT_PORT", PORT);
        TABLE.put("MANAGEMENT_DEV_CONSOLE", BOOLEAN);
        TABLE.put("JAR_CLASS_ARCHIVE", BOOLEAN);
        TABLE.put("METRICS_KAFKA_CLIENT_REFRESH_SECONDS", POSITIVE);
        TABLE.put("PROGRESS_INTERVAL_SECONDS", POSITIVE);
        TABLE.put("PROGRESS_BATCH_LINES", NON_NEGATIVE);
        // a command's arguments: the command checks them and answers in its own words (bin/kafka-learn topics ...)
        TABLE.put("TOPICS_ACTION", freeText("checked by the topics command"));
        TABLE.put("TOPICS_PARTITIONS", freeText("checked by the topics command"));
        TABLE.put("TOPICS_REPLICATION_FACTOR", freeText("checked by the topics command"));
        TABLE.put("REPLAY_FROM", freeText("checked by the replay command"));
        TABLE.put("ROUTES", freeText("route files Camel loads"));
    }

    private Rules() {
    }

    /** Any value works; {@code why} says why no rule fits. */
    static Rule freeText(String why) {
        return Rule.of(FREE_TEXT + ": " + why, value -> true);
    }

    static Rule oneOf(String... values) {
        return Rule.of("one of " + String.join(", ", values),
                value -> Arrays.stream(values).anyMatch(v -> v.equalsIgnoreCase(value.trim())));
    }

    static Rule range(String expected, int min, int max) {
        return Rule.of(expected, value -> {
            try {
                int n = Integer.parseInt(value.trim());
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        });
    }

    private static boolean jq(String expression) {
        try {
            JqTransform.compile("", expression);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sasl(String protocol) {
        return protocol.trim().toUpperCase(Locale.ROOT).startsWith("SASL_");
    }

    private static boolean tls(String protocol) {
        String p = protocol.trim().toUpperCase(Locale.ROOT);
        return p.equals("SSL") || p.equals("SASL_SSL");
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean mongoUri(String value) {
        try {
            new ConnectionString(value.trim());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean hostAndPort(String broker) {
        String b = broker.trim();
        int colon = b.lastIndexOf(':');
        if (colon <= 0 || colon == b.length() - 1) {
            return false;
        }
        try {
            int port = Integer.parseInt(b.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
