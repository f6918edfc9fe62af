package dev.kafkalearn.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What Kafka itself says about a topic and a consumer group: the end offset of every partition (how many records were
 * ever written) and the group's committed offsets (how far the sink says it is done). A sink whose committed offsets
 * equal the end offsets has finished every record; a topic whose end offsets are 0 was never written to.
 */
public final class KafkaOffsets implements AutoCloseable {

    private final Admin admin;

    public KafkaOffsets(String bootstrapServers) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public KafkaOffsets(Map<String, Object> adminConfig) {
        this.admin = Admin.create(adminConfig);
    }

    /** The end offset of each partition of the topic; empty if the topic does not exist. */
    public Map<TopicPartition, Long> end(String topic) throws Exception {
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw e;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /** How many records the topic holds in all (the sum of its end offsets); 0 if it does not exist. */
    public long records(String topic) throws Exception {
        return end(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's committed offset for each partition of the topic it committed for (none: an empty map). */
    public Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        all.forEach((tp, offset) -> {
            if (offset != null && tp.topic().equals(topic)) {
                committed.put(tp, offset.offset());
            }
        });
        return committed;
    }

    /** True when the group committed, on every partition of the topic that holds records, exactly its end offset. */
    public boolean caughtUp(String group, String topic) throws Exception {
        Map<TopicPartition, Long> end = end(topic);
        Map<TopicPartition, Long> committed = committed(group, topic);
        return !end.isEmpty() && end.entrySet().stream()
                .allMatch(e -> committed.getOrDefault(e.getKey(), 0L).equals(e.getValue()));
    }

    public Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
    }
}
