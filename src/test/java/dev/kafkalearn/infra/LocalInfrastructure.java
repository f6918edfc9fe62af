package dev.kafkalearn.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Everything the pipeline talks to, on loopback, without Docker: a KRaft Kafka broker on 9092, a MongoDB-wire server
 * on 27018 (H2 file, kept across restarts) and the source's 10 users on http://localhost:8089/users. Topics
 * {@code my-test-topic} and {@code test} are created with 1 partition, as docker-compose.yml does.
 * <p>
 * Run on its own ({@code mvn -Pinfra}) it stays up until Ctrl-C, so the pipeline can be stopped, killed and restarted
 * against it; {@link DevMode} starts it together with the pipeline. Ports and the data directory come from the
 * environment: LOCAL_KAFKA_PORT, LOCAL_KAFKA_CONTROLLER_PORT, LOCAL_MONGO_PORT, LOCAL_SOURCE_PORT, LOCAL_DATA_DIR.
 */
public final class LocalInfrastructure implements AutoCloseable {

    private final LocalKafka kafka;
    private final LocalMongo mongo;
    private final LocalSource source;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalInfrastructure(LocalKafka kafka, LocalMongo mongo, LocalSource source) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.source = source;
    }

    public static LocalInfrastructure start() throws Exception {
        return start(Path.of(env("LOCAL_DATA_DIR", "data")),
                Integer.parseInt(env("LOCAL_KAFKA_PORT", "9092")),
                Integer.parseInt(env("LOCAL_KAFKA_CONTROLLER_PORT", "9093")),
                Integer.parseInt(env("LOCAL_MONGO_PORT", "27018")),
                Integer.parseInt(env("LOCAL_SOURCE_PORT", "8089")));
    }

    /** The same, with the data directory and ports given: every server listens on 127.0.0.1 only. */
    public static LocalInfrastructure start(Path data, int kafkaPort, int controllerPort, int mongoPort, int sourcePort)
            throws Exception {
        LocalSource source = LocalSource.start(sourcePort).serveJson("/users", users());
        LocalMongo mongo = LocalMongo.startPersistent(data.resolve("mongo").resolve("mongo.mv"), mongoPort);
        LocalKafka kafka = LocalKafka.start(data.resolve("kafka"), kafkaPort, controllerPort, Map.of());
        createTopics(kafka.bootstrapServers(), List.of("my-test-topic", "test"));

        LocalInfrastructure infra = new LocalInfrastructure(kafka, mongo, source);
        System.out.printf("""

                Local infrastructure is up (data in %s):
                  Kafka broker, KRaft      localhost:%d   topics my-test-topic, test
                  MongoDB-wire server      mongodb://localhost:%d
                  Source, 10 users         %s
                """, data.toAbsolutePath().normalize(), kafkaPort, mongoPort, infra.sourceUrl());
        return infra;
    }

    static byte[] users() throws Exception {
        try (var in = LocalInfrastructure.class.getResourceAsStream("/users.json")) {
            return in.readAllBytes();
        }
    }

    private static void createTopics(String bootstrap, List<String> names) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, 1, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String sourceUrl() {
        return source.url("/users").replace("127.0.0.1", "localhost");
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String mongoUri() {
        return mongo.uri();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            source.close();
            kafka.close();
            mongo.close();
            System.out.println("Local infrastructure stopped.");
        }
    }

    /** Under mvn exec, stop when Maven stops (Ctrl-C reaches both, but a kill of Maven alone would orphan us). */
    static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    }

    public static void main(String[] args) throws Exception {
        exitWithParent();
        LocalInfrastructure infra = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            infra.close();
            stopped.countDown();
        }, "local-infrastructure-stop"));
        System.out.println("Ctrl-C stops it.");
        stopped.await();
    }
}
