package dev.kafkalearn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No secret in any log line, error line or metric: the pipeline runs with a Kafka SASL password, a password in
 * MONGO_URI (which the MongoDB-wire server, having no users, refuses: the error path is logged too) and a token in
 * SOURCE_URL; every line any logger of this JVM writes (Kafka's and MongoDB's clients at INFO, their configuration
 * dumps included), with its stack trace, and a real /observe/metrics scrape are searched for each secret.
 */
class NoSecretInLogsOrMetricsTest extends PipelineTestSupport {

    private static final SecureKafka KAFKA = SecureKafka.get();
    private static final String MONGO_PASSWORD = "m0ng0-Pa55word";
    private static final String TOKEN = "t0ken-5ecret";
    private static final int MANAGEMENT_PORT = TestInfrastructure.freePort();
    /** The clients' own loggers, at INFO for this test (the test configuration keeps them at WARN or off). */
    private static final List<String> CLIENT_LOGGERS = List.of("org.apache.kafka", "org.apache.kafka.clients.NetworkClient",
            "org.apache.kafka.clients.admin.internals.AdminMetadataManager", "org.mongodb.driver", "org.apache.camel.component.kafka");

    private final LogCapture everything = LogCapture.everything();
    private final Map<String, Level> levelsBefore = new HashMap<>();

    @Override
    protected Map<String, String> addresses() {
        Map<String, String> settings = new HashMap<>(KAFKA.settings("SCRAM-SHA-512", SecureKafka.SCRAM_USER,
                SecureKafka.SCRAM_PASSWORD));
        settings.put("mongo.uri", "mongodb://admin:" + MONGO_PASSWORD + "@" + TestInfrastructure.get().mongo.uri()
                .substring("mongodb://".length()) + "/?serverSelectionTimeoutMS=2000");
        settings.put("management.enabled", "true");
        settings.put("management.port", String.valueOf(MANAGEMENT_PORT));
        return settings;
    }

    @Test
    void noSecretInAnyLogLineStackTraceOrMetric() throws Exception {
        CLIENT_LOGGERS.forEach(name -> {
            levelsBefore.put(name, LogManager.getLogger(name).getLevel());
            Configurator.setLevel(name, Level.INFO);
        });
        startPipeline(Map.of("source.url", INFRA.source.url("/users?token=" + TOKEN + "&page=1")));

        try (KafkaOffsets kafka = new KafkaOffsets(KAFKA.clientConfig())) {
            await().atMost(60, TimeUnit.SECONDS).until(() -> kafka.records(topic) == 10);
        }
        // the sink met MongoDB's refusal of the credentials (or stored): either way it logged about it
        await().atMost(60, TimeUnit.SECONDS).until(() -> !log.containing("MongoDB").isEmpty()
                && log.lines().stream().anyMatch(l -> l.logger().equals("kafka-to-mongodb")));
        ManagementEndpoint management = new ManagementEndpoint(MANAGEMENT_PORT);
        await().atMost(30, TimeUnit.SECONDS).until(() ->
                ManagementEndpoint.sample(management.scrape(), "kafkalearn_records_sent_total") == 10);
        String scrape = management.scrape();

        List<LogCapture.Line> lines = everything.lines();
        for (String secret : List.of(SecureKafka.SCRAM_PASSWORD, MONGO_PASSWORD, TOKEN)) {
            List<LogCapture.Line> leaks = lines.stream().filter(l -> l.message().contains(secret)
                    || (l.thrown() != null && l.thrown().contains(secret))).toList();
            assertEquals(List.of(), leaks, "no log line or stack trace shows " + secret);
            assertFalse(scrape.contains(secret), "no metric name, label or value shows " + secret);
        }
        // and the search was not empty: where a secret would show (the source URL, the MongoDB URI, the Kafka
        // clients' configuration dumps, the consumer's metrics) was logged or scraped, masked
        assertTrue(lines.stream().anyMatch(l -> l.message().contains("token=****")), "the source URL is logged, masked");
        assertTrue(lines.stream().anyMatch(l -> l.message().contains("admin:****@")), "the MongoDB URI is logged, masked");
        assertTrue(lines.stream().anyMatch(l -> l.message().contains("sasl.jaas.config = [hidden]")),
                "Kafka's clients logged their configuration");
        assertTrue(scrape.contains("kafka_consumer_"), "the Kafka consumer's metrics (their labels) are in the scrape");
        assertTrue(lines.size() > 50, "the search covered the whole run: " + lines.size() + " lines");
    }

    @AfterEach
    void restoreLevels() {
        levelsBefore.forEach(Configurator::setLevel);
        everything.close();
    }
}
