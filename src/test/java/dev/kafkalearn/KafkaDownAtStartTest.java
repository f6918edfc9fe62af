package dev.kafkalearn;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** No broker when the pipeline starts: it says so once, waits, and all 10 users arrive once a broker is up. */
class KafkaDownAtStartTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();
    private static final int CONTROLLER_PORT = TestInfrastructure.freePort();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("kafka.brokers", "127.0.0.1:" + PORT);
    }

    @Test
    void waitsForKafkaAndLosesNothing() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> !log.containing("Kafka at 127.0.0.1:" + PORT + " is not reachable yet").isEmpty());

        try (LocalKafka late = LocalKafka.start(Files.createTempDirectory("late-kafka"), PORT, CONTROLLER_PORT,
                Map.of("node.id", "2", "controller.quorum.voters", "2@127.0.0.1:" + CONTROLLER_PORT))) {
            await().atMost(90, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
            context.stop();
        }
        // says so once: the one start-up line, however long the broker took
        assertEquals(1, log.containing("is not reachable yet").size(), log.lines().toString());
        log.assertNoErrorsNorStackTraces();
    }
}
