package dev.kafkalearn;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.ManagementEndpoint.Answer;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liveness and readiness over HTTP: not ready while Kafka is unreachable (here: no broker yet), ready once it is up,
 * not ready while MongoDB is down, ready again once it is back; alive throughout.
 */
class HealthTest extends PipelineTestSupport {

    private static final int KAFKA_PORT = TestInfrastructure.freePort();
    private static final int CONTROLLER_PORT = TestInfrastructure.freePort();
    private static final int MONGO_PORT = TestInfrastructure.freePort();
    private static final int HTTP_PORT = TestInfrastructure.freePort();

    private final ManagementEndpoint endpoint = new ManagementEndpoint(HTTP_PORT);

    @Override
    protected Map<String, String> addresses() {
        return Map.of(
                "kafka.brokers", "127.0.0.1:" + KAFKA_PORT,
                "mongo.uri", "mongodb://127.0.0.1:" + MONGO_PORT + "/?serverSelectionTimeoutMS=1000",
                "management.enabled", "true",
                "management.host", "127.0.0.1",
                "management.port", String.valueOf(HTTP_PORT));
    }

    @Test
    void readinessFollowsKafkaAndMongoWhileLivenessStaysUp() throws Exception {
        LocalMongo mongo = LocalMongo.startInMemory(MONGO_PORT);
        try {
            startPipeline(Map.of());

            await().atMost(20, TimeUnit.SECONDS).until(() -> endpoint.get("/observe/health/live").status() == 200);
            Answer ready = awaitReadiness(503);
            assertTrue(ready.body().contains("\"name\":\"kafka\""), ready.body());
            assertTrue(ready.body().contains("Kafka at 127.0.0.1:" + KAFKA_PORT + " is not reachable"), ready.body());

            try (LocalKafka late = LocalKafka.start(Files.createTempDirectory("health-kafka"), KAFKA_PORT,
                    CONTROLLER_PORT, Map.of("node.id", "3", "controller.quorum.voters", "3@127.0.0.1:" + CONTROLLER_PORT))) {
                ready = awaitReadiness(200);
                assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());

                mongo.close();
                ready = awaitReadiness(503);
                assertTrue(ready.body().contains("\"name\":\"mongodb\""), ready.body());
                assertTrue(ready.body().contains("MongoDB at 127.0.0.1:" + MONGO_PORT + " is not reachable"), ready.body());
                assertEquals(200, endpoint.get("/observe/health/live").status(), "MongoDB down is no reason to restart");

                mongo = LocalMongo.startInMemory(MONGO_PORT);
                awaitReadiness(200);
                context.stop();
            }
        } finally {
            mongo.close();
        }
    }

    private Answer awaitReadiness(int status) {
        Answer[] last = new Answer[1];
        await().atMost(40, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                .until(() -> (last[0] = endpoint.get("/observe/health/ready")).status() == status);
        return last[0];
    }
}
