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
 * environment: LOCAL_KAFKA_PORT, LOCAL_KAFKA_CONTROLLER_PORT, LOCAL_MONGO_PORT, LOCAL_SOURCE_PORT, LOCAL_DATA_DIR. They
 * are checked before anything starts ({@link LocalPorts}): a Kafka or MongoDB already answering is used, a port held by
 * another program is one line naming the setting that moves it, and exit code 1.
 */
public final class LocalInfrastructure implements AutoCloseable {

    private final LocalKafka kafka;
    private final LocalMongo mongo;
    private final LocalSource source;
    private final String kafkaBootstrap;
    private final String mongoUri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalInfrastructure(LocalKafka kafka, LocalMongo mongo, LocalSource source, String kafkaBootstrap, String mongoUri) {
        this.kafka = kafka;
        this.mongo = mongo;
        this.source = source;
        this.kafkaBootstrap = kafkaBootstrap;
        this.mongoUri = mongoUri;
    }

    public static LocalInfrastructure start() throws Exception {
        return start(System.getenv());
    }

    /**
     * Checks every port first (nothing is started when one is held by another program: {@link LocalPorts.PortTaken}),
     * uses a Kafka or MongoDB that already answers on its port, and starts the rest.
     */
    public static LocalInfrastructure start(Map<String, String> env) throws Exception {
        Path data = Path.of(env(env, "LOCAL_DATA_DIR", "data"));
        int kafkaPort = Integer.parseInt(env(env, "LOCAL_KAFKA_PORT", "9092"));
        int controllerPort = Integer.parseInt(env(env, "LOCAL_KAFKA_CONTROLLER_PORT", "9093"));
        int mongoPort = Integer.parseInt(env(env, "LOCAL_MONGO_PORT", "27018"));
        int sourcePort = Integer.parseInt(env(env, "LOCAL_SOURCE_PORT", "8089"));

        boolean kafkaThere = LocalPorts.kafkaAnswers(kafkaPort, "LOCAL_KAFKA_PORT");
        if (!kafkaThere) {
            LocalPorts.requireFree(controllerPort, "Kafka's controller", "LOCAL_KAFKA_CONTROLLER_PORT");
        }
        boolean mongoThere = LocalPorts.mongoAnswers(mongoPort, "LOCAL_MONGO_PORT");
        LocalPorts.requireFree(sourcePort, "the source's HTTP server", "LOCAL_SOURCE_PORT");
        if (kafkaThere) {
            System.out.printf("A Kafka broker already answers on localhost:%d: using it (LOCAL_KAFKA_PORT starts ours"
                              + " on another port)%n", kafkaPort);
        }
        if (mongoThere) {
            System.out.printf("A MongoDB already answers on localhost:%d: using it (LOCAL_MONGO_PORT starts ours on"
                              + " another port)%n", mongoPort);
        }

        LocalSource source = LocalSource.start(sourcePort).serveJson("/users", users());
        LocalMongo mongo = mongoThere ? null : LocalMongo.startPersistent(data.resolve("mongo").resolve("mongo.mv"), mongoPort);
        LocalKafka kafka = kafkaThere ? null : LocalKafka.start(data.resolve("kafka"), kafkaPort, controllerPort, Map.of());
        String bootstrap = kafkaThere ? "localhost:" + kafkaPort : kafka.bootstrapServers();
        createTopics(bootstrap, List.of("my-test-topic", "test"));

        LocalInfrastructure infra = new LocalInfrastructure(kafka, mongo, source, bootstrap,
                mongoThere ? "mongodb://localhost:" + mongoPort : mongo.uri());
        System.out.printf("""

                Local infrastructure is up (data in %s):
                  Kafka broker, KRaft      localhost:%d   topics my-test-topic, test%s
                  MongoDB-wire server      mongodb://localhost:%d%s
                  Source, 10 users         %s
                """, data.toAbsolutePath().normalize(), kafkaPort, kafkaThere ? " (already running)" : "", mongoPort,
                mongoThere ? " (already running)" : "", infra.sourceUrl());
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

    private static String env(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String sourceUrl() {
        return source.url("/users").replace("127.0.0.1", "localhost");
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String mongoUri() {
        return mongoUri;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            source.close();
            if (kafka != null) {
                kafka.close();
            }
            if (mongo != null) {
                mongo.close();
            }
            System.out.println("Local infrastructure stopped.");
        }
    }

    /** {@link #start()}, or one line and exit code 1 when a port is held by another program. */
    static LocalInfrastructure startOrExit() throws Exception {
        try {
            return start();
        } catch (LocalPorts.PortTaken e) {
            System.err.println(e.getMessage());
            System.exit(1);
            throw e;
        }
    }

    /** Under mvn exec, stop when Maven stops (Ctrl-C reaches both, but a kill of Maven alone would orphan us). */
    static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    }

    public static void main(String[] args) throws Exception {
        exitWithParent();
        LocalInfrastructure infra = startOrExit();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            infra.close();
            stopped.countDown();
        }, "local-infrastructure-stop"));
        System.out.println("Ctrl-C stops it.");
        stopped.await();
    }
}
