package dev.kafkalearn.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * One record of a batch with what the sink needs of camel-kafka's headers (key, partition, offset, timestamp), read in
 * one pass over them, once per record. A message's headers are a case-insensitive tree: each lookup compares names
 * that share the {@code kafka.} prefix, and the sink looked up three or four per record on two threads (a profile put
 * them at a fifth of the writer's samples).
 */
record PolledRecord(Message message, Object key, TopicPartition partition, long offset, long timestamp) {

    /** Exchange property: the batch's records, as read by {@link #of}. */
    private static final String POLLED = "kafkaLearnPolled";

    /** The records of a batch (exchange property {@code records}, camel-kafka's {@code List<Exchange>}), read once. */
    @SuppressWarnings("unchecked")
    static List<PolledRecord> of(Exchange batch) {
        List<PolledRecord> known = batch.getProperty(POLLED, List.class);
        if (known == null) {
            List<?> records = batch.getProperty("records", List.class);
            known = new ArrayList<>(records.size());
            for (Object item : records) {
                known.add(of(((Exchange) item).getMessage()));
            }
            batch.setProperty(POLLED, known);
        }
        return known;
    }

    /** One record: its headers read in one pass (camel-kafka names them with these very constants). */
    static PolledRecord of(Message message) {
        Object key = null;
        DefaultKafkaManualCommit position = null;
        String topic = null;
        int partition = -1;
        long offset = -1;
        long timestamp = 0;
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            Object value = header.getValue();
            switch (header.getKey()) {
                case KafkaConstants.KEY -> key = value;
                case KafkaConstants.MANUAL_COMMIT -> position = value instanceof DefaultKafkaManualCommit c ? c : null;
                case KafkaConstants.TOPIC -> topic = (String) value;
                case KafkaConstants.PARTITION -> partition = ((Number) value).intValue();
                case KafkaConstants.OFFSET -> offset = ((Number) value).longValue();
                case KafkaConstants.TIMESTAMP -> timestamp = value == null ? 0 : ((Number) value).longValue();
                default -> {
                    // not needed here
                }
            }
        }
        if (position != null) {
            return new PolledRecord(message, key, position.getPartition(), position.getRecordOffset(), timestamp);
        }
        return new PolledRecord(message, key, new TopicPartition(String.valueOf(topic), partition), offset, timestamp);
    }

    /** Where the record was read: {@code topic-partition-offset} (the _id of a record that names none). */
    String position() {
        return position(partition.topic(), partition.partition(), offset);
    }

    static String position(Object topic, Object partition, Object offset) {
        return topic + "-" + partition + "-" + offset;
    }
}
