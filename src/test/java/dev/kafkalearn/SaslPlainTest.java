package dev.kafkalearn;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same SASL listener with mechanism PLAIN (KAFKA_SASL_MECHANISM=PLAIN): the 10 users go through end to end. */
class SaslPlainTest extends PipelineTestSupport {

    private static final SecureKafka KAFKA = SecureKafka.get();

    @Override
    protected Map<String, String> addresses() {
        return KAFKA.settings("PLAIN", SecureKafka.PLAIN_USER, SecureKafka.PLAIN_PASSWORD);
    }

    @Test
    void plainMechanismCarriesTheUsersEndToEnd() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(40, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        assertTrue(!log.containing("is reachable (1 broker, cluster id ").isEmpty()
                   && !log.containing("SASL_PLAINTEXT PLAIN as " + SecureKafka.PLAIN_USER).isEmpty(), log.lines().toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(SecureKafka.PLAIN_PASSWORD)));
    }
}
