package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * With no linger (MONGO_BATCH_LINGER_MS=0, the default) a record that arrives alone is written at once, not when the
 * consumer's next poll returns: camel-kafka's batching consumer hands a poll's records to the route only at a later
 * poll, and with nothing more to read that poll returns SINK_POLL_TIMEOUT_MS later (SinkConsumers makes it return at
 * once). Here that timeout is 8 s and the record must be stored within 4 s: without the hand-over it takes 8.
 */
class SinkHandOverTest extends PipelineTestSupport {

    @Test
    void aLoneRecordIsStoredWithoutWaitingForTheNextPoll() throws Exception {
        startPipeline(Map.of("sink.poll-timeout-ms", "8000"));
        produce(topic, List.of("{\"id\":1,\"name\":\"first\"}"));
        // the first may wait for the start (the writer's first wait for a batch is that timeout too)
        await().atMost(60, TimeUnit.SECONDS).until(() -> documents().size() == 1);

        produce(topic, List.of("{\"id\":2,\"name\":\"alone\"}"));
        await().atMost(4, TimeUnit.SECONDS).until(() -> documents().size() == 2);
    }
}
