package dev.kafkalearn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MONGO_WRITE_MODEL on a collection another writer shares: document 1 exists with a field of the other writer's,
 * document 3 exists and its id's tombstone arrives. replace overwrites 1 whole, merge keeps the other writer's field,
 * insert leaves 1 as it was (counted, not dead-lettered); every model inserts 2 and deletes 3.
 */
class SinkWriteModelsTest extends PipelineTestSupport {

    private static final int HTTP_PORT = TestInfrastructure.freePort();

    /** The management server: the insert model's count of records already present is a Prometheus counter. */
    @Override
    protected Map<String, String> addresses() {
        return Map.of("management.enabled", "true", "management.host", "127.0.0.1",
                "management.port", String.valueOf(HTTP_PORT));
    }

    @BeforeEach
    void anotherWritersDocuments() {
        collection().insertMany(List.of(new Document("_id", 1).append("name", "old").append("owner", "other writer"),
                new Document("_id", 3).append("name", "three")));
    }

    @Test
    void replaceWritesTheWholeDocument() throws Exception {
        run("replace");
        assertEquals(new Document("_id", 1).append("id", 1).append("name", "new"), document(1));
    }

    @Test
    void mergeKeepsFieldsOtherWritersPut() throws Exception {
        run("merge");
        assertEquals(new Document("_id", 1).append("name", "new").append("owner", "other writer").append("id", 1),
                document(1));
    }

    @Test
    void insertLeavesAStoredIdAsItIsAndCountsIt() throws Exception {
        run("insert");
        assertEquals(new Document("_id", 1).append("name", "old").append("owner", "other writer"), document(1));
        assertEquals(1, log.containing("1 already present, left as they were").size(), log.lines().toString());
        String scrape = new ManagementEndpoint(HTTP_PORT).scrape();
        assertEquals(1, ManagementEndpoint.sample(scrape, "kafkalearn_records_already_present_total"), scrape);
    }

    /** Records 1 (new version) and 2 (new), then 3's tombstone; waits until 3 is gone; common checks. */
    private void run(String model) throws Exception {
        startPipeline(Map.of("mongo.write-model", model));
        send(List.of(new String[] {"1", "{\"id\":1,\"name\":\"new\"}"}, new String[] {"2", "{\"id\":2,\"name\":\"two\"}"},
                new String[] {"3", null}));

        await().atMost(30, TimeUnit.SECONDS).until(() -> documents().stream().noneMatch(d -> d.get("_id").equals(3))
                && documents().stream().anyMatch(d -> d.get("_id").equals(2)));
        assertEquals(new Document("_id", 2).append("id", 2).append("name", "two"), document(2));
        assertEquals(2, documents().size(), documents().toString());
        assertEquals(0, readTopic(dlqTopic, 0).size(), "nothing dead-lettered");
        assertTrue(log.lines().stream().noneMatch(l -> l.level().isMoreSpecificThan(org.apache.logging.log4j.Level.WARN)),
                log.lines().toString());
    }

    private Document document(int id) {
        return documents().stream().filter(d -> d.get("_id").equals(id)).findFirst().orElse(null);
    }

    private void send(List<String[]> keyedValues) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String[] record : keyedValues) {
                sent.add(producer.send(new ProducerRecord<>(topic, record[0], record[1])));
            }
            for (java.util.concurrent.Future<?> each : sent) {
                each.get();
            }
        }
    }
}
