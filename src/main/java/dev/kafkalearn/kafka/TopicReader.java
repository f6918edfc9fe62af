package dev.kafkalearn.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/** Reads a topic from its beginning to the end it had when the read began: the one way the project does it. */
public final class TopicReader {

    private TopicReader() {
    }

    /**
     * Hands every record of {@code partitions} (all of one topic), up to their end offsets at the start, to
     * {@code each}; returns how many. Throws Kafka's TimeoutException when that takes longer than {@code timeout}.
     */
    public static long readToEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions,
                                 Duration timeout, Consumer<ConsumerRecord<String, String>> each) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return readAssignedToEnd(consumer, partitions, timeout, each);
    }

    /**
     * The same from a point in time: each partition of {@code since} from its first record at or after that timestamp
     * (epoch milliseconds); a partition with none is already at its end.
     */
    public static long readToEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> since,
                                 Duration timeout, Consumer<ConsumerRecord<String, String>> each) {
        List<TopicPartition> partitions = List.copyOf(since.keySet());
        consumer.assign(partitions);
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(since, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        partitions.forEach(p -> consumer.seek(p, start.get(p) == null ? end.get(p) : start.get(p).offset()));
        return readAssignedToEnd(consumer, partitions, timeout, each);
    }

    private static long readAssignedToEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions,
                                          Duration timeout, Consumer<ConsumerRecord<String, String>> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long count = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                String topic = partitions.isEmpty() ? "" : partitions.get(0).topic();
                throw new TimeoutException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                    count++;
                }
            }
        }
        return count;
    }
}
