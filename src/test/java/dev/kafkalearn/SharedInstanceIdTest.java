package dev.kafkalearn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Another consumer joins the sink's group with the sink's own KAFKA_GROUP_INSTANCE_ID (a second instance given the
 * same id, or a restart while the old instance still runs): Kafka fences the sink, which stands aside with one line and
 * stops its route, instead of reconnecting and taking the partitions back every few seconds. It then reports itself
 * not ready (its route is stopped) and stays alive: a restart would only fence the other instance in turn.
 */
class SharedInstanceIdTest extends PipelineTestSupport {

    @Test
    void aSinkFencedByAnotherConsumerWithItsInstanceIdStandsAsideWithOneLine() throws Exception {
        produce(topic, List.of("{\"id\": 1}", "{\"id\": 2}"));
        startPipeline(Map.of("kafka.group-instance-id", "shared-" + run));
        await().atMost(60, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 2);

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "shared-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> other = new KafkaConsumer<>(props)) {
            other.subscribe(List.of(topic));
            String line = "took over its partitions: this instance's sink stops";
            // the other consumer polls on (a FencedInstanceIdException here would fail the test: the sink came back)
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                other.poll(Duration.ofMillis(100));
                return !log.containing(line).isEmpty()
                        && context.getRouteController().getRouteStatus("kafka-to-mongodb").isStopped();
            });
            // the two used to take the partitions from each other about every 3 s: three such periods more
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < until) {
                other.poll(Duration.ofMillis(100));
            }
            assertEquals(List.of(new TopicPartition(topic, 0)), List.copyOf(other.assignment()),
                    "the partition stays the other consumer's");
            produce(topic, List.of("{\"id\": 3}"));
            List<String> read = new ArrayList<>();
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                for (ConsumerRecord<String, String> record : other.poll(Duration.ofMillis(100))) {
                    read.add(record.value());
                }
                return read.contains("{\"id\": 3}");
            });
            assertEquals(1, log.containing(line).size(), "one line: " + log.lines());
            assertTrue(log.containing(KAFKA_ERROR_EACH_TIME).isEmpty(), "no reconnect: " + log.lines());
            assertEquals(2, collection().countDocuments(), "the sink stored nothing after it stood aside");
            // not ready (it reads nothing), but alive: a restart would only fence the other instance in turn
            List<String> notReady = HealthCheckHelper.invokeReadiness(context).stream()
                    .filter(r -> r.getState() == HealthCheck.State.DOWN).map(r -> r.getCheck().getId()).toList();
            assertTrue(notReady.contains("route:kafka-to-mongodb"), "readiness: " + notReady);
            assertTrue(HealthCheckHelper.invokeLiveness(context).stream().allMatch(r -> r.getState() == HealthCheck.State.UP),
                    "liveness stays UP");
        }
    }

    /** camel-kafka's line each time its consumer was fenced, before the sink stood aside. */
    private static final String KAFKA_ERROR_EACH_TIME = "FencedInstanceIdException caught by thread";
}
