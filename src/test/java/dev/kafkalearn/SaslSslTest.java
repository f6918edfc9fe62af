package dev.kafkalearn;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SASL over TLS (KAFKA_SECURITY_PROTOCOL=SASL_SSL) to a listener with a self-signed certificate, trusted through
 * KAFKA_SSL_TRUSTSTORE_LOCATION/PASSWORD: the 10 users go through end to end; the truststore password is masked.
 */
class SaslSslTest extends PipelineTestSupport {

    private static final SecureKafka KAFKA = SecureKafka.get();

    @Override
    protected Map<String, String> addresses() {
        return KAFKA.tlsSettings(SecureKafka.SCRAM_USER, SecureKafka.SCRAM_PASSWORD);
    }

    @Test
    void tlsWithTheTruststoreCarriesTheUsersEndToEnd() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(40, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        assertTrue(!log.containing("Kafka at 127.0.0.1:" + KAFKA.tlsPort + " is reachable (1 broker, cluster id ").isEmpty()
                   && !log.containing("SASL_SSL SCRAM-SHA-512 as " + SecureKafka.SCRAM_USER).isEmpty(), log.lines().toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.message().contains("KAFKA_SSL_TRUSTSTORE_PASSWORD  ****")));
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(SecureKafka.TRUSTSTORE_PASSWORD)
                                                       || l.message().contains(SecureKafka.SCRAM_PASSWORD)));
    }
}
