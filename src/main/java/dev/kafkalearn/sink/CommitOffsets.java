package dev.kafkalearn.sink;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The two ends of a batch's commit. On the consumer's thread, before the batch is handed to the writer:
 * {@link #handOff} records, in the ledger of the consumer that read it, the offset after its last record for every
 * partition in it. On the writer's thread, once MongoDB acknowledged the batch and its rejected records are on the
 * dead-letter topic: {@link #written}. The consumer commits written offsets itself, in order, on its own thread
 * ({@link SinkConsumers}).
 * <p>
 * The batch ({@code List<Exchange>}) is read from the exchange property {@code records}.
 */
public class CommitOffsets {

    /** Exchange property: the batch's place in its consumer's ledger. */
    private static final String HANDED_OFF = "kafkaLearnHandedOff";

    private record HandedOff(WrittenOffsets ledger, WrittenOffsets.Batch batch) {
    }

    /** Consumer thread, before the hand-off (once per batch: a retried hand-off keeps its place). */
    public void handOff(Exchange batch) {
        if (batch.getProperty(HANDED_OFF) != null) {
            return;
        }
        // camel-kafka puts the batch's last record's commit handle on the batch: every record came from its consumer
        if (!(batch.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit)) {
            throw new IllegalStateException("the sink's Kafka endpoint must be configured with allowManualCommit=true");
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (PolledRecord record : PolledRecord.of(batch)) {
            offsets.put(record.partition(), new OffsetAndMetadata(record.offset() + 1));
        }
        WrittenOffsets ledger = SinkConsumers.ledgerOf(commit.getConsumer());
        batch.setProperty(HANDED_OFF, new HandedOff(ledger, ledger.handedOff(offsets)));
    }

    /**
     * The batch's retries ended without it being stored (only a stop ends them): its offsets, and those of every batch
     * after it, stay uncommitted, and the consumer no longer waits for it.
     */
    public void abandoned(Exchange batch) {
        HandedOff handedOff = batch.getProperty(HANDED_OFF, HandedOff.class);
        if (handedOff != null) {
            handedOff.ledger().abandoned(handedOff.batch());
        }
    }

    /** Writer thread: a batch before this one was abandoned, so this one's offsets can never be committed either. */
    static boolean behindAbandoned(Exchange batch) {
        HandedOff handedOff = batch.getProperty(HANDED_OFF, HandedOff.class);
        return handedOff != null && handedOff.ledger().abandoned() > 0;
    }

    /** Writer thread: the batch is stored, its offsets may be committed once those before them are. */
    public void written(Exchange batch) {
        HandedOff handedOff = batch.getProperty(HANDED_OFF, HandedOff.class);
        handedOff.ledger().written(handedOff.batch());
    }
}
