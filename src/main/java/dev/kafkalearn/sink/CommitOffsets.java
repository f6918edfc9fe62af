package dev.kafkalearn.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits a camel-kafka batch: for every partition in it, the offset after its last record. Camel's own
 * {@code BatchManualCommit} commits the last record's partition only, which leaves the other partitions of a
 * multi-partition batch uncommitted. Runs on the consumer thread, after the batch was stored.
 * <p>
 * The batch ({@code List<Exchange>}) is read from the exchange property {@code records}.
 */
public class CommitOffsets implements Processor {

    @Override
    public void process(Exchange batch) {
        List<?> records = batch.getProperty("records", List.class);
        Map<Integer, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Object item : records) {
            Message record = ((Exchange) item).getMessage();
            KafkaManualCommit commit = record.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("the Kafka consumer must be configured with allowManualCommit=true");
            }
            lastPerPartition.put(record.getHeader(KafkaConstants.PARTITION, Integer.class), commit);
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
    }
}
