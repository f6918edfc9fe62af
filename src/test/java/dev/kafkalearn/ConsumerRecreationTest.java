package dev.kafkalearn;

import java.time.Duration;
import java.util.List;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kafkalearn.kafka.MeteredKafkaClientFactory;
import dev.kafkalearn.support.TestInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-kafka closes its consumer and asks the client factory for a new one after some errors. 20 such recreations
 * through the pipeline's factory (each consumer fetching from the real broker, so its lag metrics exist) leave no
 * thread and no meter behind: the metrics binders share one refresh thread and close with their consumer; the thread
 * ends with the context.
 */
class ConsumerRecreationTest {

    private static final TestInfrastructure INFRA = TestInfrastructure.get();
    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();

    @Test
    void twentyRecreatedConsumersLeaveNoThreadAndNoMeterBehind() throws Exception {
        String topic = "recreate-" + UUID.randomUUID().toString().substring(0, 8);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        SimpleMeterRegistry registry = REGISTRY;
        Set<String> threadsAtStart = threads();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("metricsRegistry", registry);
            MeteredKafkaClientFactory factory = new MeteredKafkaClientFactory(1);
            context.getRegistry().bind("kafkaClients", factory);
            context.start();
            TopicPartition partition = new TopicPartition(topic, 0);

            int metersBefore = registry.getMeters().size();
            recreate(factory, partition); // the first one starts the factory's refresh thread
            Set<String> threadsBefore = threads();
            assertEquals(1, added(threadsAtStart).size(), "one refresh thread: " + added(threadsAtStart));
            for (int i = 0; i < 20; i++) {
                assertTrue(recreate(factory, partition) > metersBefore, "the consumer's metrics are bound while it runs");
                assertEquals(metersBefore, registry.getMeters().size(), "its meters leave with it (recreation " + i + ")");
            }
            assertEquals(Set.of(), added(threadsBefore), "no thread left behind by 20 recreations");
            context.stop();
            await().atMost(10, TimeUnit.SECONDS).until(() -> added(threadsAtStart).isEmpty());
        }
    }

    private static Set<String> added(Set<String> before) {
        Set<String> now = threads();
        now.removeAll(before);
        return now;
    }

    /** One consumer as camel-kafka uses it: created by the factory, fetching, closed; the meters while it ran. */
    private static int recreate(MeteredKafkaClientFactory factory, TopicPartition partition) {
        Consumer<?, ?> consumer = factory.getConsumer(consumerProperties());
        consumer.assign(List.of(partition));
        consumer.poll(Duration.ofMillis(200));
        int meters = REGISTRY.getMeters().size();
        consumer.close();
        return meters;
    }

    private static Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "recreate");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** The live threads of Kafka clients and their metrics, by name and id (the test's broker runs in this JVM too). */
    private static Set<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().matches("kafka-client-metrics|kafka-coordinator-heartbeat-thread.*"
                        + "|consumer_background_thread.*|.*recreate.*"))
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toCollection(HashSet::new));
    }
}
