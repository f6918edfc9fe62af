package dev.kafkalearn;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.kafkalearn.support.KafkaTool;
import dev.kafkalearn.support.PipelineTestSupport;
import kafka.tools.ConsoleProducer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that are not ours: Kafka's console producer, and a Kafka client from 2017 (0.10.2, message format v1, old
 * protocol versions the 3.9 broker still speaks) in a class loader of its own. What they send is stored; what the
 * pipeline sends, they read.
 */
class PlainClientsTest extends PipelineTestSupport {

    private static final Path OLD_CLIENT = Path.of("target/old-kafka-client");

    @Test
    void kafkasConsoleProducerFeedsThePipeline() throws Exception {
        startPipeline(Map.of());
        String lines = "{\"id\": \"console-1\", \"via\": \"kafka-console-producer\"}\n"
                       + "{\"id\": \"console-2\", \"via\": \"kafka-console-producer\"}\n";
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
        try {
            assertEquals(0, KafkaTool.run(() -> ConsoleProducer.main(
                    new String[] {"--bootstrap-server", INFRA.kafka.bootstrapServers(), "--topic", topic})));
        } finally {
            System.setIn(stdin);
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 2);
        assertEquals("kafka-console-producer", collection().find(new Document("_id", "console-2")).first().getString("via"));
    }

    @Test
    void anOldKafkaClientFeedsThePipelineAndReadsWhatThePipelineSent() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        try (URLClassLoader oldClient = oldClient()) {
            Class<?> producerType = oldClient.loadClass("org.apache.kafka.clients.producer.KafkaProducer");
            Class<?> recordType = oldClient.loadClass("org.apache.kafka.clients.producer.ProducerRecord");
            Object producer = in(oldClient, () -> producerType.getConstructor(Properties.class).newInstance(config(
                    "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                    "value.serializer", "org.apache.kafka.common.serialization.StringSerializer")));
            Method send = producerType.getMethod("send", recordType);
            for (int i = 1; i <= 3; i++) {
                Object record = recordType.getConstructor(String.class, Object.class, Object.class)
                        .newInstance(topic, "old-" + i, "{\"id\": \"old-" + i + "\", \"client\": \"kafka-clients 0.10.2\"}");
                ((Future<?>) send.invoke(producer, record)).get(30, TimeUnit.SECONDS);
            }
            producerType.getMethod("close").invoke(producer);

            await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 13);
            assertEquals("kafka-clients 0.10.2", collection().find(new Document("_id", "old-3")).first().getString("client"));

            List<String> read = readWithOldConsumer(oldClient, 13);
            assertEquals(13, read.size(), read.toString());
            assertEquals(10, read.stream().filter(value -> value.contains("\"username\":")).count(), "the users, read");
            assertTrue(read.stream().anyMatch(value -> value.contains("\"name\":\"Leanne Graham\"")), read.toString());
        }
    }

    private List<String> readWithOldConsumer(URLClassLoader oldClient, int expected) throws Exception {
        Class<?> consumerType = oldClient.loadClass("org.apache.kafka.clients.consumer.KafkaConsumer");
        Object consumer = in(oldClient, () -> consumerType.getConstructor(Properties.class).newInstance(config(
                "group.id", "old-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer")));
        try {
            consumerType.getMethod("subscribe", java.util.Collection.class).invoke(consumer, List.of(topic));
            Method poll = consumerType.getMethod("poll", long.class);
            List<String> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                for (Object record : (Iterable<?>) poll.invoke(consumer, 200L)) {
                    values.add((String) record.getClass().getMethod("value").invoke(record));
                }
            }
            return values;
        } finally {
            consumerType.getMethod("close").invoke(consumer);
        }
    }

    private static Properties config(String... pairs) {
        Properties props = new Properties();
        props.put("bootstrap.servers", INFRA.kafka.bootstrapServers());
        for (int i = 0; i < pairs.length; i += 2) {
            props.put(pairs[i], pairs[i + 1]);
        }
        return props;
    }

    /** The old client finds its serializers through the thread's context class loader. */
    private static <T> T in(ClassLoader loader, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URLClassLoader oldClient() throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(OLD_CLIENT)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        assertEquals(2, jars.size(), "kafka-clients 0.10.2.2 and slf4j-api in " + OLD_CLIENT + " (mvn generate-test-resources)");
        return new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
