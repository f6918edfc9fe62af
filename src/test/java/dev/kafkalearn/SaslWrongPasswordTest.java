package dev.kafkalearn;

import dev.kafkalearn.ops.DependencyCheck;

import java.util.List;
import java.util.Map;

import dev.kafkalearn.support.LogCapture.Line;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        // Camel reports the failed start (a WARN and an ERROR, both with this message and no stack trace); nothing else
        List<Line> noise = log.lines().stream().filter(l -> l.level().isMoreSpecificThan(Level.WARN)).toList();
        assertTrue(noise.size() <= 2 && noise.stream().allMatch(l -> l.message().contains("refused the pipeline's credentials")),
                "no retry loop, no other complaint: " + noise);
        assertTrue(log.lines().stream().noneMatch(l -> l.message().contains(WRONG)), "the password is in no log line");
        assertTrue(String.valueOf(refused).indexOf(WRONG) < 0);
        assertEquals(0, collection().countDocuments());
    }
}
