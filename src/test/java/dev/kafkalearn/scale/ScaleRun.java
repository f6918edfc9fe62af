package dev.kafkalearn.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.infra.LocalKafkaCluster;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/**
 * The multi-broker run behind scale/run.sh: a 3-node KRaft cluster (separate JVMs), a 6-partition topic with
 * replication factor 3, and 1, 2 and 3 pipeline instances (the packaged jar, separate JVMs) in one group; then 2
 * instances while one broker is killed mid-stream. Prints records/s for each and what was checked: every partition
 * committed to its end offset, every record stored with its content, nothing dead-lettered.
 * <p>
 * Throughput is end to end: from the first record sent to Kafka (acks=all) to the last offset committed by the
 * pipeline after MongoDB acknowledged it, with every instance already in the group. Settings: SCALE_RECORDS (60000),
 * SCALE_DIR (target/scale).
 */
public final class ScaleRun {

    private static final int PARTITIONS = 6;

    private final LocalKafkaCluster kafka;
    private final LocalMongo mongo;
    private final Admin admin;
    private final Path dir;
    private final int records;

    private ScaleRun(LocalKafkaCluster kafka, LocalMongo mongo, Path dir, int records) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.dir = dir;
        this.records = records;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(env("SCALE_RECORDS", "60000"));
        Path dir = Path.of(env("SCALE_DIR", "target/scale")).toAbsolutePath();
        Path jar = Path.of("target/kafka-learn.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package first (scale/run.sh does)");
        }
        Files.createDirectories(dir);
        Path runDir = Files.createTempDirectory(dir, "run-");
        System.out.printf("Starting a 3-node KRaft cluster and a MongoDB-wire server (data and logs in %s)%n", runDir);
        List<String> report = new ArrayList<>();
        try (LocalKafkaCluster kafka = LocalKafkaCluster.start(runDir.resolve("kafka"), 3);
             LocalMongo mongo = LocalMongo.startInMemory(0)) {
            ScaleRun run = new ScaleRun(kafka, mongo, runDir, records);
            System.out.printf("Cluster up: %s%n", kafka.bootstrapServers());
            report.add(String.format("%-32s %10s %12s %10s %s", "run", "records", "seconds", "records/s", "result"));
            for (int instances = 1; instances <= 3; instances++) {
                report.add(run.throughput(instances, 0));
                System.out.println(report.get(report.size() - 1));
            }
            report.add(run.throughput(2, 2));
            System.out.println(report.get(report.size() - 1));
            run.admin.close();
        }
        Files.write(dir.resolve("results.txt"), report);
        System.out.println();
        System.out.printf("Results (%s, %d cores; also in %s):%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), dir.resolve("results.txt"));
        report.forEach(System.out::println);
    }

    /** One run on a fresh topic, group and database; with killBroker > 0, a leader is killed with SIGKILL mid-stream. */
    private String throughput(int instances, int killBroker) throws Exception {
        String name = "scale-" + instances + (killBroker > 0 ? "-kill" : "") + "-" + System.nanoTime() % 100000;
        admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
        Map<String, String> env = Map.of(
                "SOURCE_ENABLED", "false",
                "KAFKA_BROKERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", name,
                "KAFKA_GROUP_ID", name,
                "KAFKA_SESSION_TIMEOUT_MS", "10000",
                "MONGO_URI", mongo.uri(),
                "MONGO_DATABASE", name);
        List<Process> pipelines = new ArrayList<>();
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            for (int i = 1; i <= instances; i++) {
                pipelines.add(startJar(env, name + "-instance-" + i + ".log"));
            }
            awaitMembers(name, instances);
            MongoCollection<Document> stored = client.getDatabase(name).getCollection("test");

            long start = System.nanoTime();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(name));
            String killed = "";
            if (killBroker > 0) {
                awaitCommitted(name, records / 3, 300);
                int victim = leaderOfPartition0(name); // a leader: its partitions' leadership must move
                long before = committed(name);
                kafka.kill(victim);
                killed = String.format("broker %d killed at ~%d committed; ", victim, before);
            }
            producing.get(300, TimeUnit.SECONDS);
            boolean complete = awaitCommitted(name, records, 600);
            double seconds = (System.nanoTime() - start) / 1e9;
            String result = killed + check(name, stored, complete);
            String label = instances + " instance" + (instances > 1 ? "s" : "") + (killBroker > 0 ? ", 1 broker killed" : "");
            return String.format(Locale.ROOT, "%-32s %10d %12.1f %10.0f %s", label, records, seconds, records / seconds, result);
        } finally {
            for (Process pipeline : pipelines) {
                pipeline.destroy();
            }
            for (Process pipeline : pipelines) {
                if (!pipeline.waitFor(40, TimeUnit.SECONDS)) {
                    pipeline.destroyForcibly();
                }
            }
        }
    }

    /**
     * What can go wrong, checked: every partition committed up to its end offset, one document per record (_id 1..N)
     * carrying that record's content, nothing on the dead-letter topic.
     */
    private String check(String name, MongoCollection<Document> stored, boolean complete) throws Exception {
        long end = 0;
        boolean caughtUp;
        try (KafkaOffsets offsets = new KafkaOffsets(kafka.bootstrapServers())) {
            end = offsets.records(name);
            caughtUp = complete && offsets.caughtUp(name, name);
            long deadLettered = offsets.records(name + ".dlq");
            long documents = stored.countDocuments();
            long wrong = 0;
            for (Document document : stored.find()) {
                Object id = document.get("_id");
                if (!(id instanceof Integer i) || i < 1 || i > records || !("user " + i).equals(document.getString("name"))) {
                    wrong++;
                }
            }
            if (caughtUp && end == records && documents == records && wrong == 0 && deadLettered == 0) {
                return "all " + records + " stored with their content, committed to the end offsets, 0 dead-lettered";
            }
            return "FAILED: " + committed(name) + " of " + end + " committed" + (caughtUp ? "" : " (not every partition)")
                   + ", " + documents + " documents, " + wrong + " wrong, " + deadLettered + " dead-lettered";
        }
    }

    private void produce(String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int id = 1; id <= records; id++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(id),
                        "{\"id\": " + id + ", \"name\": \"user " + id + "\", \"email\": \"user" + id + "@example.org\"}"));
            }
            producer.flush();
        }
    }

    private void awaitMembers(String group, int instances) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(10, TimeUnit.SECONDS);
            long assigned = description.members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
            if (assigned == instances) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(instances + " instances did not all join group " + group + " in 180 s");
            }
            Thread.sleep(200);
        }
    }

    private boolean awaitCommitted(String group, long target, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (committed(group) < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The group's committed offsets, summed; -1 while Kafka cannot say (e.g. its coordinator was on the killed broker). */
    private long committed(String group) throws Exception {
        try {
            Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    private int leaderOfPartition0(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                .get(10, TimeUnit.SECONDS);
        return description.partitions().get(0).leader().id();
    }

    private Process startJar(Map<String, String> env, String logName) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", Path.of("target/kafka-learn.jar").toAbsolutePath().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile());
        // the health/metrics server on a free port, on loopback (MANAGEMENT_HOST's default)
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
