package dev.kafkalearn.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's committed offsets against a topic's end offsets: "the sink committed everything it read". */
public final class GroupOffsets {

    private GroupOffsets() {
    }

    /** Per partition of the topic: the group's committed offset (-1 when none). */
    public static Map<Integer, Long> committed(String brokers, String group, String topic) throws Exception {
        try (Admin admin = admin(brokers)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            Map<Integer, Long> result = new HashMap<>();
            for (int partition : end(admin, topic).keySet()) {
                OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, partition));
                result.put(partition, offset == null ? -1L : offset.offset());
            }
            return result;
        }
    }

    /** Per partition of the topic: its end offset. */
    public static Map<Integer, Long> end(String brokers, String topic) throws Exception {
        try (Admin admin = admin(brokers)) {
            return end(admin, topic);
        }
    }

    /** True when the group committed every partition of the topic up to its end. */
    public static boolean caughtUp(String brokers, String group, String topic) throws Exception {
        return committed(brokers, group, topic).equals(end(brokers, topic));
    }

    private static Map<Integer, Long> end(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> result = new HashMap<>();
        admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS)
                .forEach((tp, info) -> result.put(tp.partition(), info.offset()));
        return result;
    }

    private static Admin admin(String brokers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return Admin.create(props);
    }
}
