package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.kafkalearn.support.PipelineTestSupport;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconcile command finds what is missing; the replay command re-reads the topic from offset 0 and the pipeline
 * repairs it: every document back, and still one per _id.
 */
class ReconcileAndReplayTest extends PipelineTestSupport {

    @Test
    void reconcileSpotsALostDocumentAndAReplayFromZeroRestoresItWithoutDuplicates() throws Exception {
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
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10
                && "Leanne Graham".equals(collection().find(Filters.eq("_id", 1)).first().getString("name")));
        assertEquals(10, collection().distinct("_id", Integer.class).into(new java.util.ArrayList<>()).size());
        Document restored = collection().find(Filters.eq("_id", 2)).first();
        assertEquals("Ervin Howell", restored.getString("name"));
        await().atMost(30, TimeUnit.SECONDS).until(() -> report(users).contains("all records (lag 0)"));
        assertTrue(report(users).contains("OK"));
    }

    private String report(Map<String, String> settings) throws Exception {
        List<String> lines = runCommand("commands/reconcile", settings);
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }
}
