package dev.kafkalearn;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MongoDB down when the pipeline starts: it says so once, the batch waits, and all 10 users are stored once it is up. */
class MongoDownAtStartTest extends PipelineTestSupport {

    private static final int PORT = freePort();

    private final LogCapture log = new LogCapture();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", "mongodb://127.0.0.1:" + PORT + "/?serverSelectionTimeoutMS=1000");
    }

    @AfterEach
    void stopCapture() {
        log.close();
    }

    @Test
    void waitsForMongoAndLosesNothing() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> !log.containing("MongoDB at 127.0.0.1:" + PORT + " is not reachable yet").isEmpty());
        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("MongoTimeoutException").isEmpty());

        try (LocalMongo mongo = LocalMongo.startInMemory(PORT);
             MongoClient client = MongoClients.create(mongo.uri())) {
            await().atMost(60, TimeUnit.SECONDS)
                    .until(() -> client.getDatabase(database).getCollection(collection).countDocuments() == 10);
        }
        assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), log.lines().toString());
        assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
    }

    private static int freePort() {
        try {
            return TestInfrastructure.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
