package dev.kafkalearn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No broker when the pipeline starts: it says so once, waits, and all 10 users arrive once a broker is up. */
class KafkaDownAtStartTest extends PipelineTestSupport {

    private static final int PORT = freePort();
    private static final int CONTROLLER_PORT = freePort();

    private final LogCapture log = new LogCapture();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("kafka.brokers", "127.0.0.1:" + PORT);
    }

    @AfterEach
    void stopCapture() {
        log.close();
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
        assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), log.lines().toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
    }

    private static int freePort() {
        try {
            return TestInfrastructure.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
