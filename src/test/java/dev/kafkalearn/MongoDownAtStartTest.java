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
 * stopped while it is still down, the sink stops at the end of the shutdown timeout and leaves the batch in Kafka.
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
     * Stopped while the batch waits for MongoDB: Camel's graceful shutdown waits its timeout for the writer, then
     * stops it; the consumer then commits nothing it did not store, says so in one line, and closes at once (before,
     * it waited its drain timeout for the stopped writer twice, at the close and at the revocation the close makes:
     * 40 s, then 30 s more until Camel interrupted the close). Not yet clean: Camel still interrupts the consumer's
     * close in a forced stop (Kafka's ERROR lines about it) and the writer's retry (one WARN with a stack trace).
     */
    @Test
    void stoppedWhileMongoIsDownLeavesTheBatchInKafka() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("MongoDB is not reachable").isEmpty());

        context.stop();

        String left = "1 batches were not written to MongoDB when the sink was stopped";
        assertEquals(1, log.containing(left).size(), log.lines().toString());
        assertEquals(List.of(), log.containing("batches were still being written to MongoDB"));
        assertEquals(Map.of(), offsets().committed(groupId, topic), "nothing committed: the 10 users are read again");
        assertEquals(10, offsets().records(topic));
    }
}
