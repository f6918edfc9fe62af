package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline is stopped while MongoDB is down and the sink retries a batch, with more batches read and waiting
 * behind it, and MONGO_URI says nothing of timeouts (the driver's wait for a server is the pipeline's default): the
 * stop is graceful (Camel's shutdown does not time out and force the routes down, which interrupts the writer with
 * stack traces), says in one line what was left unwritten, and commits only what MongoDB stored.
 */
class StopDuringMongoOutageTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();
    private static final int USERS = 20_000;

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", "mongodb://127.0.0.1:" + PORT);
    }

    @Test
    void stopWhileMongoIsDownIsGracefulAndCommitsOnlyWhatWasStored() throws Exception {
        Path dataFile = Files.createTempDirectory("mongo-stop").resolve("mongo.mv");
        List<String> records = new ArrayList<>();
        for (int i = 1; i <= USERS; i++) {
            records.add("{\"id\": " + i + ", \"name\": \"user " + i + "\"}");
        }
        produce(topic, records);

        LocalMongo mongo = LocalMongo.startPersistent(dataFile, PORT);
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            startPipeline(Map.of("mongo.batch-size", "100"));
            MongoCollection<Document> stored = client.getDatabase(database).getCollection(collection);
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> stored.countDocuments() > 0);
            mongo.close();
        }
        await().atMost(60, TimeUnit.SECONDS).until(() -> !log.containing("records wait, nothing is skipped or committed").isEmpty());

        stopGracefullySaying("were not written when the sink was stopped (they were waiting for MongoDB or Kafka)");

        long committed = GroupOffsets.committed(INFRA.kafka.bootstrapServers(), groupId, topic).getOrDefault(0, 0L);
        mongo = LocalMongo.startPersistent(dataFile, PORT);
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            long storedAtStop = client.getDatabase(database).getCollection(collection).countDocuments();
            // one partition, one record per user, stored in offset order: a committed offset beyond what is stored
            // would have skipped records
            assertTrue(committed <= storedAtStop, "committed " + committed + " <= stored " + storedAtStop);
            assertTrue(storedAtStop < USERS, "stopped mid-stream (" + storedAtStop + " of " + USERS + ")");
        } finally {
            mongo.close();
        }
    }
}
