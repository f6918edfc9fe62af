package dev.kafkalearn;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command as a newcomer types it: `mvn -Pdev` starts a broker, a MongoDB-wire server and the
 * tutorial's 10 users, then the pipeline, which stores them; Ctrl-C (SIGTERM) stops the pipeline and the
 * infrastructure. Free ports and a fresh data directory instead of 9092/27018/8089 and ./data, so it runs beside
 * anything else.
 */
class QuickStartIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @Test
    void mvnPdevStoresTheTenUsersAndCtrlCStopsEverything() throws Exception {
        int kafkaPort = TestInfrastructure.freePort();
        int mongoPort = TestInfrastructure.freePort();
        int sourcePort = TestInfrastructure.freePort();
        Path data = Files.createTempDirectory("quick-start-data");
        Path log = Files.createTempFile("quick-start", ".log");
        // online, as the README has it: `mvn verify` never runs exec-maven-plugin, so on a fresh machine this is the
        // first build that needs it (offline, its prefix was not found: the plugin's parent POM was never fetched)
        ProcessBuilder builder = new ProcessBuilder("mvn", "-q", "-Dstyle.color=never", "-Pdev")
                .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("LOCAL_KAFKA_PORT", String.valueOf(kafkaPort));
        builder.environment().put("LOCAL_KAFKA_CONTROLLER_PORT", String.valueOf(TestInfrastructure.freePort()));
        builder.environment().put("LOCAL_MONGO_PORT", String.valueOf(mongoPort));
        builder.environment().put("LOCAL_SOURCE_PORT", String.valueOf(sourcePort));
        builder.environment().put("LOCAL_DATA_DIR", data.toString());
        // the pipeline's defaults name the default ports; with other ports it is told where they are
        builder.environment().put("KAFKA_BROKERS", "localhost:" + kafkaPort);
        builder.environment().put("MONGO_URI", "mongodb://localhost:" + mongoPort);
        builder.environment().put("MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        Process dev = builder.start();
        try (MongoClient client = MongoClients.create("mongodb://localhost:" + mongoPort)) {
            MongoCollection<Document> users = client.getDatabase("database").getCollection("test");
            await().atMost(180, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS)
                    .failFast("mvn -Pdev ended: " + log, () -> !dev.isAlive())
                    .ignoreExceptions()
                    .until(() -> users.countDocuments() == 10);
            List<Integer> ids = users.distinct("_id", Integer.class).into(new ArrayList<>());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), ids.stream().sorted().toList());
            assertEquals("Leanne Graham", users.find(new Document("_id", 1)).first().getString("name"));
        } finally {
            dev.destroy(); // SIGTERM, as Ctrl-C
        }
        assertTrue(dev.waitFor(90, TimeUnit.SECONDS), "mvn -Pdev stops on SIGTERM");
        String output = Files.readString(log);
        assertTrue(output.contains("Local infrastructure is up"), output);
        assertTrue(output.contains("Sent 10 records from http://localhost:" + sourcePort + "/users to Kafka topic my-test-topic"),
                output);
        // the pipeline's JVM takes the broker, the database and the source down with it
        await().atMost(60, TimeUnit.SECONDS).until(() -> !listening(kafkaPort) && !listening(mongoPort)
                && !listening(sourcePort));
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
