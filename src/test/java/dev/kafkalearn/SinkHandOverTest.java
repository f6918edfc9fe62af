package dev.kafkalearn;

import java.time.Duration;
import java.util.HashMap;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the sink's consumer hands what it reads to the writer when records trickle in (SinkConsumers).
 */
class SinkHandOverTest extends PipelineTestSupport {

    /** The writer's gate (holdingTheWriter). */
    private final AtomicBoolean hold = new AtomicBoolean();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

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
        holdingTheWriter();
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
        letTheWriterGo();
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 5);

        List<String> batches = log.containing("Stored ").stream().map(LogCapture.Line::message)
                .filter(line -> line.startsWith("Stored ")).toList();
        assertEquals(3, batches.size(), "three batches: " + batches);
        assertTrue(batches.get(1).endsWith("_id: 2"), batches.get(1));
        assertTrue(batches.get(2).startsWith("Stored 3 documents") && batches.get(2).endsWith("_id: 3, 4, 5"), batches.get(2));
    }

    /**
     * A rebalance while records wait to be handed over: the writer holds record 3 (partition 0) while records 4
     * (partition 0) and 5 (partition 1) are read; then a second consumer joins the group and takes one of the two
     * partitions. The record read from the partition that moved is left to its new owner, not written by this sink
     * after the move (where it could overwrite a later version the new owner stored); the other is written. Once the
     * second consumer leaves, the sink reads the partition again from its committed offset and stores everything.
     */
    @Test
    void recordsOfAPartitionThatMovedWhileTheyWaitedAreLeftToItsNewOwner() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        holdingTheWriter();
        // the revocation waits this long for the held batch before the partition moves
        startPipeline(Map.of("sink.drain-timeout-ms", "1000"));
        produce(topic, 0, List.of(user(1)));
        produce(topic, 1, List.of(user(2)));
        await().atMost(60, TimeUnit.SECONDS).until(() -> documents().size() == 2);

        hold.set(true);
        produce(topic, 0, List.of(user(3)));
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the writer took record 3");
        produce(topic, 0, List.of(user(4)));
        produce(topic, 1, List.of(user(5)));
        await().atMost(30, TimeUnit.SECONDS).until(() -> recordsConsumed() >= 5);

        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> second = new KafkaConsumer<>(config)) {
            second.subscribe(List.of(topic));
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                second.poll(Duration.ofMillis(100));
                return !second.assignment().isEmpty();
            });
            int moved = second.assignment().iterator().next().partition();
            // 4 is partition 0's, 5 partition 1's
            int left = moved == 0 ? 4 : 5;
            int kept = moved == 0 ? 5 : 4;
            letTheWriterGo();
            await().atMost(30, TimeUnit.SECONDS).until(() -> storedIds().contains(kept));
            assertFalse(storedIds().contains(left), "record " + left + " of partition " + moved
                    + ", which moved while it waited, was not written by this sink: " + storedIds());
        }
        // the second consumer left without committing: the partition is back, read again from its committed offset
        await().atMost(60, TimeUnit.SECONDS).until(() -> storedIds().equals(List.of(1, 2, 3, 4, 5)));
    }

    /** Once hold is set, the writer waits before its next bulk write until letTheWriterGo (holding counts down). */
    private void holdingTheWriter() throws Exception {
        AdviceWith.adviceWith(context, "store-batch", route -> route.weaveByToString(".*bulkWrites.*").before()
                .process(exchange -> {
                    if (hold.get()) {
                        holding.countDown();
                        release.await(60, TimeUnit.SECONDS);
                    }
                }));
    }

    private void letTheWriterGo() {
        hold.set(false);
        release.countDown();
    }

    private List<Integer> storedIds() {
        return documents().stream().map(document -> ((Number) document.get("_id")).intValue()).sorted().toList();
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
