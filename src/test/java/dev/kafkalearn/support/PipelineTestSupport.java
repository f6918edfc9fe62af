package dev.kafkalearn.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.apache.camel.main.Main;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs the project's own routes/ and application.properties as camel-main does, against the real test broker,
 * MongoDB-wire server and HTTP source. Every test gets its own topic, DLQ topic, consumer group and database; the
 * pipeline starts when the test calls {@link #startPipeline}, with the overrides the scenario needs.
 */
public abstract class PipelineTestSupport extends CamelMainTestSupport {

    protected static final TestInfrastructure INFRA = TestInfrastructure.get();

    protected final String run = UUID.randomUUID().toString().substring(0, 8);
    protected final String topic = "topic-" + run;
    protected final String dlqTopic = topic + ".dlq";
    protected final String groupId = "group-" + run;
    protected final String database = "db-" + run;
    protected final String collection = "test";

    /** This test's CamelContext: its threads are named after it, which is how {@link #log} tells its lines apart. */
    protected final String contextName = "kafka-learn-" + run;

    /**
     * What this test's pipeline logs: its context's threads, the test's own thread (start-up), and Kafka client threads
     * of its consumer group or topics; not the lines of a command started beside it, nor of another test's context.
     */
    protected final LogCapture log = LogCapture.of(contextName, new Thread[] {Thread.currentThread()},
            "groupId=" + groupId + "]", "| " + groupId, topic);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private KafkaOffsets offsets;

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:routes/pipeline/*.camel.yaml");
    }

    @Override
    public boolean isUseAdviceWith() {
        // the context starts in startPipeline(), once the test chose its settings
        return true;
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties baseline = new Properties();
        baseline.put("kafka.brokers", INFRA.kafka.bootstrapServers());
        baseline.put("mongo.uri", INFRA.mongo.uri() + "/?serverSelectionTimeoutMS=2000");
        baseline.put("source.url", INFRA.source.url("/empty"));
        baseline.put("source.pacing-ms", "0");
        // tests run side by side: no management server on a fixed port unless a test asks for one (addresses())
        baseline.put("management.enabled", "false");
        baseline.putAll(addresses());
        configuration.withUseOverridePropertiesWithPropertiesComponent(baseline);
    }

    /**
     * Settings that beans read when the context is created (kafka.brokers, mongo.uri), so they cannot wait for
     * {@link #startPipeline}. Called from the constructor: return constants or static fields only.
     */
    protected Map<String, String> addresses() {
        return Map.of();
    }

    /** Starts the routes with this test's topic, group and database, plus the given settings (read by routes). */
    protected void startPipeline(Map<String, String> settings) throws Exception {
        testSettings(settings).forEach(context.getPropertiesComponent()::addOverrideProperty);
        rebindBeans();
        // before the start, so that every thread of the context carries this test's name (the pattern is resolved
        // with the name the context had when it was created, so it is set too)
        context.getCamelContextExtension().setName(contextName);
        context.getExecutorServiceManager().setThreadNamePattern("Camel (" + contextName + ") thread ##counter# - #name#");
        context.start();
    }

    /**
     * Stops the pipeline while a dependency is down: the stop must be graceful (Camel's shutdown did not time out and
     * force the routes down, which interrupts them with stack traces), one line must say what was left (it contains
     * {@code leftLine}), and no line may be an error or a stack trace.
     */
    protected void stopGracefullySaying(String leftLine) throws Exception {
        long stopping = System.nanoTime();
        context.stop();
        System.out.printf("%s: the stop took %d ms%n", getClass().getSimpleName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        assertFalse(context.getShutdownStrategy().isTimeoutOccurred(),
                "the stop was graceful: Camel did not time out and force the routes down");
        assertEquals(1, log.containing(leftLine).size(), "one line says what was left: " + log.lines());
        log.assertNoErrorsNorStackTraces();
    }

    /**
     * Beans configured from application.properties ({@code camel.beans.NAME.PROPERTY = {{setting}}}) were bound when
     * the context was created, before this test's settings existed: bound again, as camel-main would have bound them
     * had the settings been given at start (constructor arguments stay: {@link #addresses()}).
     */
    private void rebindBeans() {
        Properties beans = context.getPropertiesComponent().loadProperties(key -> key.startsWith("camel.beans."));
        for (String key : beans.stringPropertyNames()) {
            String[] parts = key.substring("camel.beans.".length()).split("\\.", 2);
            String value = beans.getProperty(key);
            Object bean = parts.length == 2 ? context.getRegistry().lookupByName(parts[0]) : null;
            if (bean != null && !value.startsWith("#")) {
                PropertyBindingSupport.build().withCamelContext(context).withTarget(bean)
                        .withProperty(parts[1], context.resolvePropertyPlaceholders(value)).bind();
            }
        }
    }

    /** This test's topic, group and database, plus the given settings. */
    private Map<String, String> testSettings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("kafka.topic", topic);
        all.put("kafka.dlq-topic", dlqTopic);
        all.put("kafka.group-id", groupId);
        all.put("mongo.database", database);
        all.put("mongo.collection", collection);
        all.putAll(settings);
        return all;
    }

    /**
     * Runs a one-shot command or demo of routes/ (e.g. "commands/reconcile") the way bin/kafka-learn does, in its own
     * camel-main, on this test's topic, group and database, until its first exchange completed; returns what its
     * route logged.
     */
    protected List<String> runCommand(String route, Map<String, String> settings) throws Exception {
        try (RunningCommand command = startCommand(route, settings, 1)) {
            command.thread.join(60_000);
            return command.output();
        }
    }

    /**
     * Starts a command or demo of routes/ in its own camel-main, as {@link #runCommand} does, but leaves it running
     * (consumers) or until maxMessages exchanges completed (0 = no limit); closing it stops it.
     */
    protected RunningCommand startCommand(String route, Map<String, String> settings, int maxMessages) {
        Main main = new Main();
        main.addOverrideProperty("camel.main.routesIncludePattern", "file:routes/" + route + ".camel.yaml");
        main.addOverrideProperty("camel.main.durationMaxMessages", String.valueOf(maxMessages));
        main.addOverrideProperty("kafka.brokers", INFRA.kafka.bootstrapServers());
        main.addOverrideProperty("mongo.uri", INFRA.mongo.uri());
        main.addOverrideProperty("management.enabled", "false");
        testSettings(settings).forEach(main::addOverrideProperty);
        String routeId = route.substring(route.lastIndexOf('/') + 1);
        main.addOverrideProperty("camel.main.name", routeId + "-" + run);
        main.addOverrideProperty("camel.main.threadNamePattern", "Camel (" + routeId + "-" + run + ") thread ##counter# - #name#");
        return new RunningCommand(main, routeId, routeId + "-" + run);
    }

    /** A command's camel-main on its own thread, with what its route logs. */
    protected static final class RunningCommand implements AutoCloseable {
        private final Main main;
        private final String routeId;
        private final LogCapture log;
        private final Thread thread;
        private volatile Exception failure;

        RunningCommand(Main main, String routeId, String contextName) {
            this.main = main;
            this.routeId = routeId;
            this.thread = new Thread(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    failure = e;
                }
            }, "command-" + contextName);
            this.log = LogCapture.of(contextName, new Thread[] {thread});
            thread.start();
        }

        /** The messages the command's route logged so far. */
        public List<String> output() {
            return log.lines().stream().filter(l -> l.logger().equals(routeId)).map(LogCapture.Line::message).toList();
        }

        /** Every line its context logged (its route's, Camel's, its Kafka clients'). */
        public List<LogCapture.Line> lines() {
            return log.lines();
        }

        /** Its route's lines at the given level. */
        public List<String> output(org.apache.logging.log4j.Level level) {
            return log.lines().stream().filter(l -> l.logger().equals(routeId) && l.level() == level)
                    .map(LogCapture.Line::message).toList();
        }

        /** True once the route started (consumers: subscribed; where they start reading is decided on assignment). */
        public boolean started() {
            return main.getCamelContext() != null && main.getCamelContext().isStarted();
        }

        @Override
        public void close() throws Exception {
            main.completed();
            thread.join(30_000);
            log.close();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Kafka's own view of this test's topics and group (end offsets, committed offsets), on the test broker. */
    protected KafkaOffsets offsets() {
        if (offsets == null) {
            offsets = new KafkaOffsets(INFRA.kafka.bootstrapServers());
            closeables.add(offsets);
        }
        return offsets;
    }

    /**
     * Waits until the sink committed, on every partition of the topic, the end offset: it has finished (stored or
     * dead-lettered) every record written so far. Only then is a count of documents or dead letters final.
     */
    protected void awaitSinkCaughtUp() {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> offsets().caughtUp(groupId, topic));
    }

    protected MongoCollection<Document> collection() {
        MongoClient client = MongoClients.create(INFRA.mongo.uri());
        closeables.add(client);
        return client.getDatabase(database).getCollection(collection);
    }

    protected List<Document> documents() {
        return collection().find().sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    /** Every record of the topic, from the beginning, read by a plain Kafka consumer until `expected` arrived or 30 s. */
    protected List<ConsumerRecord<String, String>> readTopic(String name, int expected) {
        return readTopic(INFRA.kafka.bootstrapServers(), name, expected);
    }

    /** The same on any broker: every record of the topic until `expected` arrived or 30 s, then a brief read on. */
    public static List<ConsumerRecord<String, String>> readTopic(String bootstrapServers, String name, long expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(name));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // anything beyond `expected` would be a bug too: read on briefly
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    protected void produce(String name, List<String> values) throws Exception {
        produce(name, null, values);
    }

    /** Sends the values, without key, to the given partition (null: the producer's choice), each acknowledged. */
    protected void produce(String name, Integer partition, List<String> values) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(name, partition, null, value)));
            }
            for (Future<RecordMetadata> each : sent) {
                each.get();
            }
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        log.close();
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }
}
