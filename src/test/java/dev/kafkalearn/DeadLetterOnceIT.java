package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.support.GroupOffsets;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged pipeline is killed (SIGKILL) twice while it stores valid records and dead-letters malformed ones on
 * three partitions, and restarted each time: afterwards each malformed record is on the dead-letter topic exactly
 * once, and every valid record is stored at its content.
 */
class DeadLetterOnceIT {

    private static final int PARTITIONS = 3;
    private static final int USERS = 30_000;
    private static final int MALFORMED_EVERY = 20;

    @Test
    void killDashNineTwiceLeavesEachRejectedRecordOnTheDeadLetterTopicOnce() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "dlq-once-" + run;
        String dlq = topic + ".dlq";
        String group = "dlq-once-" + run;
        createTopic(infra, topic);
        int malformed = produce(infra, topic);
        Map<String, String> env = Map.of(
                "SOURCE_ENABLED", "false",
                "SOURCE_URL", infra.source.url("/empty"),
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", topic,
                "KAFKA_GROUP_ID", group,
                // a restarted instance takes its partitions back at once instead of waiting for the session to expire
                "KAFKA_GROUP_INSTANCE_ID", "dlq-once",
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", topic,
                "MONGO_BATCH_SIZE", "200");
        Path workDir = Files.createTempDirectory("jar-dlq-once");
        try (MongoClient client = MongoClients.create(infra.mongo.uri())) {
            MongoCollection<Document> stored = client.getDatabase(topic).getCollection("test");
            long[] atKill = new long[2];
            for (int kill = 0; kill < 2; kill++) {
                Process pipeline = JarIT.startJar(workDir, env, "run-" + kill + ".log");
                long before = deadLettered(infra, dlq);
                // mid-stream: more dead-lettered since this start, records still to come
                await().atMost(90, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                        .until(() -> deadLettered(infra, dlq) > before + 20);
                JarIT.killDashNine(pipeline);
                assertTrue(pipeline.waitFor(10, TimeUnit.SECONDS));
                atKill[kill] = stored.countDocuments();
            }
            Process last = JarIT.startJar(workDir, env, "run-last.log");
            try {
                await().atMost(180, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> GroupOffsets.caughtUp(infra.kafka.bootstrapServers(), group, topic));
            } finally {
                last.destroy();
                last.waitFor(40, TimeUnit.SECONDS);
            }
            assertTrue(atKill[1] < USERS, "killed mid-stream: " + atKill[0] + ", " + atKill[1] + " of " + USERS);

            List<ConsumerRecord<String, String>> dead = readAll(infra, dlq);
            Set<String> positions = new HashSet<>();
            dead.forEach(r -> positions.add(header(r, "dlq.partition") + "/" + header(r, "dlq.offset")));
            assertEquals(malformed, positions.size(), "every malformed record dead-lettered");
            assertEquals(malformed, dead.size(), "each malformed record dead-lettered exactly once");
            // sent in offset order per source partition (what makes "at or below the highest on the topic" exact): the
            // writer takes the next batch only once this one's dead letters are acknowledged
            Map<String, Long> lastOffset = new HashMap<>();
            for (ConsumerRecord<String, String> r : dead) {
                String stream = r.partition() + "/" + header(r, "dlq.partition");
                long offset = Long.parseLong(header(r, "dlq.offset"));
                Long previous = lastOffset.put(stream, offset);
                assertTrue(previous == null || previous < offset, "dead letters of source partition "
                        + header(r, "dlq.partition") + " out of order: " + offset + " after " + previous);
            }

            List<Document> documents = stored.find().sort(new Document("_id", 1)).into(new ArrayList<>());
            assertEquals(USERS, documents.size());
            for (int i = 1; i <= USERS; i++) {
                assertEquals(new Document("_id", i).append("id", i).append("name", "user " + i), documents.get(i - 1));
            }
            System.out.printf("dead-letter-once test: killed at %d and %d of %d stored; %d malformed, %d dead-lettered%n",
                    atKill[0], atKill[1], USERS, malformed, dead.size());
        }
    }

    private static void createTopic(TestInfrastructure infra, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The users on three partitions (by key), a malformed record after every 20th; returns how many are malformed. */
    private static int produce(TestInfrastructure infra, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", infra.kafka.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.put("linger.ms", "20");
        int malformed = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 1; i <= USERS; i++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(i), "{\"id\": " + i + ", \"name\": \"user " + i + "\"}"));
                if (i % MALFORMED_EVERY == 0) {
                    producer.send(new ProducerRecord<>(topic, "bad-" + i, "not json " + i));
                    malformed++;
                }
            }
            producer.flush();
        }
        return malformed;
    }

    private static long deadLettered(TestInfrastructure infra, String dlq) {
        try {
            return GroupOffsets.end(infra.kafka.bootstrapServers(), dlq).values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception notYetCreated) {
            return 0;
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(TestInfrastructure infra, String topic) throws Exception {
        return PipelineTestSupport.readTopic(infra.kafka.bootstrapServers(), topic, deadLettered(infra, topic));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
