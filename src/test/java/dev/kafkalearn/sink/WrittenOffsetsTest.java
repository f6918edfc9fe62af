package dev.kafkalearn.sink;

import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sink's ledger commits written batches in order, and never one whose writing was given up. */
class WrittenOffsetsTest {

    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    @Test
    void anAbandonedBatchStaysUncommittedEvenIfItsRouteGoesOnToCallItWritten() throws Exception {
        WrittenOffsets ledger = new WrittenOffsets();
        WrittenOffsets.Batch first = ledger.handedOff(Map.of(PARTITION, new OffsetAndMetadata(10)));
        WrittenOffsets.Batch second = ledger.handedOff(Map.of(PARTITION, new OffsetAndMetadata(20)));
        ledger.written(first);
        ledger.abandoned(second);
        ledger.written(second);

        assertEquals(Map.of(PARTITION, new OffsetAndMetadata(10)), ledger.takeWritten(), "the first batch only");
        assertEquals(Map.of(), ledger.takeWritten(), "the abandoned one never");
        assertEquals(1, ledger.abandoned());
        assertEquals(0, ledger.awaitWritten(0), "and nothing is waited for");
    }
}
