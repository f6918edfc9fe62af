package dev.kafkalearn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tutorial's run: the 10 users from the HTTP source reach the topic, one record each, and the collection. */
class PipelineTest extends PipelineTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void usersFromTheSourceEndUpInKafkaAndMongo() throws Exception {
        JsonNode users = JSON.readTree(TestInfrastructure.resource("/users.json"));

        startPipeline(Map.of("source.url", INFRA.source.url("/users"), "source.pacing-ms", "100"));

        List<ConsumerRecord<String, String>> records = readTopic(topic, 10);
        assertEquals(10, records.size(), "one record per user");
        for (int i = 0; i < 10; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            assertEquals(String.valueOf(i + 1), record.key(), "keyed by the user's id, in source order");
            assertEquals(users.get(i), JSON.readTree(record.value()), "the record is the user's JSON, unchanged");
        }
        // from the 2nd record on: the first one's timestamp is taken after the producer fetched the topic's metadata,
        // which eats into the first gap; 8 gaps of 100 ms (unpaced, all 10 go out within a few milliseconds)
        long spread = records.get(9).timestamp() - records.get(1).timestamp();
        assertEquals(true, spread >= 750, "sends are paced 100 ms apart, saw " + spread + " ms for the last 9");

        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        List<Document> documents = documents();
        assertEquals(IntStream.rangeClosed(1, 10).boxed().toList(), documents.stream().map(d -> d.get("_id")).toList());
        for (int i = 0; i < 10; i++) {
            JsonNode user = users.get(i);
            Document document = documents.get(i);
            assertEquals(user.get("name").asText(), document.getString("name"));
            assertEquals(user.get("address").get("geo").get("lat").asText(),
                    document.get("address", Document.class).get("geo", Document.class).getString("lat"));
            assertEquals(user.get("id").asInt(), document.getInteger("id"));
        }
    }

    @Test
    void fetchingTheSourceAgainReplacesInsteadOfDuplicating() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);

        // the same users again, as a second poll of the source would send them, each with a changed name
        List<String> again = new ArrayList<>();
        for (ConsumerRecord<String, String> record : readTopic(topic, 10)) {
            ObjectNode user = (ObjectNode) JSON.readTree(record.value());
            again.add(user.put("name", user.get("name").asText() + " (second poll)").toString());
        }
        produce(topic, again);

        assertEquals(20, readTopic(topic, 20).size());
        // the sink has finished the second round once its committed offset is the topic's end (20), not sooner
        awaitSinkCaughtUp();
        assertEquals(Map.of(new TopicPartition(topic, 0), 20L), offsets().committed(groupId, topic));
        assertEquals(10, collection().countDocuments(), "replaced, one document per user");
        JsonNode users = JSON.readTree(TestInfrastructure.resource("/users.json"));
        List<Document> documents = documents();
        for (int i = 0; i < 10; i++) {
            assertEquals(users.get(i).get("name").asText() + " (second poll)", documents.get(i).getString("name"),
                    "each document is its user's last version");
            assertEquals(users.get(i).get("email").asText(), documents.get(i).getString("email"));
        }
        assertEquals(0, offsets().records(dlqTopic), "nothing dead-lettered: the dead-letter topic's end offset is 0");
    }
}
