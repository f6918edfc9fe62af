package dev.kafkalearn.commands;

import dev.kafkalearn.kafka.KafkaClients;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves the pipeline's consumer group back to an offset or a point in time, so that the next start of the pipeline
 * reads those records again (what {@code kafka-consumer-groups.sh --reset-offsets} does). The writes are idempotent, so
 * a replay updates documents and creates none twice. Kafka only lets a group's offsets move while the group has no
 * members: the pipeline must be stopped.
 */
public class ReplayOffsets implements CamelContextAware {

    private CamelContext camelContext;

    private final String topic;
    private final String groupId;

    public ReplayOffsets(String topic, String groupId) {
        this.topic = topic;
        this.groupId = groupId;
    }

    /** {@code from}: {@code earliest}, an offset (applied to every partition), or an ISO-8601 time. */
    public String reset(String from) throws Exception {
        OffsetSpec spec = parse(from);
        try (Admin admin = KafkaClients.admin(camelContext, KafkaClients.TIMEOUT)) {
            ConsumerGroupDescription group =
                    KafkaClients.await(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId));
            if (!group.members().isEmpty()) {
                throw new IllegalStateException("the pipeline is running (consumer group " + groupId + " has "
                        + group.members().size() + " member(s)): stop it, replay, then start it again");
            }
            List<TopicPartition> partitions = KafkaClients.await(admin.describeTopics(List.of(topic)).allTopicNames())
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> target = spec == null
                    ? clamp(partitions, Long.parseLong(from.trim()), earliest, latest)
                    : offsets(admin, partitions, spec);
            target.replaceAll((p, offset) -> offset < 0 ? latest.get(p) : offset); // no record at/after that time
            Map<TopicPartition, OffsetAndMetadata> before =
                    KafkaClients.await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());

            KafkaClients.await(admin.alterConsumerGroupOffsets(groupId, target.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())))).all());

            long again = target.entrySet().stream().mapToLong(e -> latest.get(e.getKey()) - e.getValue()).sum();
            String where = target.entrySet().stream().map(e -> "partition " + e.getKey().partition() + " at offset "
                    + e.getValue() + " (was " + (before.get(e.getKey()) == null ? "none" : before.get(e.getKey()).offset())
                    + ")").collect(Collectors.joining(", "));
            return "Consumer group " + groupId + " will read " + topic + " again from " + from.trim() + ": " + where
                   + "; " + again + " records. Start the pipeline to replay them; writes are idempotent, nothing is duplicated.";
        }
    }

    /** null for a plain offset; the Kafka offset spec otherwise. */
    private static OffsetSpec parse(String from) {
        String value = from == null ? "" : from.trim();
        if (value.equalsIgnoreCase("earliest")) {
            return OffsetSpec.earliest();
        }
        if (value.matches("\\d+")) {
            return null;
        }
        try {
            return OffsetSpec.forTimestamp(Instant.parse(value).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("REPLAY_FROM must be 'earliest', an offset such as 0, or a time such as "
                    + "2026-11-25T10:00:00Z; '" + value + "' is none of these");
        }
    }

    private static Map<TopicPartition, Long> clamp(List<TopicPartition> partitions, long offset,
                                                   Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> target = new LinkedHashMap<>();
        partitions.forEach(p -> target.put(p, Math.max(earliest.get(p), Math.min(offset, latest.get(p)))));
        return target;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, ListOffsetsResultInfo> infos = KafkaClients.await(admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> spec))).all());
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        partitions.forEach(p -> offsets.put(p, infos.get(p).offset()));
        return offsets;
    }

    /** Its Kafka clients use the pipeline's security settings (bean kafkaSecurity). */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
