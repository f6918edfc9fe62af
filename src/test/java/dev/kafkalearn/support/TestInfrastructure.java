package dev.kafkalearn.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.kafkalearn.infra.FreePorts;
import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.infra.LocalSource;

/**
 * One real broker, one MongoDB-wire server and one HTTP source for the whole test JVM, on free loopback ports (the
 * MongoDB-wire server and the source bind port 0 themselves; the broker's two ports come from {@link FreePorts}).
 * Tests keep apart by using their own topics, consumer groups and databases.
 */
public final class TestInfrastructure {

    private static TestInfrastructure instance;

    public final LocalKafka kafka;
    public final LocalMongo mongo;
    public final LocalSource source;

    private TestInfrastructure(LocalKafka kafka, LocalMongo mongo, LocalSource source) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.source = source;
    }

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("kafka-learn-test");
                LocalSource source = LocalSource.start(0)
                        .serveJson("/users", resource("/users.json"))
                        .serveJson("/empty", "[]".getBytes(StandardCharsets.UTF_8))
                        .serveJson("/object", "{\"id\": 1, \"name\": \"not in an array\"}".getBytes(StandardCharsets.UTF_8))
                        .serve("/html", 200, "text/html", "<html><body>Maintenance</body></html>".getBytes(StandardCharsets.UTF_8))
                        .serve("/error500", 500, "text/plain", "boom".getBytes(StandardCharsets.UTF_8));
                LocalMongo mongo = LocalMongo.startInMemory(0);
                LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"), freePort(), freePort(), Map.of());
                instance = new TestInfrastructure(kafka, mongo, source);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    source.close();
                    kafka.close();
                    mongo.close();
                }));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test infrastructure", e);
            }
        }
        return instance;
    }

    public static byte[] resource(String name) throws IOException {
        try (var in = TestInfrastructure.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** A free loopback port that nothing takes by chance before it is bound (see {@link FreePorts}). */
    public static int freePort() {
        return FreePorts.next();
    }
}
