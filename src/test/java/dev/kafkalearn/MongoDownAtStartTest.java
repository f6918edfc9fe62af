package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MongoDB down when the pipeline starts: it says so once, the batch waits, and all 10 users are stored once it is up;
 * stopped while it is still down, the sink stops gracefully and leaves the batch in Kafka.
 */
class MongoDownAtStartTest extends PipelineTestSupport {

    private static final int PORT = TestInfrastructure.freePort();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", "mongodb://127.0.0.1:" + PORT + "/?serverSelectionTimeoutMS=1000");
    }

    @Test
    void waitsForMongoAndLosesNothing() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> !log.containing("MongoDB at 127.0.0.1:" + PORT + " is not reachable yet").isEmpty());
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("MongoDB is not reachable").isEmpty());

        try (LocalMongo mongo = LocalMongo.startInMemory(PORT);
             MongoClient client = MongoClients.create(mongo.uri())) {
            await().atMost(60, TimeUnit.SECONDS)
                    .until(() -> client.getDatabase(database).getCollection(collection).countDocuments() == 10);
        }
        awaitSinkCaughtUp();
        // says so once: one start-up line, and one line per retry of the waiting batch (never two for one retry)
        assertEquals(1, log.containing("is not reachable yet").size(), log.lines().toString());
        List<String> retries = log.containing("MongoDB is not reachable").stream().map(LogCapture.Line::message).toList();
        assertEquals(retries.size(), retries.stream().map(l -> l.substring(l.lastIndexOf("(retry "))).distinct().count(),
                "one line per retry: " + retries);
        log.assertNoErrorsNorStackTraces();
    }

    /**
     * Stopped while the batch waits for MongoDB: the writer's retry ends as Camel prepares the routes to stop, so the
     * graceful shutdown does not time out; the consumer commits nothing it did not store and says so in one line, with
     * no error and no stack trace (before: Camel waited its whole shutdown timeout for the writer, then forced the
     * routes down, interrupting the writer's retry and the consumer's close).
     */
    @Test
    void stoppedWhileMongoIsDownLeavesTheBatchInKafka() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("MongoDB is not reachable").isEmpty());

        stopGracefullySaying("1 batches were not written when the sink was stopped (they were waiting for MongoDB or Kafka)");
        assertEquals(List.of(), log.containing("batches were still being written to MongoDB"));
        assertEquals(Map.of(), offsets().committed(groupId, topic), "nothing committed: the 10 users are read again");
        assertEquals(10, offsets().records(topic));
    }
}
