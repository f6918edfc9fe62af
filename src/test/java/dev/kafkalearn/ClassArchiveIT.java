package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * java -jar's start with class-data sharing ({@link ClassArchiveLauncher}), on a copy of the jar in a folder of its own:
 * the first run records the archive when it stops, the next maps it; the JVM java started passes a stop on and exits
 * with the pipeline's code, and a pipeline whose launching JVM is killed ends with it. How much faster it starts
 * is the benchmark's to say (docs/benchmark.md), not a test's.
 */
class ClassArchiveIT {

    private static final Path JAR = Path.of("target/kafka-learn.jar").toAbsolutePath();

    @Test
    void theFirstRunRecordsTheArchiveAtItsStopAndTheNextMapsIt() throws Exception {
        Path dir = jarCopy();
        Path archive = dir.resolve("kafka-learn-run.jsa");

        Process first = startAndAwaitTenUsers(dir, "first.log");
        assertTrue(pipelineArguments(first).stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")),
                "the first run records: " + pipelineArguments(first));
        assertFalse(Files.exists(archive), "no archive before the first run stopped");
        first.destroy(); // SIGTERM to the JVM java started: passed on, and awaited (the archive is written at the exit)
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "stopped");
        assertEquals(143, first.exitValue(), "the pipeline's exit code after a SIGTERM");
        assertTrue(Files.isRegularFile(archive) && Files.size(archive) > 10_000_000, "an archive of the run's classes");
        assertEquals(List.of(archive), filesIn(dir, ".jsa"), "the archive under its name, nothing half-written beside it");
        assertTrue(Files.readString(dir.resolve("first.log")).contains("is shutdown"), "a graceful stop");

        Process second = startAndAwaitTenUsers(dir, "second.log");
        long pipeline = pipelineOf(second).pid();
        assertTrue(pipelineArguments(second).contains("-XX:SharedArchiveFile=" + archive.toRealPath()),
                "the next run maps it: " + pipelineArguments(second));
        // the JVM refuses an archive that does not match the jar silently (its log is off): mapped means accepted
        assertTrue(Files.readString(Path.of("/proc/" + pipeline + "/maps")).contains(archive.toRealPath().toString()),
                "the pipeline's JVM has the archive mapped");
        second.destroy();
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "stopped");
        assertFalse(ProcessHandle.of(pipeline).map(ProcessHandle::isAlive).orElse(false), "no pipeline left running");
    }

    @Test
    void aPipelineWhoseLaunchingJvmIsKilledEndsWithIt() throws Exception {
        Path dir = jarCopy();
        Process launcher = startAndAwaitTenUsers(dir, "pipeline.log");
        ProcessHandle pipeline = pipelineOf(launcher);
        launcher.destroyForcibly(); // SIGKILL: it cannot pass anything on
        assertTrue(pipeline.onExit().get(30, TimeUnit.SECONDS) != null && !pipeline.isAlive(), "the pipeline ended");
        String log = Files.readString(dir.resolve("pipeline.log"));
        // as a SIGKILL to one JVM: no graceful stop (which would keep it running beside a restarted one)
        assertFalse(log.contains("is shutting down"), "no graceful stop: " + log);
        assertEquals(1, log.lines().filter(l -> l.equals("The JVM that java -jar started was killed: the pipeline ends with it"))
                .count(), log);
        // what its JVM may have written as it ended is nobody's to rename: not the archive, and removed by the next start
        assertFalse(Files.exists(dir.resolve("kafka-learn-run.jsa")), "no archive kept");
        Process next = startAndAwaitTenUsers(dir, "next.log");
        next.destroy();
        assertTrue(next.waitFor(60, TimeUnit.SECONDS), "stopped");
        assertEquals(List.of(dir.resolve("kafka-learn-run.jsa")), filesIn(dir, ".jsa"), "the next run's archive alone");
    }

    @Test
    void aStartRefusedBySettingsExitsWithItsCodeAndKeepsNoArchive() throws Exception {
        Path dir = jarCopy();
        Process refused = JarIT.startJar(dir.resolve("kafka-learn.jar"), dir, Map.of("MONGO_BATCH_SIZE", "0"), "refused.log");
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "refused at once");
        assertEquals(1, refused.exitValue(), "the pipeline's exit code, passed on");
        String log = Files.readString(dir.resolve("refused.log"));
        assertEquals(1, log.lines().filter(l -> l.contains("Not started: Invalid setting MONGO_BATCH_SIZE='0'")).count(), log);
        assertEquals(List.of(), filesIn(dir, ".jsa"), "an archive of a refused start would hold a fraction of the classes");
    }

    @Test
    void switchedOffThePipelineRunsInTheJvmJavaStarted() throws Exception {
        Path dir = jarCopy();
        Process pipeline = startAndAwaitTenUsers(dir, Map.of("JAR_CLASS_ARCHIVE", "false"), "pipeline.log");
        try {
            assertEquals(0, pipeline.descendants().count(), "no second JVM");
        } finally {
            pipeline.destroy();
            assertTrue(pipeline.waitFor(60, TimeUnit.SECONDS), "stopped");
        }
        assertEquals(List.of(), filesIn(dir, ".jsa"), "no archive");
    }

    /** The jar in a new folder: its archive is this test's alone. */
    private static Path jarCopy() throws Exception {
        Path dir = Files.createTempDirectory("class-archive");
        Files.copy(JAR, dir.resolve("kafka-learn.jar"));
        return dir;
    }

    private static Process startAndAwaitTenUsers(Path dir, String log) throws Exception {
        return startAndAwaitTenUsers(dir, Map.of(), log);
    }

    /** java -jar on the copy (from its folder), the tutorial's 10 users into a database of its own, all stored. */
    private static Process startAndAwaitTenUsers(Path dir, Map<String, String> settings, String log) throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = "archive-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new HashMap<>(Map.of(
                "SOURCE_URL", infra.source.url("/users"),
                "SOURCE_PACING_MS", "0",
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", run,
                "KAFKA_GROUP_ID", run,
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", run));
        env.putAll(settings);
        Process process = JarIT.startJar(dir.resolve("kafka-learn.jar"), dir, env, log);
        try (MongoClient client = MongoClients.create(infra.mongo.uri())) {
            MongoCollection<Document> users = client.getDatabase(run).getCollection("test");
            await().atMost(60, TimeUnit.SECONDS).until(() -> users.countDocuments() == 10 || !process.isAlive());
        }
        assertTrue(process.isAlive(), "running: " + Files.readString(dir.resolve(log)));
        return process;
    }

    private static ProcessHandle pipelineOf(Process launcher) {
        List<ProcessHandle> children = launcher.children().toList();
        assertEquals(1, children.size(), "one pipeline JVM under the JVM java started");
        return children.get(0);
    }

    private static List<String> pipelineArguments(Process launcher) {
        return pipelineOf(launcher).info().arguments().map(List::of).orElseThrow();
    }

    private static List<Path> filesIn(Path dir, String containing) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(containing)).sorted().toList();
        }
    }
}
