package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB stops mid-stream and comes back after longer than the consumer's max poll interval: the group takes the
 * partition away from the stalled pipeline and gives it back, and still every record is stored exactly once.
 */
class MongoOutageMidStreamTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();
    private static final int RECORDS = 30_000;

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", "mongodb://127.0.0.1:" + PORT + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000");
    }

    @Test
    void mongoStoppedMidStreamLosesAndDuplicatesNothing() throws Exception {
        Path dataFile = Files.createTempDirectory("mongo-outage").resolve("mongo.mv");
        produce(topic, IntStream.rangeClosed(1, RECORDS)
                .mapToObj(i -> "{\"id\": " + i + ", \"name\": \"user " + i + "\"}").toList());

        LocalMongo mongo = LocalMongo.startPersistent(dataFile, PORT);
        long atStop;
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            startPipeline(Map.of("mongo.batch-size", "100", "kafka.max-poll-interval-ms", "6000"));
            MongoCollection<Document> stored = client.getDatabase(database).getCollection(collection);
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> stored.countDocuments() > 0);
            mongo.close();
        }
        // down for longer than the max poll interval: the stalled member loses its partition meanwhile
        await().atMost(60, TimeUnit.SECONDS).until(() -> !log.containing("records wait, nothing is skipped or committed").isEmpty());
        Thread.sleep(9_000);

        mongo = LocalMongo.startPersistent(dataFile, PORT);
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> stored = client.getDatabase(database).getCollection(collection);
            atStop = stored.countDocuments();
            await().atMost(120, TimeUnit.SECONDS).until(() -> stored.countDocuments() == RECORDS);
            assertTrue(atStop < RECORDS, "MongoDB stopped mid-stream (" + atStop + " of " + RECORDS + " stored)");
            List<Integer> ids = stored.distinct("_id", Integer.class).into(new ArrayList<>());
            assertEquals(RECORDS, ids.size(), "every record once, by _id");
            assertEquals(RECORDS, ids.stream().mapToInt(Integer::intValue).max().orElse(0));
            System.out.printf("MongoDB outage test: %d of %d stored when MongoDB stopped, %d after it came back%n",
                    atStop, RECORDS, RECORDS);
        } finally {
            context.stop();
            mongo.close();
        }
        log.assertNoErrorsNorStackTraces();
    }
}
