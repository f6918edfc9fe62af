package dev.kafkalearn;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.kafkalearn.support.KafkaTool;
import dev.kafkalearn.support.PipelineTestSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.tools.TopicCommand;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** routes/commands/topics.camel.yaml: the tutorial's create, list and describe, and Kafka's own kafka-topics beside it. */
class TopicsCommandTest extends PipelineTestSupport {

    @Test
    void createsListsAndDescribesATopicAndCreatingItAgainChangesNothing() throws Exception {
        assertEquals(List.of("Created topic " + topic + " with 1 partition, replication factor 1."),
                topics("create", Map.of("topics.partitions", "1", "topics.replication-factor", "1")));
        assertEquals(1, describeWithAdmin(topic).partitions().size());

        assertEquals(List.of("Topic " + topic + " exists already (1 partition, replication factor 1); nothing changed."),
                topics("create", Map.of("topics.partitions", "3")));
        assertEquals(1, describeWithAdmin(topic).partitions().size(), "the existing topic is left as it is");

        List<String> listed = List.of(topics("list", Map.of()).get(0).split("\n"));
        assertTrue(listed.contains(topic), listed.toString());
        assertTrue(listed.stream().noneMatch(name -> name.startsWith("__")), "internal topics left out: " + listed);

        String[] described = topics("describe", Map.of()).get(0).split("\n");
        assertEquals(2, described.length, String.join("\n", described));
        assertTrue(described[0].startsWith("Topic: " + topic + "\tTopicId: "), described[0]);
        assertTrue(described[0].contains("\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: "), described[0]);
        assertEquals("\tTopic: " + topic + "\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1", described[1]);
    }

    @Test
    void badArgumentsGetOneClearLineAndCreateNothing() throws Exception {
        assertError("Cannot create topic " + topic + ": partitions must be a whole number from 1 to 2147483647, not '0'",
                "create", Map.of("topics.partitions", "0"));
        assertError("Cannot create topic " + topic + ": partitions must be a whole number from 1 to 2147483647, not 'two'",
                "create", Map.of("topics.partitions", "two"));
        assertError("Cannot create topic " + topic + ": replication factor 3 is larger than the number of brokers (1)",
                "create", Map.of("topics.replication-factor", "3"));
        assertError("Cannot create topic no spaces please: Topic name is invalid: 'no spaces please' contains one or more "
                    + "characters other than ASCII alphanumerics, '.', '_' and '-'",
                "create", Map.of("kafka.topic", "no spaces please"));
        assertError("Cannot describe topic " + topic + ": topic " + topic + " does not exist (topics --list shows the topics)",
                "describe", Map.of());
        assertTrue(!topics("list", Map.of()).get(0).contains(topic), "nothing was created");
    }

    @Test
    void kafkasOwnKafkaTopicsWorksAgainstTheSameBroker() throws Exception {
        String created = kafkaTopics("--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1");
        assertEquals("Created topic " + topic + ".", created.strip());
        assertTrue(kafkaTopics("--list").lines().anyMatch(topic::equals));
        assertTrue(kafkaTopics("--describe", "--topic", topic).contains("Partition: 0\tLeader: 1\tReplicas: 1\tIsr: 1"));
        assertTrue(List.of(topics("list", Map.of()).get(0).split("\n")).contains(topic), "ours sees what theirs made");
    }

    private List<String> topics(String action, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("topics.action", action);
        List<String> output = runCommand("commands/topics", all);
        assertEquals(1, output.size(), output.toString());
        return output;
    }

    private void assertError(String expected, String action, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("topics.action", action);
        try (RunningCommand command = startCommand("commands/topics", all, 1)) {
            org.awaitility.Awaitility.await().until(() -> !command.output().isEmpty());
            assertEquals(List.of(expected), command.output(Level.ERROR));
            assertEquals(1, command.output().size(), command.output().toString());
        }
    }

    private TopicDescription describeWithAdmin(String name) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, INFRA.kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        }
    }

    /** Kafka's TopicCommand, the class behind kafka-topics.sh; returns what it printed. */
    private static String kafkaTopics(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = INFRA.kafka.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = KafkaTool.run(() -> TopicCommand.main(all));
        } finally {
            System.setOut(original);
        }
        assertEquals(0, exitCode, "kafka-topics " + String.join(" ", args) + ": " + out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
