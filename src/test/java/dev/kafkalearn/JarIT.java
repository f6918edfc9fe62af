package dev.kafkalearn;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production path: `java -jar target/kafka-learn.jar`, configured only by the documented environment variables. */
class JarIT {

    private static final Path JAR = Path.of("target/kafka-learn.jar").toAbsolutePath();

    @Test
    void jarCarriesRoutesAndSettingsButNoEmbeddedInfrastructure() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertTrue(jar.getEntry("routes/pipeline/source-to-kafka.camel.yaml") != null);
            assertTrue(jar.getEntry("routes/pipeline/kafka-to-mongodb.camel.yaml") != null);
            assertTrue(jar.getEntry("application.properties") != null);
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("de/bwaldvogel/")), "no mongo-java-server");
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("kafka/server/")), "no Kafka broker");
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("dev/kafkalearn/infra/")), "no local infrastructure");
        }
    }

    @Test
    void jarRunsThePipelineFromAnyDirectoryWithTheEnvironmentSettings() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path workDir = Files.createTempDirectory("jar-run");
        Process pipeline = startJar(workDir, Map.of(
                "SOURCE_URL", infra.source.url("/users"),
                "SOURCE_PACING_MS", "0",
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", "jar-" + run,
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", "jar-" + run,
                "MONGO_COLLECTION", "users"), "pipeline.log");
        try (MongoClient client = MongoClients.create(infra.mongo.uri())) {
            MongoCollection<Document> users = client.getDatabase("jar-" + run).getCollection("users");
            await().atMost(60, TimeUnit.SECONDS).until(() -> users.countDocuments() == 10);
            assertEquals("Leanne Graham", users.find(new Document("_id", 1)).first().getString("name"));
        } finally {
            pipeline.destroy(); // SIGTERM: a graceful stop
            assertTrue(pipeline.waitFor(40, TimeUnit.SECONDS), "the pipeline stops on SIGTERM");
        }
        List<String> lines = Files.readAllLines(workDir.resolve("pipeline.log"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("Sent 10 records")), String.join("\n", lines));
        // one line per bulk write: the 10 users may come in one batch or several
        Pattern stored = Pattern.compile("Stored (\\d+) documents in jar-" + run + "\\.users");
        assertEquals(10, lines.stream().map(stored::matcher).filter(Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum(), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains(" ERROR ")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("is shutdown")), String.join("\n", lines));
    }

    @Test
    void killDashNineMidStreamAndRestartLosesNothingAndFinishesTheTopic() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        int records = 30_000;
        produceUsers(infra, "kill-" + run, records);
        Map<String, String> env = Map.of(
                "SOURCE_URL", infra.source.url("/empty"),
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", "kill-" + run,
                "KAFKA_GROUP_ID", "kill-" + run,
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", "kill-" + run);
        Path workDir = Files.createTempDirectory("jar-kill");
        try (MongoClient client = MongoClients.create(infra.mongo.uri())) {
            MongoCollection<Document> stored = client.getDatabase("kill-" + run).getCollection("test");
            Process first = startJar(workDir, env, "first.log");
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> stored.countDocuments() > 0);
            killDashNine(first); // mid-stream
            first.waitFor(10, TimeUnit.SECONDS);
            long atKill = stored.countDocuments();

            Process second = startJar(workDir, env, "second.log");
            try {
                // the restarted member may wait for the killed one's session to expire (45 s) before it gets the partition
                await().atMost(150, TimeUnit.SECONDS).until(() -> stored.countDocuments() == records);
            } finally {
                second.destroy();
                second.waitFor(40, TimeUnit.SECONDS);
            }
            assertTrue(atKill < records, "the kill happened mid-stream (" + atKill + " of " + records + " stored)");
            assertEveryUserStored(stored, records);
            try (KafkaOffsets offsets = new KafkaOffsets(infra.kafka.bootstrapServers())) {
                // the restarted pipeline finished the topic: its committed offset is the end offset, nothing dead-lettered
                assertEquals(Map.of(new TopicPartition("kill-" + run, 0), (long) records),
                        offsets.committed("kill-" + run, "kill-" + run), "committed up to the end offset");
                assertEquals(0, offsets.records("kill-" + run + ".dlq"), "the dead-letter topic's end offset");
            }
            System.out.printf("kill -9 test: %d of %d stored at the kill; after the restart all %d stored with their "
                    + "content, committed to the end, none dead-lettered%n", atKill, records, records);
        }
    }

    @Test
    void sigtermMidStreamCommitsEveryBatchItStored() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        int records = 60_000;
        produceUsers(infra, "term-" + run, records);
        Map<String, String> env = Map.of(
                "SOURCE_URL", infra.source.url("/empty"),
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", "term-" + run,
                "KAFKA_GROUP_ID", "term-" + run,
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", "term-" + run);
        Path workDir = Files.createTempDirectory("jar-term");
        try (MongoClient client = MongoClients.create(infra.mongo.uri());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka.bootstrapServers()))) {
            MongoCollection<Document> stored = client.getDatabase("term-" + run).getCollection("test");
            Process pipeline = startJar(workDir, env, "pipeline.log");
            await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                    .until(() -> stored.countDocuments() > 0);
            pipeline.destroy(); // SIGTERM, mid-stream
            assertTrue(pipeline.waitFor(40, TimeUnit.SECONDS), "the pipeline stops on SIGTERM");

            long storedAtStop = stored.countDocuments();
            long committed = admin.listConsumerGroupOffsets("term-" + run).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("term-" + run, 0)).offset();
            assertTrue(storedAtStop < records, "stopped mid-stream (" + storedAtStop + " of " + records + ")");
            // records 1..N sit at offsets 0..N-1: every stored batch was committed, and nothing committed is unstored
            assertEquals(storedAtStop, committed, "stored documents = committed offset after a graceful stop");
            System.out.printf("SIGTERM test: %d of %d stored and committed at the stop%n", storedAtStop, records);
        }
    }

    /** Exactly the documents _id 1..count, each with the content its record carried. */
    private static void assertEveryUserStored(MongoCollection<Document> stored, int count) {
        assertEquals(count, stored.countDocuments(), "one document per record (_id 1.." + count + ")");
        long wrong = 0;
        for (Document document : stored.find()) {
            int id = document.getInteger("_id");
            if (id < 1 || id > count || !("user " + id).equals(document.getString("name")) || document.getInteger("id") != id) {
                wrong++;
            }
        }
        assertEquals(0, wrong, "documents whose _id or content is not their record's");
    }

    private static void produceUsers(TestInfrastructure infra, String topic, int count) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", infra.kafka.bootstrapServers());
        props.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        props.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        props.put("linger.ms", "20");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(props)) {
            for (int i = 1; i <= count; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, String.valueOf(i),
                        "{\"id\": " + i + ", \"name\": \"user " + i + "\"}"));
            }
            producer.flush();
        }
    }

    /**
     * A crash: SIGKILL to the pipeline's JVM and to the one java -jar started (ClassArchiveLauncher runs the pipeline in
     * a second JVM, which on its own would only halt once it saw its launcher gone).
     */
    static void killDashNine(Process jar) {
        jar.descendants().forEach(ProcessHandle::destroyForcibly);
        jar.destroyForcibly();
    }

    /** Starts the packaged jar in its own JVM (from workDir, with env added), its output in workDir/logName. */
    static Process startJar(Path workDir, Map<String, String> env, String logName) throws Exception {
        return startJar(JAR, workDir, env, logName);
    }

    static Process startJar(Path jar, Path workDir, Map<String, String> env, String logName) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-jar", jar.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(logName).toFile());
        // a free port for the health/metrics server (on loopback: MANAGEMENT_HOST's default), unless the test chose one
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
