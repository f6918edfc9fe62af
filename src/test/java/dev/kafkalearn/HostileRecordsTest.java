package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile records among 200 valid ones, on one partition: each is stored as it should be or dead-lettered with its
 * reason, every valid neighbour is stored at its content, and the pipeline keeps running (records sent afterwards
 * are stored; the group commits to the end of the topic).
 */
class HostileRecordsTest extends PipelineTestSupport {

    private static final int VALID = 248;

    /** "f0": 0, "f1": 1, ... */
    private static String fields(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ", ").append("\"f").append(i).append("\": ").append(i);
        }
        return text.toString();
    }
    private static final int BIG = 17 * 1024 * 1024;

    /** A hostile record, and what must become of it: the reason's start when dead-lettered, else null (stored). */
    private record Hostile(String name, byte[] key, byte[] value, String rejectedBecause) {
    }

    @Test
    void everyHostileRecordIsStoredOrDeadLetteredAndItsNeighboursAreStored() throws Exception {
        List<Hostile> hostile = List.of(
                rejected("10 000-deep nesting", "{\"id\": \"deep\", \"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                        "not storable: Document nesting depth"),
                rejected("a document over 16 MB", "{\"id\": \"big\", \"text\": \"" + "x".repeat(BIG) + "\"}",
                        "the document is"),
                stored("a 5 MB document", "{\"id\": \"five\", \"text\": \"" + "y".repeat(5 * 1024 * 1024) + "\"}"),
                rejected("a top-level $ field", "{\"id\": \"op\", \"$set\": 1}", "a top-level field name starts with '$'"),
                new Hostile("invalid UTF-8", null, concat("{\"id\": \"utf\", \"name\": \"", new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}"),
                        "not valid JSON: Invalid UTF-8"),
                new Hostile("a BOM", null, concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"id\": \"bom\"}"), null),
                rejected("a raw control character", "{\"id\": \"ctl\", \"name\": \"a\u0001b\"}", "not valid JSON: Illegal unquoted character"),
                stored("an escaped control character", "{\"id\": \"esc\", \"name\": \"a\\u0001b\"}"),
                rejected("NUL in a field name", "{\"id\": \"nul\", \"a\\u0000b\": 1}", "not storable as BSON"),
                stored("a number beyond double range", "{\"id\": \"e400\", \"n\": 1e400}"),
                stored("an integer beyond int64", "{\"id\": \"int\", \"n\": 123456789012345678901234567890}"),
                rejected("a number beyond decimal128", "{\"id\": \"dec\", \"n\": 1.23456789012345678901234567890123456789e400}",
                        "a number beyond what MongoDB can store"),
                rejected("duplicate keys", "{\"id\": \"dup\", \"a\": 1, \"a\": 2}", "not valid JSON: Duplicate field 'a'"),
                rejected("duplicate keys in a nested object", "{\"id\": \"dupn\", \"a\": {\"x\": 1, \"y\": [{\"x\": 2, \"x\": 3}]}}",
                        "not valid JSON: Duplicate field 'x'"),
                // past the names JsonToBson compares one by one (32 a level), it keeps a set
                rejected("a duplicate among 40 keys", "{\"id\": \"dup40\", " + fields(40) + ", \"f7\": 0}",
                        "not valid JSON: Duplicate field 'f7'"),
                stored("one name in sibling and nested objects", "{\"id\": \"same\", \"x\": {\"x\": {\"x\": 1}}, "
                        + "\"y\": [{\"x\": 1}, {\"x\": 2}], \"big\": {" + fields(40) + "}, \"z\": {" + fields(40) + "}}"),
                // beyond ASCII, in names and values: 2- and 3-byte UTF-8, and a surrogate pair (4 bytes)
                stored("text beyond ASCII", "{\"id\": \"intl\", \"name\": \"Zoë 東京 😀\", \"ключ\": \"значение\", \"😀\": \"é\"}"),
                stored("$ and . in nested field names", "{\"id\": \"nested\", \"a\": {\"$x\": 1, \"b.c\": 2}}"),
                stored("_id a string", "{\"_id\": \"s\", \"id\": 1}"),
                stored("_id an int64", "{\"_id\": 9007199254740993}"),
                stored("_id a double", "{\"_id\": 2.5}"),
                stored("_id true", "{\"_id\": true}"),
                stored("_id null: the key field", "{\"_id\": null, \"id\": \"null-id\"}"),
                stored("_id an object: the record's position", "{\"_id\": {\"a\": 1}}"),
                stored("_id an array: the record's position", "{\"_id\": [1, 2]}"),
                new Hostile("a key that is not UTF-8", new byte[] {(byte) 0xFF, (byte) 0xFE}, utf8("{\"id\": \"badkey\"}"), null),
                rejected("an array", "[{\"id\": 1}]", "JSON, but not an object: an array"),
                rejected("a string", "\"text\"", "JSON, but not an object: a string"),
                rejected("trailing bytes", "{\"id\": \"trail\"} x", "not valid JSON"));

        createTopic(topic, 32 * 1024 * 1024);
        // the valid users, with the hostile records spread among them
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<Long, Hostile> byOffset = new HashMap<>();
        int next = 0;
        for (int i = 1; i <= VALID; i++) {
            records.add(new ProducerRecord<>(topic, utf8(String.valueOf(i)), utf8(user(i))));
            if (i % 8 == 0 && next < hostile.size()) {
                Hostile h = hostile.get(next++);
                byOffset.put((long) records.size(), h);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, h.key(), h.value());
                if (h.name().equals("_id true")) {
                    record.headers().add("large", new byte[200_000]); // headers of any size ride along
                }
                records.add(record);
            }
        }
        assertEquals(hostile.size(), next, "every hostile record sent");
        send(records);

        startPipeline(Map.of("mongo.batch-size", "50"));

        long rejections = hostile.stream().filter(h -> h.rejectedBecause() != null).count();
        await().atMost(90, TimeUnit.SECONDS).until(() -> GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, (int) rejections);
        assertEquals(rejections, dead.size(), "each rejected record once: " + dead.stream().map(d -> header(d, "dlq.reason")).toList());
        for (ConsumerRecord<String, String> record : dead) {
            Hostile h = byOffset.get(Long.parseLong(header(record, "dlq.offset")));
            assertNotNull(h, "only hostile records are dead-lettered: " + header(record, "dlq.reason"));
            assertNotNull(h.rejectedBecause(), h.name() + " should have been stored: " + header(record, "dlq.reason"));
            assertTrue(header(record, "dlq.reason").startsWith(h.rejectedBecause()), h.name() + ": " + header(record, "dlq.reason"));
        }
        ConsumerRecord<String, String> big = dead.stream().filter(r -> header(r, "dlq.original-size") != null).findFirst().orElseThrow();
        assertEquals(String.valueOf(BIG + "{\"id\": \"big\", \"text\": \"\"}".length()), header(big, "dlq.original-size"));
        assertTrue(big.serializedValueSize() < 1_000_000, "a truncated copy: " + big.serializedValueSize());

        Map<Object, Document> stored = new LinkedHashMap<>();
        documents().forEach(d -> stored.put(d.get("_id"), d));
        for (int i = 1; i <= VALID; i++) {
            assertEquals("user " + i, stored.get(i).getString("name"), "valid neighbour " + i);
        }
        assertEquals(5 * 1024 * 1024, stored.get("five").getString("text").length());
        assertEquals("bom", stored.get("bom").get("_id"));
        assertEquals("a\u0001b", stored.get("esc").getString("name"));
        assertEquals(new Document("_id", "intl").append("id", "intl").append("name", "Zoë 東京 😀").append("ключ", "значение")
                .append("😀", "é"), stored.get("intl"));
        assertEquals(new Decimal128(new java.math.BigDecimal("1e400")), stored.get("e400").get("n"));
        assertEquals(new Decimal128(new java.math.BigDecimal("123456789012345678901234567890")), stored.get("int").get("n"));
        assertEquals(new Document("$x", 1).append("b.c", 2), stored.get("nested").get("a"));
        assertEquals(1, stored.get("s").get("id"));
        assertTrue(stored.containsKey(9007199254740993L) && stored.containsKey(2.5) && stored.containsKey(true), stored.keySet().toString());
        assertTrue(stored.containsKey("null-id"), stored.keySet().toString());
        positional(stored, "_id an object: the record's position", byOffset);
        positional(stored, "_id an array: the record's position", byOffset);
        assertTrue(stored.containsKey("badkey"));
        long expectedDocuments = VALID + hostile.stream().filter(h -> h.rejectedBecause() == null).count();
        assertEquals(expectedDocuments, stored.size(), stored.keySet().toString());

        // still running: later records are stored too
        send(List.of(new ProducerRecord<>(topic, utf8("after"), utf8("{\"id\": \"after\", \"name\": \"still running\"}"))));
        await().atMost(30, TimeUnit.SECONDS).until(() -> GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals("still running", collection().find(new Document("_id", "after")).first().getString("name"));
        System.out.printf("Hostile records: %d tried among %d valid, %d stored, %d dead-lettered with a reason, 0 lost%n",
                hostile.size(), VALID, hostile.size() - rejections, rejections);
    }

    /** The document stored under a record's position (topic-partition-offset), as a record without a usable _id is. */
    private void positional(Map<Object, Document> stored, String name, Map<Long, Hostile> byOffset) {
        long offset = byOffset.entrySet().stream().filter(e -> e.getValue().name().equals(name)).findFirst().orElseThrow().getKey();
        assertNotNull(stored.get(topic + "-0-" + offset), name + " under " + topic + "-0-" + offset + ": " + stored.keySet());
    }

    private static String user(int i) {
        return "{\"id\": " + i + ", \"name\": \"user " + i + "\"}";
    }

    private static Hostile stored(String name, String json) {
        return new Hostile(name, null, utf8(json), null);
    }

    private static Hostile rejected(String name, String json, String because) {
        return new Hostile(name, null, utf8(json), because);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = utf8(before);
        byte[] c = utf8(after);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    private static void createTopic(String name, int maxMessageBytes) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(maxMessageBytes))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 96L * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> each : sent) {
                each.get();
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
