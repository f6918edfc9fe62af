package dev.kafkalearn.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a camel-kafka batch, after it was stored: for every partition in it, the offset after its last record, all
 * in one asynchronous commit. Camel's own {@code BatchManualCommit} commits the last record's partition only, and a
 * synchronous commit per batch made the consumer thread wait a round trip to Kafka for every bulk write.
 * <p>
 * Runs on the consumer thread (camel-kafka's batching consumer calls the route there), as Kafka's consumer requires.
 * Asynchronous commits are sent in order, and the consumer's close waits for those still pending, so a stop commits
 * everything stored. A commit that fails (the group rebalanced meanwhile) leaves its records to be read again by the
 * partition's owner: stored again under the same _id, and not dead-lettered twice ({@link DeadLetters}).
 * <p>
 * The batch ({@code List<Exchange>}) is read from the exchange property {@code records}.
 */
public class CommitOffsets implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-to-mongodb");

    @Override
    public void process(Exchange batch) {
        List<?> records = batch.getProperty("records", List.class);
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Consumer<?, ?> consumer = null;
        for (Object item : records) {
            Message record = ((Exchange) item).getMessage();
            if (!(record.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit)) {
                throw new IllegalStateException("the Kafka consumer must be configured with allowManualCommit=true");
            }
            consumer = commit.getConsumer();
            offsets.put(commit.getPartition(), new OffsetAndMetadata(commit.getRecordOffset() + 1));
        }
        if (consumer != null) {
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    LOG.warn("Stored a batch but could not commit its offsets ({}); its records will be read and stored again, without duplicates",
                            failure.getClass().getSimpleName());
                }
            });
        }
    }
}
