package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * The pipeline is stopped while Kafka is down and the source retries its first group of users: the stop is graceful
 * (Camel's shutdown does not time out and force the routes down, which interrupts the send with stack traces), and one
 * line says that the rest of the poll was not sent.
 */
class StopWhileKafkaDownTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("kafka.brokers", "127.0.0.1:" + PORT);
    }

    @Test
    void stopWhileKafkaIsDownIsGraceful() throws Exception {
        // one group of 500 elements: were each record to wait max.block.ms (5 s) in turn, as Kafka's send makes it,
        // the group's first retry would come after 40 minutes, not after one such wait
        StringBuilder users = new StringBuilder("[");
        for (int id = 1; id <= 500; id++) {
            users.append(id == 1 ? "" : ",").append("{\"id\":").append(id).append('}');
        }
        INFRA.source.serveJson("/stop-while-kafka-down", users.append(']').toString().getBytes(StandardCharsets.UTF_8));
        startPipeline(Map.of("source.url", INFRA.source.url("/stop-while-kafka-down"), "source.pacing-ms", "0"));
        // the group's send failed (Kafka's max.block.ms) and waits for its retry
        await().atMost(60, TimeUnit.SECONDS)
                .until(() -> !log.containing("the elements wait, nothing is skipped (retry 1)").isEmpty());

        stopGracefullySaying("was not sent: Kafka was not reachable when the pipeline stopped");
    }
}
