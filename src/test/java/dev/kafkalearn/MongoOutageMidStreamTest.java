package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB stops mid-stream and comes back after longer than the consumer's max poll interval: the group takes the
 * partition away from the stalled pipeline and gives it back. Still every document ends at its last version, every
 * malformed record is dead-lettered exactly once (the stalled batch is handled, then read again by the partition's
 * next owner), and the group commits up to the end of the topic.
 */
class MongoOutageMidStreamTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();
    private static final int USERS = 30_000;
    /** Every this many users, a malformed record; and every this many, a second version of an earlier user. */
    private static final int MALFORMED_EVERY = 1_000;
    private static final int UPDATED_EVERY = 100;

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", "mongodb://127.0.0.1:" + PORT + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000");
    }

    @Test
    void mongoStoppedMidStreamLosesAndDuplicatesNothing() throws Exception {
        Path dataFile = Files.createTempDirectory("mongo-outage").resolve("mongo.mv");
        List<String> records = new ArrayList<>();
        int malformed = 0;
        for (int i = 1; i <= USERS; i++) {
            records.add("{\"id\": " + i + ", \"name\": \"user " + i + "\", \"version\": 1}");
            if (i % UPDATED_EVERY == 0) {
                // a later version of a user sent earlier: the document must end at this one
                records.add("{\"id\": " + (i - 50) + ", \"name\": \"user " + (i - 50) + "\", \"version\": 2}");
            }
            if (i % MALFORMED_EVERY == 0) {
                records.add("not json " + i);
                malformed++;
            }
        }
        produce(topic, records);

        LocalMongo mongo = LocalMongo.startPersistent(dataFile, PORT);
        long atStop;
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            startPipeline(Map.of("mongo.batch-size", "100", "kafka.max-poll-interval-ms", "6000"));
            MongoCollection<Document> stored = client.getDatabase(database).getCollection(collection);
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> stored.countDocuments() > 0);
            mongo.close();
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> !log.containing("records wait, nothing is skipped or committed").isEmpty());
        // down for longer than the max poll interval: wait until the group has taken the partition from the stalled
        // member (it leaves the group when its poll interval expires)
        try (Admin admin = Admin.create(adminProperties())) {
            await().atMost(60, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() ->
                    admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId)
                            .members().isEmpty());
        }

        mongo = LocalMongo.startPersistent(dataFile, PORT);
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> stored = client.getDatabase(database).getCollection(collection);
            atStop = stored.countDocuments();
            await().atMost(300, TimeUnit.SECONDS).until(() -> GroupOffsets.caughtUp(INFRA.kafka.bootstrapServers(), groupId, topic));
            assertTrue(atStop < USERS, "MongoDB stopped mid-stream (" + atStop + " of " + USERS + " stored)");
            List<Document> documents = stored.find().sort(new Document("_id", 1)).into(new ArrayList<>());
            assertEquals(USERS, documents.size(), "one document per user");
            for (int i = 1; i <= USERS; i++) {
                Document document = documents.get(i - 1);
                int expectedVersion = (i + 50) % UPDATED_EVERY == 0 && i + 50 <= USERS ? 2 : 1;
                assertEquals(new Document("_id", i).append("id", i).append("name", "user " + i)
                        .append("version", expectedVersion), document, "user " + i + " at its last version");
            }
            List<ConsumerRecord<String, String>> dead = readTopic(dlqTopic, malformed);
            assertEquals(malformed, dead.size(), "each malformed record dead-lettered exactly once");
            assertEquals(malformed, dead.stream().map(ConsumerRecord::value).distinct().count());
            System.out.printf("MongoDB outage test: %d of %d stored when MongoDB stopped, all after it came back%n",
                    atStop, USERS);
        } finally {
            context.stop();
            mongo.close();
        }
        log.assertNoErrorsNorStackTraces();
    }

    private static Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        return props;
    }
}
