package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the sink's consumer hands what it reads to the writer when records trickle in (SinkConsumers).
 */
class SinkHandOverTest extends PipelineTestSupport {

    /**
     * With no linger (MONGO_BATCH_LINGER_MS=0, the default) a record that arrives alone is written at once, not when
     * the consumer's next poll returns: camel-kafka's batching consumer hands a poll's records to the route only at a
     * later poll, and with nothing more to read that poll returns SINK_POLL_TIMEOUT_MS later (SinkConsumers makes it
     * return at once). Here that timeout is 8 s and the record must be stored within 4 s: without the hand-over it
     * takes 8.
     */
    @Test
    void aLoneRecordIsStoredWithoutWaitingForTheNextPoll() throws Exception {
        startPipeline(Map.of("sink.poll-timeout-ms", "8000"));
        produce(topic, List.of("{\"id\":1,\"name\":\"first\"}"));
        // the first may wait for the start (the writer's first wait for a batch is that timeout too)
        await().atMost(60, TimeUnit.SECONDS).until(() -> documents().size() == 1);

        produce(topic, List.of("{\"id\":2,\"name\":\"alone\"}"));
        await().atMost(4, TimeUnit.SECONDS).until(() -> documents().size() == 2);
    }

    /**
     * Records read while the writer stores a batch are written together, as one batch, the moment it is done: here
     * MongoDB's write of record 2 is held while records 3, 4 and 5 arrive one at a time, and each is read (the
     * consumer's records-consumed count) before the next is sent. Handed over as read, 3 would wait alone behind 2
     * and be written by itself; had the consumer stopped reading until the writer is free, 3-5 would not be read
     * before the write of 2 is let go.
     */
    @Test
    void recordsReadWhileTheWriterIsBusyAreWrittenTogetherOnceItIsFree() throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AdviceWith.adviceWith(context, "store-batch", route -> route.weaveByToString(".*bulkWrites.*").before()
                .process(exchange -> {
                    if (hold.get()) {
                        holding.countDown();
                        release.await(60, TimeUnit.SECONDS);
                    }
                }));
        startPipeline(Map.of());
        produce(topic, List.of(user(1)));
        await().atMost(60, TimeUnit.SECONDS).until(() -> documents().size() == 1);

        hold.set(true);
        produce(topic, List.of(user(2)));
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the writer took record 2");
        for (int id = 3; id <= 5; id++) {
            produce(topic, List.of(user(id)));
            long read = id;
            await().atMost(30, TimeUnit.SECONDS).until(() -> recordsConsumed() >= read);
        }
        hold.set(false);
        release.countDown();
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 5);

        List<String> batches = log.containing("Stored ").stream().map(LogCapture.Line::message)
                .filter(line -> line.startsWith("Stored ")).toList();
        assertEquals(3, batches.size(), "three batches: " + batches);
        assertTrue(batches.get(1).endsWith("_id: 2"), batches.get(1));
        assertTrue(batches.get(2).startsWith("Stored 3 documents") && batches.get(2).endsWith("_id: 3, 4, 5"), batches.get(2));
    }

    private static String user(int id) {
        return "{\"id\":" + id + ",\"name\":\"user " + id + "\"}";
    }

    /** Records the sink's consumer has read from Kafka: its client's records-consumed-total. */
    private double recordsConsumed() {
        MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        return registry.find("kafka.consumer.fetch.manager.records.consumed.total").tag("group", groupId)
                .functionCounters().stream().filter(counter -> counter.getId().getTag("topic") == null)
                .mapToDouble(FunctionCounter::count).sum();
    }
}
