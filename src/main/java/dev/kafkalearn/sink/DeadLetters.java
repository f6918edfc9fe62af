package dev.kafkalearn.sink;

import dev.kafkalearn.kafka.KafkaClients;
import dev.kafkalearn.kafka.TopicReader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each rejected record reaches the dead-letter topic once, across crashes and rebalances, and fits on it.
 * <p>
 * Once: a partition's records are re-read after a restart or a rebalance from its last committed offset, so a record
 * dead-lettered after that commit would be dead-lettered again. The first time such a re-read (an "epoch": records
 * that do not follow on from the last batch's) rejects a record, the dead-letter topic's tail is read, from the
 * epoch's first record's timestamp minus a look-back, for the highest offset of that partition already on it; rejected
 * records up to that offset are not sent again. That holds because a partition's rejections are sent in offset order,
 * each one acknowledged before the next: if offset N is on the topic, every earlier rejection of its partition is.
 * <p>
 * Fits: a record larger than {@code maxBytes} goes as a truncated copy, its original size in a header; one the topic
 * still refuses (its max.message.bytes is lower) goes as its first KB ({@link #shrink}), and then without key and value
 * ({@link #withoutValue}): a dead letter holds its partition only when the topic refuses even its headers.
 */
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger("kafka-to-mongodb");
    private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(60);
    /** The short copy of a dead letter the topic refused whole: its first KB. */
    private static final int SHORT_COPY_BYTES = 1024;
    /** The reason's length in a dead letter without key and value (the reason itself may be what is too large). */
    private static final int REASON_WITHOUT_VALUE = 300;

    private final long lookbackMs;
    private final int maxBytes;
    private String dlqTopic;

    /** Per topic-partition: the offset the next batch continues from. */
    private final Map<String, Long> nextOffset = new HashMap<>();
    /** Per topic-partition: the timestamp of the current epoch's first record. */
    private final Map<String, Long> epochStart = new HashMap<>();
    /** Per topic-partition, once read in this epoch: the highest of its offsets already on the dead-letter topic. */
    private final Map<String, Long> alreadySent = new HashMap<>();

    public DeadLetters(long lookbackMs, int maxBytes) {
        this.lookbackMs = lookbackMs;
        this.maxBytes = maxBytes;
    }

    /** KAFKA_DLQ_TOPIC: the topic whose tail is read for what was dead-lettered before. */
    public void setDlqTopic(String dlqTopic) {
        this.dlqTopic = dlqTopic;
    }

    /**
     * Header {@link MongoWrites#REJECTED} in: this batch's rejections. Out: those not yet on the dead-letter topic, in
     * offset order per partition, truncated where too large. Runs on the writer thread, once per batch, in order.
     */
    @SuppressWarnings("unchecked")
    public synchronized void pending(Exchange batch) {
        TopicPartition current = null;
        String partition = null;
        for (PolledRecord record : PolledRecord.of(batch)) {
            if (!record.partition().equals(current)) {
                current = record.partition();
                partition = current.topic() + "-" + current.partition();
            }
            long offset = record.offset();
            Long next = nextOffset.get(partition);
            if (next == null || next != offset) {
                epochStart.put(partition, record.timestamp());
                alreadySent.remove(partition);
            }
            nextOffset.put(partition, offset + 1);
        }
        List<Map<String, Object>> rejected = new ArrayList<>(batch.getMessage().getHeader(MongoWrites.REJECTED, List.class));
        if (rejected.isEmpty()) {
            return;
        }
        rejected.sort(Comparator.comparing((Map<String, Object> r) -> partitionOf(r))
                .thenComparingLong(r -> Long.parseLong((String) r.get("offset"))));
        Set<String> unknown = new TreeSet<>();
        rejected.forEach(r -> unknown.add(partitionOf(r)));
        unknown.removeAll(alreadySent.keySet());
        if (!unknown.isEmpty()) {
            alreadySent.putAll(highestOffsetsOn(unknown, batch));
        }
        List<Map<String, Object>> pending = new ArrayList<>(rejected.size());
        for (Map<String, Object> entry : rejected) {
            if (Long.parseLong((String) entry.get("offset")) > alreadySent.getOrDefault(partitionOf(entry), -1L)) {
                pending.add(truncated(entry, maxBytes));
            }
        }
        if (pending.size() < rejected.size()) {
            LOG.info("{} rejected records were already on dead-letter topic {} (sent before a restart or rebalance): not sent again",
                    rejected.size() - pending.size(), dlqTopic);
        }
        batch.getMessage().setHeader(MongoWrites.REJECTED, pending);
    }

    /**
     * The dead-letter record (exchange property {@code deadLetter}, a rejected entry) was too large for the topic: its
     * first KB instead, with its size and the reason in the headers.
     */
    @SuppressWarnings("unchecked")
    public void shrink(Exchange deadLetter) {
        Map<String, Object> entry = truncated(deadLetter.getProperty("deadLetter", Map.class), Math.min(maxBytes, SHORT_COPY_BYTES));
        Message message = deadLetter.getMessage();
        message.setBody(entry.get("value"));
        message.setHeader("dlq.original-size", entry.get("originalSize"));
        message.setHeader("dlq.reason", entry.get("reason"));
    }

    /**
     * The topic refused even the short copy: the dead letter without its key and value (an empty value), its headers
     * saying where the record is (dlq.topic, dlq.partition, dlq.offset), its size and why it was rejected, so that the
     * partition goes on; the record itself stays on its topic until that topic's retention.
     */
    @SuppressWarnings("unchecked")
    public void withoutValue(Exchange deadLetter) {
        Map<String, Object> entry = deadLetter.getProperty("deadLetter", Map.class);
        Message message = deadLetter.getMessage();
        message.setBody(new byte[0]);
        message.removeHeader(KafkaConstants.KEY);
        String reason = (String) entry.get("reason");
        if (reason.length() > REASON_WITHOUT_VALUE) {
            reason = reason.substring(0, REASON_WITHOUT_VALUE) + "...";
        }
        message.setHeader("dlq.original-size", entry.getOrDefault("originalSize",
                String.valueOf(((byte[]) entry.get("value")).length)));
        message.setHeader("dlq.reason", reason + " (key and value left out: the dead-letter topic refused even their first "
                + SHORT_COPY_BYTES + " bytes; the record is on " + entry.get("topic") + " at partition "
                + entry.get("partition") + ", offset " + entry.get("offset") + ")");
    }

    private static Map<String, Object> truncated(Map<String, Object> entry, int limit) {
        byte[] value = (byte[]) entry.get("value");
        if (value.length <= limit) {
            return entry;
        }
        Map<String, Object> copy = new HashMap<>(entry);
        copy.put("value", Arrays.copyOf(value, limit));
        copy.putIfAbsent("originalSize", String.valueOf(value.length));
        copy.put("reason", entry.get("reason") + " (truncated to its first " + limit + " of " + copy.get("originalSize")
                + " bytes for the dead-letter topic)");
        return copy;
    }

    private static String partitionOf(Map<String, Object> entry) {
        return entry.get("topic") + "-" + entry.get("partition");
    }

    /** Reads the dead-letter topic from the earliest epoch start (minus the look-back) to its end. */
    private Map<String, Long> highestOffsetsOn(Set<String> partitions, Exchange batch) {
        long from = partitions.stream().mapToLong(p -> epochStart.getOrDefault(p, 0L)).min().orElse(0L) - lookbackMs;
        Map<String, Long> highest = new HashMap<>();
        partitions.forEach(p -> highest.put(p, -1L));
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(batch.getContext(), "kafka-learn-dead-letters")) {
            List<PartitionInfo> infos = consumer.partitionsFor(dlqTopic, SCAN_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return highest;
            }
            List<TopicPartition> dlq = infos.stream().map(i -> new TopicPartition(dlqTopic, i.partition())).toList();
            Map<TopicPartition, Long> since = new HashMap<>();
            dlq.forEach(tp -> since.put(tp, Math.max(0, from)));
            TopicReader.readToEnd(consumer, since, SCAN_TIMEOUT, record -> {
                String partition = header(record, "dlq.topic") + "-" + header(record, "dlq.partition");
                String offset = header(record, "dlq.offset");
                if (highest.containsKey(partition) && offset != null) {
                    highest.merge(partition, Long.parseLong(offset), Math::max);
                }
            });
        }
        return highest;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
