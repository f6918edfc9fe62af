package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.mongodb.client.MongoClient;
import dev.kafkalearn.settings.MongoConnection;
import dev.kafkalearn.support.MongoTls;
import dev.kafkalearn.support.PipelineTestSupport;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MongoDB over TLS with a private CA (MONGO_TLS_CA_FILE): the 10 users are stored through a real TLS terminator
 * (stunnel4) whose certificate that CA signed, and the start-up line says the server answered over it.
 */
class MongoTlsTest extends PipelineTestSupport {

    private static final MongoTls TLS = MongoTls.get();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", TLS.uri(), "mongo.tls-ca-file", TLS.caFile.toString());
    }

    @Test
    void usersAreStoredOverTlsWithThePrivateCa() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));

        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        assertEquals(IntStream.rangeClosed(1, 10).boxed().toList(), documents().stream().map(d -> d.get("_id")).toList());
        assertEquals(1, log.containing("MongoDB at localhost:" + TLS.port + " is reachable").size());

        // and they are readable back over TLS by a client trusting that CA only
        MongoConnection connection = new MongoConnection(TLS.uri());
        connection.setTlsCaFile(TLS.caFile.toString());
        try (MongoClient client = connection.client()) {
            List<Document> users = client.getDatabase(database).getCollection(collection)
                    .find(new Document("_id", 1)).into(new java.util.ArrayList<>());
            assertEquals("Leanne Graham", users.get(0).getString("name"));
        }
        log.assertNoErrorsNorStackTraces();
    }
}
