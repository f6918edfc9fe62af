package dev.kafkalearn;

import dev.kafkalearn.settings.Secrets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.kafkalearn.support.LogCapture.Line;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a person reads: one configuration block at start (secrets masked), then under volume a summary line per
 * interval instead of a line per batch; the per-batch lines are still there at DEBUG.
 */
class ProgressTest extends PipelineTestSupport {

    private static final String SECRET = "s3cret-Pa55";
    private static final Pattern STORED = Pattern.compile("^Stored (\\d+) documents");

    @Override
    protected Map<String, String> addresses() {
        return Map.of("progress.batch-lines", "3"); // read by a bean, so at context creation
    }

    @AfterEach
    void resetLevel() {
        Configurator.setLevel("kafka-to-mongodb", Level.INFO);
    }

    @Test
    void configurationBlockAtStartThenASummaryPerIntervalInsteadOfALinePerBatch() throws Exception {
        Configurator.setLevel("kafka-to-mongodb", Level.DEBUG);
        startPipeline(Map.of(
                "source.url", INFRA.source.url("/users"),
                "mongo.batch-size", "10",
                "progress.interval-seconds", "2",
                "kafka.sasl-username", "pipeline",
                "kafka.sasl-password", SECRET));
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        produce(topic, IntStream.rangeClosed(11, 310).mapToObj(i -> "{\"id\": " + i + "}").toList());
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 310);

        await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.logger().equals("progress")
                && l.message().contains("stored 310, dead-lettered 0, lag 0")));
        List<Line> progress = log.lines().stream().filter(l -> l.logger().equals("progress")).toList();
        assertTrue(progress.get(progress.size() - 1).message()
                .matches("Progress: [0-9.]+ documents/s; fetched 10, sent 10, stored 310, dead-lettered 0, lag 0"),
                progress.toString());

        List<Line> batchLines = log.lines().stream()
                .filter(l -> l.logger().equals("kafka-to-mongodb") && STORED.matcher(l.message()).find()).toList();
        long info = batchLines.stream().filter(l -> l.level() == Level.INFO).count();
        long debug = batchLines.stream().filter(l -> l.level() == Level.DEBUG).count();
        assertTrue(info <= 3L * (progress.size() + 1), info + " INFO batch lines for " + progress.size() + " intervals");
        assertTrue(debug > 0, "the other batches at DEBUG");
        assertEquals(310, batchLines.stream().mapToInt(l -> {
            Matcher m = STORED.matcher(l.message());
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }).sum(), "every batch is in the log, at INFO or DEBUG");

        List<Line> configuration = log.lines().stream()
                .filter(l -> l.message().startsWith("Configuration (secrets masked):")).toList();
        assertEquals(1, configuration.size(), "one block");
        String block = configuration.get(0).message();
        assertTrue(block.matches("(?s).*\\n  KAFKA_TOPIC +" + topic + "\\n.*"), block);
        assertTrue(block.matches("(?s).*\\n  KAFKA_SASL_USERNAME +pipeline\\n.*"), block);
        assertTrue(block.matches("(?s).*\\n  KAFKA_SASL_PASSWORD +\\*\\*\\*\\*\\n.*"), block);
        assertTrue(block.matches("(?s).*\\n  MONGO_URI +mongodb://127\\.0\\.0\\.1:\\d+.*"), block);
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(SECRET)), "the password is never logged");
        assertTrue(log.lines().stream().anyMatch(l -> l.message().matches(
                "Kafka at .* is reachable \\(1 broker, cluster id \\S+, PLAINTEXT\\)")), "what it is connected to");
        assertTrue(log.lines().stream().anyMatch(l -> l.message().matches(
                "MongoDB at .* is reachable \\(server version \\S+\\)")));
    }

    @Test
    void secretsAreMaskedInUrisAndParameters() {
        assertEquals("mongodb://app:****@db:27017/?authSource=admin&tls=true",
                Secrets.mask("mongodb://app:s3cret@db:27017/?authSource=admin&tls=true"));
        assertEquals("mongodb+srv://app:****@cluster0.example.net/db",
                Secrets.mask("mongodb+srv://app:p%40ss@cluster0.example.net/db"));
        assertEquals("https://api.example.com/users?page=1&token=****",
                Secrets.mask("https://api.example.com/users?page=1&token=abc123"));
        assertEquals("mongodb://db:27017/?tlsCertificateKeyFilePassword=****",
                Secrets.mask("mongodb://db:27017/?tlsCertificateKeyFilePassword=x"));
        assertEquals("kafka:9092", Secrets.mask("kafka:9092"));
    }
}
