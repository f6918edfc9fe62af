package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel JBang as a user runs it: `bin/camel run routes/pipeline/*.camel.yaml application.properties` from the project directory
 * runs the pipeline's own route files and settings (configured by the environment variables) on the real broker and
 * database. On a fresh clone bin/camel first fetches Camel JBang from Maven Central and jars the project's classes.
 */
class CamelJBangIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private final TestInfrastructure infra = TestInfrastructure.get();

    @Test
    void camelRunOfTheRouteFilesAndSettingsStoresTheTenUsers() throws Exception {
        String run = "jbang-" + UUID.randomUUID().toString().substring(0, 8);
        Path log = Files.createTempFile("camel-run", ".log");
        // the README's command, glob and all
        ProcessBuilder builder = bash("exec bin/camel run routes/pipeline/*.camel.yaml application.properties", log);
        builder.environment().put("SOURCE_URL", infra.source.url("/users"));
        builder.environment().put("SOURCE_PACING_MS", "0");
        builder.environment().put("KAFKA_BROKERS", infra.kafka.bootstrapServers());
        builder.environment().put("KAFKA_TOPIC", run);
        builder.environment().put("KAFKA_GROUP_ID", run);
        builder.environment().put("MONGO_URI", infra.mongo.uri());
        builder.environment().put("MONGO_DATABASE", run);
        builder.environment().put("MONGO_COLLECTION", "users");
        builder.environment().put("MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        Process camel = builder.start();
        try (MongoClient client = MongoClients.create(infra.mongo.uri())) {
            MongoCollection<Document> users = client.getDatabase(run).getCollection("users");
            // first run on a fresh clone: Camel JBang from Maven Central, the project compiled and jarred
            await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .failFast("bin/camel ended", () -> !camel.isAlive())
                    .until(() -> users.countDocuments() == 10);
            List<Integer> ids = users.distinct("_id", Integer.class).into(new java.util.ArrayList<>());
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), ids.stream().sorted().collect(Collectors.toList()));
            assertEquals("Leanne Graham", users.find(new Document("_id", 1)).first().getString("name"));
        } finally {
            camel.destroy(); // SIGTERM (bin/camel execs java): a graceful stop
            assertTrue(camel.waitFor(30, TimeUnit.SECONDS), "camel run stops on SIGTERM");
        }
        String output = plain(log);
        assertFalse(Files.readString(log).contains("\u001B"), "log lines to a file carry no terminal colour codes");
        assertTrue(output.contains("Apache Camel (JBang) 4.18.0 is starting"), output);
        assertTrue(output.contains("Sent 10 records from " + infra.source.url("/users") + " to Kafka topic " + run), output);
        // one line per bulk write: the 10 users may come in one batch or several
        Matcher stored = Pattern.compile("Stored (\\d+) documents in " + run + "\\.users").matcher(output);
        assertEquals(10, stored.results().mapToInt(m -> Integer.parseInt(m.group(1))).sum(), output);
        // only the pipeline's routes: commands/ and tutorial/ are not under routes/pipeline/*.camel.yaml
        // (4 files, 7 routes: the source is the poll, one page and one group; the sink a consumer and a writer)
        assertTrue(output.contains("Routes startup (total:7)"), output);
        assertFalse(output.lines().anyMatch(l -> l.contains(" ERROR ")), output);
        assertTrue(output.contains("Apache Camel (JBang) 4.18.0 is shutdown"), output);
    }

    @Test
    void versionAndAMissingJavaIsOneLine() throws Exception {
        Path log = Files.createTempFile("camel-version", ".log");
        Process version = bash("exec bin/camel --version", log).start();
        assertTrue(version.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, version.exitValue());
        assertEquals("4.18.0", plain(log).lines().reduce((a, b) -> b).orElse(""), plain(log));

        // no java on the PATH (only what the script needs before it looks for java)
        Path bin = Files.createTempDirectory("no-java");
        Path dirname = java.util.Arrays.stream(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "dirname"))
                .filter(Files::isExecutable).findFirst().orElseThrow();
        Files.createSymbolicLink(bin.resolve("dirname"), dirname);
        ProcessBuilder noJava = new ProcessBuilder("/bin/bash", PROJECT.resolve("bin/camel").toString(), "--version")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        noJava.environment().put("PATH", bin.toString());
        Process process = noJava.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals(List.of("camel: java not found: install Java 17 or newer"), Files.readAllLines(log));
    }

    private static ProcessBuilder bash(String command, Path log) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(PROJECT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return builder;
    }

    /** The log without Camel JBang's colours. */
    private static String plain(Path log) throws Exception {
        return Files.readString(log).replaceAll("\u001B\\[[0-9;]*m", "");
    }
}
