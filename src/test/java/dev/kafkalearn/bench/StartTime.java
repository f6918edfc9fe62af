package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

/**
 * Start time as a user meets it: {@code java -jar target/kafka-learn.jar} (class-data sharing: the pipeline in a second
 * JVM mapping the archive the first run after the build recorded) and the same with JAR_CLASS_ARCHIVE=false (the
 * pipeline in the JVM java started) until the tutorial's 10 users are stored (pacing off, management server on a free port), and {@code bin/kafka-learn topics --list} against Kafka's own
 * {@code kafka-topics --list} in a plain JVM (bin/kafka-learn kafka-topics: Kafka's TopicCommand on Kafka's classpath).
 * Without a jar built from the current classes (the smoke test runs before `package`; a jar left from an earlier build
 * would not match the route files) the same main class runs from the classpath, and the note says so.
 */
final class StartTime {

    private static final Path JAR = Benchmark.PROJECT.resolve("target/kafka-learn.jar");
    private static final Path KAFKA_TOOLS = Benchmark.PROJECT.resolve("target/kafka-tools.classpath");
    private static final Path COMMAND = Benchmark.PROJECT.resolve("bin/kafka-learn");
    private static final String MAIN = "dev.kafkalearn.KafkaLearnMain";
    private static final int USERS = 10;

    private final Benchmark bench;

    StartTime(Benchmark bench) {
        this.bench = bench;
    }

    Benchmark.Sample jarToTenUsers(int round) throws Exception {
        return tenUsers(round, false);
    }

    Benchmark.Sample oneJvmToTenUsers(int round) throws Exception {
        return tenUsers(round, true);
    }

    /** java -jar, with or without its class archive, until the 10 users are stored. */
    private Benchmark.Sample tenUsers(int round, boolean oneJvm) throws Exception {
        String name = (oneJvm ? "start-one-jvm-" : "start-") + bench.run + "-" + round;
        String path = "/bench-ten-" + bench.run;
        bench.source.serveJson(path, Users.generate(USERS).array());
        // the tutorial creates its topic first (kafka-topics --create)
        bench.createTopics(name);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BROKERS", bench.kafka);
        env.put("MONGO_URI", bench.mongoUri);
        env.put("SOURCE_URL", bench.source.url(path));
        env.put("SOURCE_PACING_MS", "0");
        env.put("KAFKA_TOPIC", name);
        env.put("KAFKA_GROUP_ID", name);
        env.put("MONGO_DATABASE", bench.database);
        env.put("MONGO_COLLECTION", name);
        env.put("MANAGEMENT_HOST", "127.0.0.1");
        env.put("MANAGEMENT_PORT", "0");
        List<String> command = new ArrayList<>(List.of(ChildJvm.java()));
        String how;
        if (jarUpToDate()) {
            command.addAll(List.of("-jar", JAR.toString()));
            how = "java -jar target/kafka-learn.jar";
            if (oneJvm) {
                env.put("JAR_CLASS_ARCHIVE", "false");
                how += ", JAR_CLASS_ARCHIVE=false";
            }
        } else {
            command.addAll(List.of("-cp", Benchmark.testClasspath(), MAIN));
            env.put("ROUTES", "file:routes/pipeline/*.camel.yaml");
            how = "no jar built: " + MAIN + " from the classpath";
        }
        try (MongoClient client = MongoClients.create(bench.mongoUri)) {
            MongoCollection<Document> collection = client.getDatabase(bench.database).getCollection(name);
            long launched = System.nanoTime();
            ChildJvm child = bench.track(ChildJvm.command(bench.settings.workDir(), oneJvm ? "start-one-jvm" : "start-jar",
                    command, env));
            bench.awaitCount(collection, USERS, child);
            double seconds = (System.nanoTime() - launched) / 1e9;
            // the first run after a build writes its class archive as its JVM stops: let it
            child.stop(180);
            collection.drop();
            bench.deleteTopics(name, name + ".dlq");
            return Benchmark.Sample.of(seconds, how + ", SOURCE_PACING_MS=0: process start -> 10 documents counted");
        }
    }

    Benchmark.Sample commandTopicsList(int round) throws Exception {
        if (jarUpToDate()) {
            return timed("start-command", List.of(COMMAND.toString(), "topics", "--list", "--bootstrap-server",
                    bench.kafka), Map.of(), "bin/kafka-learn topics --list");
        }
        // what bin/kafka-learn runs, without the jar
        List<String> command = List.of(ChildJvm.java(), "-Dlog4j2.configurationFile=log4j2-command.properties",
                "-Dkafka.brokers=" + bench.kafka, "-Dtopics.action=list", "-Dcamel.main.durationMaxMessages=1",
                "-cp", Benchmark.testClasspath(), MAIN);
        return timed("start-command", command, Map.of("ROUTES", "file:routes/commands/topics.camel.yaml",
                "MANAGEMENT_ENABLED", "false"), "no jar built: the topics route from the classpath");
    }

    Benchmark.Sample kafkaTopicsList(int round) throws Exception {
        List<String> args = List.of("--bootstrap-server", bench.kafka, "--list");
        if (Files.exists(KAFKA_TOOLS)) {
            List<String> command = new ArrayList<>(List.of(COMMAND.toString(), "kafka-topics"));
            command.addAll(args);
            return timed("start-kafka-topics", command, Map.of(),
                    "bin/kafka-learn kafka-topics --list: Kafka's TopicCommand in a plain JVM on Kafka's classpath");
        }
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-cp", Benchmark.testClasspath(),
                "org.apache.kafka.tools.TopicCommand"));
        command.addAll(args);
        return timed("start-kafka-topics", command, Map.of(),
                "no target/kafka-tools.classpath: Kafka's TopicCommand on the test classpath");
    }

    /** The jar exists and no class or route file was compiled or copied after it. */
    private static boolean jarUpToDate() throws IOException {
        if (!Files.exists(JAR)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(JAR);
        try (Stream<Path> files = Files.walk(Benchmark.PROJECT.resolve("target/classes"))) {
            return files.filter(Files::isRegularFile).allMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(built) <= 0;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    /** Runs a command to its end; it must exit 0 and list the benchmark's input topic. */
    private Benchmark.Sample timed(String name, List<String> command, Map<String, String> env, String note)
            throws Exception {
        long launched = System.nanoTime();
        ChildJvm child = bench.track(ChildJvm.command(bench.settings.workDir(), name, command, env));
        int exit = child.waitFor(120);
        double seconds = (System.nanoTime() - launched) / 1e9;
        String output = Files.readString(child.log());
        if (exit != 0 || !output.contains("bench-input-" + bench.run)) {
            throw new IllegalStateException("exit code " + exit + ", input topic "
                    + (output.contains("bench-input-" + bench.run) ? "listed" : "not listed") + "; see " + child.log());
        }
        return Benchmark.Sample.of(seconds, note + ": process start -> exit");
    }
}
