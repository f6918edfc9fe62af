package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that wants SASL SCRAM-SHA-512: with the right credentials (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*) the 10
 * users go through it end to end; the start-up check and a command's Admin client use the same settings; the
 * password appears in no log line.
 */
class SaslScramTest extends PipelineTestSupport {

    private static final SecureKafka KAFKA = SecureKafka.get();
    private static final Map<String, String> SECURITY =
            KAFKA.settings("SCRAM-SHA-512", SecureKafka.SCRAM_USER, SecureKafka.SCRAM_PASSWORD);

    @Override
    protected Map<String, String> addresses() {
        return SECURITY;
    }

    @Test
    void rightCredentialsCarryTheUsersEndToEnd() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(40, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        assertTrue(!log.containing("Kafka at " + KAFKA.bootstrapServers() + " is reachable").isEmpty(), log.lines().toString());

        List<String> topics = runCommand("commands/topics", SECURITY);
        assertTrue(String.join("\n", topics).lines().anyMatch(topic::equals), "the topics command lists " + topic + " over SASL: " + topics);

        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(SecureKafka.SCRAM_PASSWORD)),
                "the password is in no log line");
    }
}
