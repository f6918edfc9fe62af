package dev.kafkalearn;

import dev.kafkalearn.ops.DependencyCheck;

import java.util.List;
import java.util.Map;

import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.LogCapture.Line;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong password is no outage to wait for: the start fails with one clear message naming the broker, the mechanism
 * and the user, before any route could retry the credentials; the password appears nowhere.
 */
class SaslWrongPasswordTest extends PipelineTestSupport {

    private static final String WRONG = "not-the-Pa55word";
    private static final SecureKafka KAFKA = SecureKafka.get();

    @Override
    protected Map<String, String> addresses() {
        Map<String, String> settings = new java.util.HashMap<>(
                KAFKA.settings("SCRAM-SHA-512", SecureKafka.SCRAM_USER, WRONG));
        return settings;
    }

    @Test
    void wrongPasswordStopsTheStartWithOneClearMessage() throws Exception {
        Exception refused = assertThrows(Exception.class,
                () -> startPipeline(Map.of("source.url", INFRA.source.url("/users"))));
        Throwable cause = refused;
        while (!(cause instanceof DependencyCheck.RefusedCredentials) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertEquals("Kafka at " + KAFKA.bootstrapServers() + " refused the pipeline's credentials (SASL_PLAINTEXT "
                     + "SCRAM-SHA-512 as pipeline): Authentication failed during authentication due to invalid "
                     + "credentials with SASL mechanism SCRAM-SHA-512. Check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD "
                     + "(or the TLS settings)", cause.getMessage());

        assertTrue(context.getRoutes().stream().noneMatch(r -> context.getRouteController().getRouteStatus(r.getId())
                .isStarted()), "no route started, so nothing retries the credentials");
        assertFalse(context.isStarted(), "the pipeline did not start: " + context.getStatus());
        // the refusal is reported by Camel's failed start, at most twice (its WARN and its ERROR, no stack trace), and
        // nothing else complains (no retry loop)
        List<Line> noise = log.lines().stream().filter(l -> l.level().isMoreSpecificThan(Level.WARN)).toList();
        List<Line> refusals = log.containing("refused the pipeline's credentials");
        assertTrue(refusals.size() >= 1 && refusals.size() <= 2, "the refusal, said once by each of Camel's lines: " + refusals);
        assertEquals(refusals, noise, "no retry loop, no other complaint");
        assertTrue(refusals.stream().noneMatch(Line::withStackTrace), refusals.toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(WRONG)
                || (l.thrown() != null && l.thrown().contains(WRONG))), "the password is in no log line");
        assertTrue(String.valueOf(refused).indexOf(WRONG) < 0);
        // nothing consumed, nothing sent: Kafka has no committed offset of the group, and the topic no record
        try (KafkaOffsets kafka = new KafkaOffsets(KAFKA.clientConfig())) {
            assertEquals(Map.of(), kafka.committed(groupId, topic), "no offset committed");
            assertEquals(0, kafka.records(topic), "no record sent");
        }
    }
}
