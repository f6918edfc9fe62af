package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out: two instances of the packaged jar (separate JVMs) in one consumer group share a 3-partition topic; one
 * joins mid-stream, one is killed with SIGKILL mid-stream. Every key ends up stored as its last version, the group's
 * committed offsets reach the end offsets, and nothing is dead-lettered.
 */
class ScaleOutIT {

    private static final int KEYS = 4000;
    private static final int VERSIONS = 10;
    private static final int FIRST_VERSIONS = 3;

    @Test
    void twoInstancesShareThePartitionsAndAKilledOneLosesNothing() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "scale-" + run;
        String group = "scale-" + run;
        int total = KEYS * VERSIONS;
        Map<String, String> env = Map.of(
                "SOURCE_ENABLED", "false",
                "KAFKA_BROKERS", infra.kafka.bootstrapServers(),
                "KAFKA_TOPIC", topic,
                "KAFKA_GROUP_ID", group,
                // the broker's minimum: the killed instance's partitions move on after 6 s
                "KAFKA_SESSION_TIMEOUT_MS", "6000",
                "MONGO_URI", infra.mongo.uri(),
                "MONGO_DATABASE", "scale-" + run,
                "MONGO_BATCH_SIZE", "200");
        Path workDir = Files.createTempDirectory("scale-out");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka.bootstrapServers()));
             MongoClient client = MongoClients.create(infra.mongo.uri())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            MongoCollection<Document> stored = client.getDatabase("scale-" + run).getCollection("test");

            produce(infra, topic, 1, FIRST_VERSIONS);
            Process first = JarIT.startJar(workDir, env, "first.log");
            Process second = null;
            try {
                await().atMost(60, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                        .until(() -> committed(admin, group) > 0);
                // an instance added mid-stream: the group rebalances and the two share the 3 partitions
                // (the added one with static membership: KAFKA_GROUP_INSTANCE_ID reaches the consumer and is accepted)
                Map<String, String> staticMember = new HashMap<>(env);
                staticMember.put("KAFKA_GROUP_INSTANCE_ID", "scale-" + run + "-second");
                second = JarIT.startJar(workDir, staticMember, "second.log");
                await().atMost(60, TimeUnit.SECONDS).until(() -> assigned(admin, group).size() == 2);
                Map<String, Integer> shares = assigned(admin, group);
                assertEquals(3, shares.values().stream().mapToInt(Integer::intValue).sum(), "shares: " + shares);
                assertTrue(members(admin, group).contains("scale-" + run + "-second"), "static member: " + members(admin, group));

                produce(infra, topic, FIRST_VERSIONS + 1, VERSIONS);
                long killAt = (long) KEYS * (FIRST_VERSIONS + 1);
                await().atMost(60, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                        .until(() -> committed(admin, group) >= killAt);
                JarIT.killDashNine(first); // SIGKILL, mid-stream
                first.waitFor(10, TimeUnit.SECONDS);
                long atKill = committed(admin, group);

                // the survivor gets the killed one's partitions once its session expired, and reads on from their commits
                await().atMost(90, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> committed(admin, group) == total);
                assertTrue(atKill < total, "killed mid-stream (" + atKill + " of " + total + " committed)");
                assertEquals(1, assigned(admin, group).size(), "one instance left");
                assertEquals(3, assigned(admin, group).values().iterator().next(), "it owns all 3 partitions");

                try (KafkaOffsets offsets = new KafkaOffsets(infra.kafka.bootstrapServers())) {
                    assertTrue(offsets.caughtUp(group, topic), "every partition committed up to its end offset: "
                            + offsets.committed(group, topic) + " vs " + offsets.end(topic));
                    assertEquals(0, offsets.records(topic + ".dlq"), "nothing dead-lettered");
                }
                assertEquals(KEYS, stored.countDocuments(), "one document per key, none lost");
                assertEquals(KEYS, stored.countDocuments(Filters.eq("version", VERSIONS)),
                        "per-key order: each key's document is its last version");
                assertEquals(0, stored.find().into(new java.util.ArrayList<>()).stream()
                                .filter(d -> !d.get("_id").equals(d.get("id")) || !("user " + d.get("id")).equals(d.get("name")))
                                .count(), "each document carries its own key's content");
                System.out.printf("scale-out test: %d of %d records committed at the kill of 1 of 2 instances; "
                        + "all %d keys stored at version %d, committed to the end, none dead-lettered%n",
                        atKill, total, KEYS, VERSIONS);
            } finally {
                JarIT.killDashNine(first);
                if (second != null) {
                    second.destroy();
                    second.waitFor(40, TimeUnit.SECONDS);
                }
            }
        }
        for (String log : List.of("first.log", "second.log")) {
            List<String> lines = Files.readAllLines(workDir.resolve(log));
            assertTrue(lines.stream().anyMatch(l -> l.contains("Stored ")), log + " stored batches: " + lines);
        }
    }

    /** Records key 1..KEYS, versions from..to, in version order: every key's records sit in one partition, in order. */
    private static void produce(TestInfrastructure infra, String topic, int from, int to) {
        Properties props = new Properties();
        props.put("bootstrap.servers", infra.kafka.bootstrapServers());
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.put("linger.ms", "20");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int version = from; version <= to; version++) {
                for (int id = 1; id <= KEYS; id++) {
                    producer.send(new ProducerRecord<>(topic, String.valueOf(id),
                            "{\"id\": " + id + ", \"version\": " + version + ", \"name\": \"user " + id + "\"}"));
                }
            }
            producer.flush();
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** The group.instance.id of every static member of the group. */
    private static List<String> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS)
                .members().stream().map(m -> m.groupInstanceId().orElse("")).filter(id -> !id.isEmpty()).toList();
    }

    /** The group's members that own partitions, and how many each. */
    private static Map<String, Integer> assigned(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
        Map<String, Integer> shares = new HashMap<>();
        for (MemberDescription member : description.members()) {
            int partitions = member.assignment().topicPartitions().size();
            if (partitions > 0) {
                shares.put(member.consumerId(), partitions);
            }
        }
        return shares;
    }
}
