package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import com.mongodb.client.model.IndexOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records that are not a JSON object go to the dead-letter topic with the reason; their neighbours are stored. */
class PoisonRecordsTest extends PipelineTestSupport {

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheRestIsStored() throws Exception {
        String huge = "{\"id\": \"huge\", \"text\": \"" + "x".repeat(900_000) + "\"}";
        produce(topic, List.of(
                "{\"id\": 1, \"name\": \"first\"}",
                "this is not json",
                "{\"name\": \"no id\"}",
                "[1, 2, 3]",
                "",
                "{\"id\": 2, \"name\": \"second\"",
                huge,
                "{\"id\": 4, \"$where\": \"an operator, not a field\"}",
                "{\"id\": 3, \"name\": \"third\"}"));

        startPipeline(Map.of());

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 5);
        assertEquals(5, dead.size(), "not JSON, array, empty, truncated, operator as field");
        Map<String, String> reasonByValue = dead.stream().collect(Collectors.toMap(ConsumerRecord::value, this::reason));
        assertTrue(reasonByValue.get("this is not json").startsWith("not valid JSON"), reasonByValue.toString());
        assertTrue(reasonByValue.get("[1, 2, 3]").startsWith("JSON, but not an object"), reasonByValue.toString());
        assertTrue(reasonByValue.get("").startsWith("empty record"), reasonByValue.toString());
        assertTrue(reasonByValue.get("{\"id\": 2, \"name\": \"second\"").startsWith("not valid JSON"), reasonByValue.toString());
        assertTrue(reasonByValue.get("{\"id\": 4, \"$where\": \"an operator, not a field\"}")
                .startsWith("a top-level field name starts with '$' ($where)"), reasonByValue.toString());
        for (ConsumerRecord<String, String> record : dead) {
            assertEquals(topic, header(record, "dlq.topic"));
            assertEquals("0", header(record, "dlq.partition"));
            assertNotNull(header(record, "dlq.failed-at"));
        }
        assertEquals("1", header(dead.get(0), "dlq.offset"), "the first bad record was the second one sent");

        // everything read was handled (stored or dead-lettered) and committed: nothing more can arrive
        await().atMost(30, TimeUnit.SECONDS).until(() -> GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals(4, collection().countDocuments());
        assertEquals(5, readTopic(dlqTopic, 5).size(), "each rejected record once");
        List<Object> ids = documents().stream().map(d -> d.get("_id")).toList();
        assertTrue(ids.containsAll(List.of(1, 3, "huge", topic + "-0-2")), "valid ones stored, by id or by position: " + ids);
        Document huge900k = collection().find(new Document("_id", "huge")).first();
        assertEquals(900_000, huge900k.getString("text").length());
    }

    @Test
    void aDocumentMongoDbRefusesGoesToTheDeadLetterTopicAndItsNeighboursAreStored() throws Exception {
        // a unique index the second user breaks: a write error for that document only, not worth retrying
        collection().createIndex(new Document("email", 1), new IndexOptions().unique(true));
        produce(topic, List.of(
                "{\"id\": 1, \"email\": \"same@example.com\"}",
                "{\"id\": 2, \"email\": \"same@example.com\"}",
                "{\"id\": 3, \"email\": \"other@example.com\"}"));

        startPipeline(Map.of());

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 1);
        assertEquals(1, dead.size(), "only the refused document: " + dead);
        assertEquals("{\"id\": 2, \"email\": \"same@example.com\"}", dead.get(0).value());
        assertTrue(reason(dead.get(0)).startsWith("MongoDB refused the document (code 11000)"), reason(dead.get(0)));
        assertEquals("1", header(dead.get(0), "dlq.offset"));
        // the line is logged after the write, the offsets committed after the line: once both are there, the batch
        // is done and a retry would have shown as a second line
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Stored 2 documents").isEmpty()
                && GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals(List.of(1, 3), documents().stream().map(d -> d.get("_id")).toList());
        assertEquals(List.of("same@example.com", "other@example.com"),
                documents().stream().map(d -> d.getString("email")).toList());
        assertEquals(1, log.containing("Stored 2 documents").size(), "the batch is stored once, not retried: " + log.lines());
    }

    /**
     * A dead letter too large for the dead-letter topic even as its short copy (its first KB: the topic here takes 900
     * bytes) goes without its key and value, its headers saying where the record is and why: the partition goes on.
     */
    @Test
    void aDeadLetterTooLargeEvenAsItsShortCopyGoesWithoutKeyAndValue() throws Exception {
        createDeadLetterTopic(900);
        String large = "not json, and too large for the dead-letter topic " + "x".repeat(5_000);
        produce(topic, List.of("{\"id\": 1}", large, "{\"id\": 2}", "not json, small", "{\"id\": 3}"));

        startPipeline(Map.of());

        await().atMost(60, TimeUnit.SECONDS).until(() -> GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 2);
        assertEquals(List.of("1", "3"), dead.stream().map(r -> header(r, "dlq.offset")).toList(), "both, in order");
        ConsumerRecord<String, String> bare = dead.get(0);
        assertEquals("", bare.value(), "no value");
        assertEquals(null, bare.key(), "no key");
        assertEquals(String.valueOf(large.length()), header(bare, "dlq.original-size"));
        assertTrue(reason(bare).startsWith("not valid JSON"), reason(bare));
        assertTrue(reason(bare).contains("key and value left out") && reason(bare).contains(topic + " at partition 0, offset 1"),
                reason(bare));
        assertEquals("not json, small", dead.get(1).value(), "the next dead letter whole");
        assertEquals(List.of(1, 2, 3), documents().stream().map(d -> d.get("_id")).toList());
    }

    /**
     * A dead letter Kafka refuses (here: larger than the dead-letter topic takes, even without key and value) is
     * retried; a stop then leaves its batch uncommitted and sends none of the batch's later dead letters: were a later
     * one on the topic, the next start would take it as proof that the earlier one is there too (DeadLetters) and skip it.
     */
    @Test
    void aDeadLetterKafkaRefusesHoldsItsBatchAndTheDeadLettersAfterIt() throws Exception {
        createDeadLetterTopic(100);
        produce(topic, List.of(
                "{\"id\": 1}",
                "not json, and too large for the dead-letter topic " + "x".repeat(5_000),
                "{\"id\": 2}",
                "not json, small",
                "{\"id\": 3}"));

        startPipeline(Map.of());
        await().atMost(60, TimeUnit.SECONDS).until(() -> !log.containing("records wait, nothing is skipped or committed").isEmpty());
        context.stop();

        assertEquals(Map.of(0, 0L), GroupOffsets.end(INFRA.kafka.bootstrapServers(), dlqTopic),
                "no later dead letter sent after the refused one");
        long committed = GroupOffsets.committed(INFRA.kafka.bootstrapServers(), groupId, topic).getOrDefault(0, 0L);
        assertTrue(committed <= 1, "nothing committed past the refused dead letter (offset 1): " + committed);
    }

    private void createDeadLetterTopic(int maxMessageBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(dlqTopic, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(maxMessageBytes))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private String reason(ConsumerRecord<String, String> record) {
        return header(record, "dlq.reason");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
