package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.MongoTls;
import dev.kafkalearn.support.PipelineTestSupport;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MONGO_TLS_CA_FILE naming a CA that did not sign the server's certificate: one line saying the certificate is not
 * trusted and naming the setting, no stack trace; nothing is written, the records wait in Kafka.
 */
class MongoTlsWrongCaTest extends PipelineTestSupport {

    private static final MongoTls TLS = MongoTls.get();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("mongo.uri", TLS.uri(), "mongo.tls-ca-file", TLS.otherCaFile.toString());
    }

    @Test
    void aWrongCaIsOneLineNamingTheSetting() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));

        await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("TLS certificate is not trusted").isEmpty());
        List<LogCapture.Line> lines = log.containing("TLS certificate is not trusted");
        String line = lines.get(0).message();
        assertTrue(line.startsWith("MongoDB at localhost:" + TLS.port), line);
        assertTrue(line.contains("MONGO_TLS_CA_FILE"), line);
        assertEquals(1, line.lines().count(), line);
        assertFalse(lines.get(0).withStackTrace());
        assertEquals(10, readTopic(topic, 10).size(), "the users wait in Kafka");
        assertEquals(0, collection().countDocuments());
    }
}
