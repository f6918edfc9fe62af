package dev.kafkalearn;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** routes/tutorial/: the tutorial's producer and consumer demos and the console consumer, on the real broker. */
class TutorialDemosTest extends PipelineTestSupport {

    private static final String POSITION_LOGGER = "org.apache.kafka.clients.consumer.internals.SubscriptionState";

    @Test
    void producerDemoSendsRawBytesThenAThousandHellosAndPrintsWhereEachLanded() throws Exception {
        List<String> printed = runCommand("tutorial/producer-demo", Map.of());

        assertEquals(1002, printed.size(), "one line per record, then the summary");
        assertEquals("raw_bytes     -> topic=" + topic + " partition=0 offset=0", printed.get(0));
        for (int i = 1; i <= 1000; i++) {
            assertEquals("hello! kafka! -> topic=" + topic + " partition=0 offset=" + i, printed.get(i));
        }
        assertEquals("Kafka acknowledged all 1000 + 1 records.", printed.get(1001));

        List<ConsumerRecord<String, String>> records = readTopic(topic, 1001);
        assertEquals(1001, records.size());
        assertEquals("raw_bytes", records.get(0).value());
        assertTrue(records.subList(1, 1001).stream().allMatch(r -> r.value().equals("hello! kafka!") && r.key() == null));
    }

    @Test
    void consumerDemoStartsAtTheLatestOffsetAndPrintsTheTutorialsFormat() throws Exception {
        produce(topic, List.of("sent before the consumer started"));
        String group = "demo-" + run;
        RunningCommand demo;
        // the consumer's own line "Resetting offset for partition ... to position ..." says where "latest" put it
        Configurator.setLevel(POSITION_LOGGER, Level.INFO);
        try {
            demo = startCommand("tutorial/consumer-demo", Map.of("demo.group-id", group), 0);
            try (demo) {
                await().atMost(30, TimeUnit.SECONDS).until(() -> demo.lines().stream().anyMatch(l ->
                        l.message().contains("Resetting offset for partition " + topic + "-0 to position")));
                assertTrue(demo.lines().stream().anyMatch(l -> l.message().contains("partition " + topic
                        + "-0 to position FetchPosition{offset=1,")), "it starts after the record sent before it: "
                        + demo.lines());
                try (KafkaProducer<String, String> producer = producer()) {
                    producer.send(new ProducerRecord<>(topic, "k1", "hello! kafka!")).get();
                    producer.send(new ProducerRecord<>(topic, null, "no key")).get();
                }
                await().atMost(30, TimeUnit.SECONDS).until(() -> demo.output().size() >= 2);
            }
        } finally {
            Configurator.setLevel(POSITION_LOGGER, Level.WARN);
        }
        // read once the demo stopped: all it ever printed
        assertEquals(List.of(topic + ":0:1: key=k1 value=hello! kafka!", topic + ":0:2: key=None value=no key"),
                demo.output());
    }

    @Test
    void consoleConsumerPrintsEveryRecordFromTheBeginning() throws Exception {
        List<String> values = IntStream.rangeClosed(1, 5).mapToObj(i -> "line " + i).toList();
        produce(topic, values);
        try (RunningCommand consumer = startCommand("tutorial/console-consumer",
                Map.of("console.group-id", "console-" + run), 0)) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.output().size() >= 5);
            assertEquals(values, consumer.output());
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
