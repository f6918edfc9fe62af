package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkalearn.settings.Rules;
import dev.kafkalearn.transform.TimedTransform;
import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.component.micrometer.MicrometerComponent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SOURCE_TRANSFORM, SINK_TRANSFORM (jq) and SINK_SCHEMA (JSON Schema) on the real pipeline. At the sink: a renamed
 * field is stored, a record the expression turns into null is dropped and counted, one it fails on (or turns into a
 * non-object) is dead-lettered with jq's message. At the source: the same expression rewrites the elements sent to
 * Kafka, one it drops or fails on is not sent (counted; a failure is one WARN line); a record that does not match the schema is dead-lettered with the validator's message, its
 * neighbours stored. An expression or schema that does not load is refused by the settings' rules.
 */
class TransformSchemaTest extends PipelineTestSupport {

    private static final String TRANSFORM = "if .drop then null elif .scalar then .name"
            + " else (.full_name = (.name | ascii_downcase) | del(.name)) end";

    @TempDir
    Path dir;

    @Test
    void transformRenamesDropsAndDeadLettersWithJqsMessage() throws Exception {
        produce(topic, List.of(
                "{\"id\": 1, \"name\": \"ANN\"}",
                "{\"id\": 2, \"name\": \"Bob\", \"drop\": true}",
                "{\"id\": 3, \"name\": {\"first\": \"C\"}}",
                "{\"id\": 5, \"name\": \"Eve\", \"scalar\": true}",
                "{\"id\": 4, \"name\": \"DEE\"}"));

        startPipeline(Map.of("sink.transform", TRANSFORM));

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 2
                && GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals(List.of(new Document("_id", 1).append("id", 1).append("full_name", "ann"),
                new Document("_id", 4).append("id", 4).append("full_name", "dee")), documents());
        Map<String, String> reasonByValue = reasons(dead);
        String failed = reasonByValue.get("{\"id\": 3, \"name\": {\"first\": \"C\"}}");
        assertTrue(failed.startsWith("SINK_TRANSFORM failed: ") && failed.contains("not applicable to OBJECT"),
                reasonByValue.toString());
        assertEquals("SINK_TRANSFORM must yield one object or null, it yielded string",
                reasonByValue.get("{\"id\": 5, \"name\": \"Eve\", \"scalar\": true}"), reasonByValue.toString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> dropped() == 1.0);
    }

    @Test
    void sourceTransformRewritesDropsAndSkipsElementsBeforeKafka() throws Exception {
        String path = "/transform-" + run;
        INFRA.source.serveJson(path, ("[{\"id\": 1, \"name\": \"ANN\"}, {\"id\": 2, \"name\": \"Bob\", \"drop\": true},"
                + " {\"id\": 3, \"name\": {\"first\": \"C\"}}, {\"id\": 4, \"name\": \"DEE\"}]")
                .getBytes(StandardCharsets.UTF_8));

        startPipeline(Map.of("source.url", INFRA.source.url(path), "source.transform", TRANSFORM));

        List<ConsumerRecord<String, String>> sent = readTopic(topic, 2);
        assertEquals(List.of("1={\"id\":1,\"full_name\":\"ann\"}", "4={\"id\":4,\"full_name\":\"dee\"}"),
                sent.stream().map(r -> r.key() + "=" + r.value()).toList());
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> dropped() >= 2);
        await().atMost(30, TimeUnit.SECONDS).until(
                () -> !log.containing("Skipped element 3 of the source: SOURCE_TRANSFORM failed: ").isEmpty());
        assertTrue(log.containing("; 2 dropped by SOURCE_TRANSFORM").get(0).message().contains("Sent 2 records from"),
                log.lines().toString());
        assertEquals(List.of("ann", "dee"), documents().stream().map(d -> d.getString("full_name")).toList());
        assertEquals(0, readTopic(dlqTopic, 0).size(), "nothing dead-lettered");
    }

    @Test
    void anElementTheSourceTransformNeverFinishesOnIsLeftOutAfterTheLimit() throws Exception {
        String path = "/spin-" + run;
        INFRA.source.serveJson(path, "[{\"id\": 1}, {\"id\": 2, \"spin\": true}, {\"id\": 3}]"
                .getBytes(StandardCharsets.UTF_8));

        startPipeline(Map.of("source.url", INFRA.source.url(path),
                "source.transform", "if .spin then (reduce range(1e15) as $x (.; .)) else . end",
                "source.transform-timeout-ms", "500"));

        List<ConsumerRecord<String, String>> sent = readTopic(topic, 2);
        assertEquals(List.of("1={\"id\":1}", "3={\"id\":3}"), sent.stream().map(r -> r.key() + "=" + r.value()).toList());
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing(
                "Skipped element 2 of the source: SOURCE_TRANSFORM: did not finish within 500 ms").isEmpty());
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("; 1 dropped by SOURCE_TRANSFORM").isEmpty());
    }

    @Test
    void aRecordNotMatchingTheSchemaIsDeadLetteredItsNeighboursStored() throws Exception {
        Path schema = dir.resolve("user.schema.json");
        Files.writeString(schema, "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\","
                + " \"required\": [\"id\", \"email\"], \"properties\": {\"id\": {\"type\": \"integer\"},"
                + " \"email\": {\"type\": \"string\"}}}");
        produce(topic, List.of(
                "{\"id\": 1, \"email\": \"a@example.com\"}",
                "{\"id\": 2, \"email\": 42}",
                "{\"id\": 3, \"email\": \"c@example.com\"}"));

        startPipeline(Map.of("sink.schema", schema.toString()));

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 1);
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 2
                && GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals(List.of("a@example.com", "c@example.com"),
                documents().stream().map(d -> d.getString("email")).toList());
        String reason = reasons(dead).get("{\"id\": 2, \"email\": 42}");
        assertTrue(reason.startsWith("does not match SINK_SCHEMA: ") && reason.contains("email")
                && reason.contains("integer"), reason);
    }

    /**
     * A record nested 999 levels deep is valid JSON within the sink's limit (1 000 levels), but a recursive schema
     * overflows the stack on it: it is dead-lettered with that reason and its neighbours are stored (before, the
     * batch was retried for ever and the partition stood still).
     */
    @Test
    void aRecordTooDeepForTheSchemaIsDeadLetteredNotRetried() throws Exception {
        Path schema = Files.writeString(dir.resolve("recursive.json"),
                "{\"type\": \"object\", \"additionalProperties\": {\"anyOf\": [{\"type\": \"integer\"}, {\"$ref\": \"#\"}]}}");
        tooDeepIsDeadLettered(Map.of("sink.schema", schema.toString()), "SINK_SCHEMA");
    }

    /** The same record and a recursive jq expression. */
    @Test
    void aRecordTooDeepForTheTransformIsDeadLetteredNotRetried() throws Exception {
        tooDeepIsDeadLettered(Map.of("sink.transform", "walk(.)"), "SINK_TRANSFORM");
    }

    @Test
    void aRecordTheTransformNeverFinishesOnIsDeadLetteredAfterTheLimit() throws Exception {
        // jq cannot be interrupted: before SINK_TRANSFORM_TIMEOUT_MS, the first spinning record held the sink for ever
        produce(topic, List.of("{\"id\": 1}", "{\"id\": 2, \"spin\": true}", "{\"id\": 3}",
                "{\"id\": 4, \"spin\": true}", "{\"id\": 5}"));

        startPipeline(Map.of("sink.transform", "if .spin then (reduce range(1e15) as $x (.; .)) else . end",
                "sink.transform-timeout-ms", "500"));

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 2);
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 3
                && GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        assertEquals(List.of(1, 3, 5), documents().stream().map(d -> d.get("_id")).toList());
        assertEquals(List.of("{\"id\": 2, \"spin\": true}", "{\"id\": 4, \"spin\": true}"),
                dead.stream().map(ConsumerRecord::value).toList());
        reasons(dead).values().forEach(reason ->
                assertEquals("SINK_TRANSFORM: did not finish within 500 ms", reason));
        // on Java 17 to 19 the two evaluations left behind are stopped (later JVMs can no longer stop a thread)
        if (Runtime.version().feature() < 20) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().endsWith(TimedTransform.ABANDONED)));
        }
    }

    private void tooDeepIsDeadLettered(Map<String, String> setting, String name) throws Exception {
        String deep = "{\"a\":".repeat(999) + "1" + "}".repeat(999);
        produce(topic, List.of("{\"id\": 1}", deep, "{\"id\": 2}"));

        startPipeline(setting);

        List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, 1);
        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().size() == 2
                && GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
        String reason = reasons(dead).get(deep);
        assertTrue(reason != null && reason.startsWith(name + ": too deeply nested"), reason);
        assertEquals(List.of(1, 2), documents().stream().map(d -> d.get("_id")).toList());
    }

    @Test
    void anInvalidExpressionOrSchemaIsRefusedAtTheStart() throws Exception {
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{\"type\": ");
        assertTrue(accepts("SINK_TRANSFORM", ""));
        assertFalse(accepts("SOURCE_TRANSFORM", "{a: }"));
        assertTrue(accepts("SINK_TRANSFORM", TRANSFORM));
        assertFalse(accepts("SINK_TRANSFORM", ".name |"));
        assertTrue(accepts("SINK_SCHEMA", ""));
        assertFalse(accepts("SINK_SCHEMA", dir.resolve("missing.json").toString()));
        assertFalse(accepts("SINK_SCHEMA", notJson.toString()));
    }

    private static boolean accepts(String setting, String value) {
        return Rules.TABLE.get(setting).check().accepts(value, Map.of());
    }

    private double dropped() {
        Counter counter = context.getComponent("micrometer", MicrometerComponent.class).getMetricsRegistry()
                .find("kafkalearn.records.dropped").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Map<String, String> reasons(List<ConsumerRecord<String, String>> dead) {
        return dead.stream().collect(Collectors.toMap(ConsumerRecord::value,
                r -> new String(r.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)));
    }
}
