package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconcile command finds what is missing; the replay command re-reads the topic from offset 0 and the pipeline
 * repairs it: the sink commits the topic's end again, every document is back at the source's content, and each reading
 * of a malformed record dead-letters it once.
 */
class ReconcileAndReplayTest extends PipelineTestSupport {

    @Test
    void reconcileSpotsALostDocumentAndAReplayFromZeroRestoresEveryDocumentsContent() throws Exception {
        Map<String, String> users = Map.of("source.url", INFRA.source.url("/users"));
        produce(topic, List.of("not json", "[1, 2]"));
        startPipeline(users);
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        readTopic(dlqTopic, 2);

        String ok = report(users);
        assertTrue(ok.contains("12 records: 10 distinct _id, 2 malformed"), ok);
        assertTrue(ok.contains("10 documents; 10 of the topic's 10 _id"), ok);
        assertTrue(ok.contains("2 records; 2 of the topic's 2 malformed"), ok);
        assertTrue(ok.contains("10 elements"), ok);
        assertTrue(ok.contains("result") && ok.contains("OK"), ok);

        // a document lost, another one changed behind the pipeline's back
        collection().deleteOne(Filters.eq("_id", 2));
        collection().updateOne(Filters.eq("_id", 1), Updates.set("name", "changed by hand"));
        String missing = report(users);
        assertTrue(missing.contains("MISSING") && missing.contains("_id not stored: [2]"), missing);

        List<String> refused = runCommand("commands/replay", Map.of("replay.from", "0"));
        assertEquals(List.of("Replay of " + topic + " not done: the pipeline is running (consumer group " + groupId
                             + " has 1 member(s)): stop it, replay, then start it again"), refused);

        context.getRouteController().stopRoute("kafka-to-mongodb");
        List<String> badFrom = runCommand("commands/replay", Map.of("replay.from", "yesterday"));
        assertEquals(1, badFrom.size(), badFrom.toString());
        assertTrue(badFrom.get(0).endsWith("'yesterday' is none of these"), badFrom.get(0));

        List<String> replayed = runCommand("commands/replay", Map.of("replay.from", "0"));
        assertEquals(1, replayed.size(), replayed.toString());
        assertTrue(replayed.get(0).contains("partition 0 at offset 0 (was 12); 12 records"), replayed.get(0));

        context.getRouteController().startRoute("kafka-to-mongodb");
        // the replay is finished once the sink committed the topic's end again (12: 10 users, 2 malformed)
        awaitSinkCaughtUp();
        assertEquals(Map.of(new TopicPartition(topic, 0), 12L), offsets().committed(groupId, topic));
        // every user back as the source has it: the lost one restored, the changed one repaired, nothing else
        JsonNode source = new ObjectMapper().readTree(TestInfrastructure.resource("/users.json"));
        List<Document> documents = documents();
        assertEquals(10, documents.size(), documents.toString());
        for (int i = 0; i < 10; i++) {
            assertEquals(source.get(i).get("id").asInt(), documents.get(i).get("_id"));
            assertEquals(source.get(i).get("name").asText(), documents.get(i).getString("name"));
            assertEquals(source.get(i).get("email").asText(), documents.get(i).getString("email"));
        }
        // the 2 malformed records were read twice (before the replay and by it): each reading dead-letters them once
        assertEquals(4, offsets().records(dlqTopic), "the dead-letter topic's end offset: 2 readings of 2 records");
        await().atMost(30, TimeUnit.SECONDS).until(() -> report(users).contains("all records (lag 0)"));
        assertTrue(report(users).contains("OK"));
    }

    private String report(Map<String, String> settings) throws Exception {
        List<String> lines = runCommand("commands/reconcile", settings);
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }
}
