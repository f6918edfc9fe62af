package dev.kafkalearn.commands;

import dev.kafkalearn.kafka.KafkaClients;
import dev.kafkalearn.kafka.TopicReader;
import dev.kafkalearn.sink.MongoWrites;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Projections;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExchangeProperty;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Answers "did everything arrive?" for one topic: reads the topic and its dead-letter topic from the beginning, works
 * out the {@code _id} every record is stored under (the sink's own rule, {@link MongoWrites#documentId}), and checks
 * that each record is either stored in the collection or on the dead-letter topic. Also shows how far the pipeline's
 * consumer group has read.
 */
public class Reconciliation implements CamelContextAware {

    private CamelContext camelContext;

    private static final int SHOWN = 5;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String sourceUrl;
    private final String topic;
    private final String dlqTopic;
    private final String groupId;
    private final String mongoUri;
    private final String database;
    private final String collection;
    private final MongoWrites writes;

    public Reconciliation(String sourceUrl, String topic, String dlqTopic, String groupId, String mongoUri,
                          String database, String collection, String keyField) {
        this.sourceUrl = sourceUrl;
        this.topic = topic;
        this.dlqTopic = dlqTopic;
        this.groupId = groupId;
        this.mongoUri = mongoUri;
        this.database = database;
        this.collection = collection;
        this.writes = new MongoWrites(keyField);
    }

    /** The report, as text. {@code source} says what the source holds now (a count, or why it could not be read). */
    public String report(@ExchangeProperty("source") String source) throws Exception {
        Set<Object> expectedIds = new LinkedHashSet<>();
        Set<String> malformed = new LinkedHashSet<>();
        long records = read(topic, record -> {
            if (record.value() == null && record.key() != null) {
                // a tombstone: the source's id is gone, and so should its document be
                MongoWrites.idsSpelledBy(record.key()).forEach(expectedIds::remove);
                return;
            }
            Object id = writes.documentId(record.value(), record.topic(), record.partition(), record.offset());
            if (id == null) {
                malformed.add(position(record.topic(), record.partition(), record.offset()));
            } else {
                expectedIds.add(id);
            }
        });
        Set<String> deadLettered = new HashSet<>();
        long dead = read(dlqTopic, record -> deadLettered.add(position(
                header(record, "dlq.topic"), header(record, "dlq.partition"), header(record, "dlq.offset"))));

        Set<Object> storedIds = new HashSet<>();
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            mongo.getDatabase(database).getCollection(collection).find().projection(Projections.include("_id"))
                    .forEach(document -> storedIds.add(document.get("_id")));
        }
        List<Object> notStored = expectedIds.stream().filter(id -> !storedIds.contains(id)).toList();
        List<String> notDeadLettered = malformed.stream().filter(p -> !deadLettered.contains(p)).toList();
        long lag = lag();

        StringBuilder text = new StringBuilder();
        text.append(String.format("Reconciliation of %s -> %s.%s%n", topic, database, collection));
        row(text, "source", sourceUrl, source);
        row(text, "topic", topic, records + " records: " + expectedIds.size() + " distinct _id, "
                                      + malformed.size() + " malformed");
        row(text, "stored", database + "." + collection, storedIds.size() + " documents; "
                + (expectedIds.size() - notStored.size()) + " of the topic's " + expectedIds.size() + " _id");
        row(text, "dead-letter", dlqTopic, dead + " records; " + (malformed.size() - notDeadLettered.size())
                + " of the topic's " + malformed.size() + " malformed");
        row(text, "consumed", "group " + groupId, lag < 0 ? "the group has not committed anything yet"
                : lag == 0 ? "all records (lag 0)" : lag + " records not read yet (lag)");
        if (notStored.isEmpty() && notDeadLettered.isEmpty()) {
            row(text, "result", "OK", "every record of the topic is stored or dead-lettered");
        } else {
            String missing = (notStored.size() + notDeadLettered.size()) + " records neither stored nor dead-lettered"
                    + (notStored.isEmpty() ? "" : "; _id not stored: " + first(notStored))
                    + (notDeadLettered.isEmpty() ? "" : "; malformed not dead-lettered: " + first(notDeadLettered))
                    + (lag != 0 ? " (the pipeline has not read everything yet)" : "");
            row(text, "result", "MISSING", missing);
        }
        return text.toString().stripTrailing();
    }

    /** Reads a topic from its beginning to its current end; returns the number of records. */
    private long read(String name, Consumer<ConsumerRecord<String, String>> each) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(camelContext, "kafka-learn-reconcile")) {
            return TopicReader.readToEnd(consumer, partitions(consumer, name), READ_TIMEOUT, each);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String name) {
        var infos = consumer.listTopics(Duration.ofSeconds(10)).get(name);
        return infos == null ? List.of()
                : infos.stream().map(info -> new TopicPartition(name, info.partition())).toList();
    }

    /** Records of the topic the pipeline's group has not committed yet; -1 when the group never committed. */
    private long lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = KafkaClients.admin(camelContext, KafkaClients.TIMEOUT)) {
            committed = KafkaClients.await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        }
        List<TopicPartition> ofTopic = new ArrayList<>(committed.keySet().stream()
                .filter(p -> p.topic().equals(topic)).toList());
        if (ofTopic.isEmpty()) {
            return -1;
        }
        try (KafkaConsumer<String, String> consumer = KafkaClients.reader(camelContext, "kafka-learn-reconcile")) {
            List<TopicPartition> all = partitions(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            return all.stream().mapToLong(p -> end.get(p)
                    - (committed.get(p) == null ? 0 : committed.get(p).offset())).sum();
        }
    }

    private static String position(Object topic, Object partition, Object offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder text, String what, String where, String figures) {
        text.append(String.format("  %-12s %-40s %s%n", what, where, figures));
    }

    private static String first(List<?> items) {
        return items.subList(0, Math.min(SHOWN, items.size())) + (items.size() > SHOWN ? " …" : "");
    }

    /** Its Kafka clients are the Kafka component's: the pipeline's brokers and security settings. */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
