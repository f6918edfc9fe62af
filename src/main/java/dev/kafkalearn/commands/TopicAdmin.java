package dev.kafkalearn.commands;

import dev.kafkalearn.settings.Secrets;
import dev.kafkalearn.kafka.KafkaClients;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

/**
 * The tutorial's topic administration through Kafka's Admin client: create a topic (partitions, replication factor),
 * list the topics, describe one (partitions, leader, replicas, in-sync replicas), in the layout of
 * {@code kafka-topics.sh}. Arguments are checked before Kafka is asked, so a bad one gets a one-line answer.
 */
public class TopicAdmin implements CamelContextAware {

    private CamelContext camelContext;

    private String topic = "";
    private String partitions;
    private String replicationFactor;

    public void setTopic(String topic) {
        this.topic = topic == null ? "" : topic.trim();
    }

    public void setPartitions(String partitions) {
        this.partitions = partitions;
    }

    public void setReplicationFactor(String replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    /** {@code action}: create, list or describe; the answer as text, or an exception whose message says what failed. */
    public String run(String action) throws Exception {
        String what = action == null ? "" : action.trim();
        try {
            return switch (what) {
                case "create" -> create();
                case "list" -> list();
                case "describe" -> describe();
                default -> throw new IllegalArgumentException("choose one of --create, --list, --describe");
            };
        } catch (Exception e) {
            String subject = what.equals("list") ? "topics" : "topic " + topic;
            throw new IllegalArgumentException("Cannot " + (what.isEmpty() ? "run" : what) + " " + subject + ": "
                    + Secrets.firstLine(e.getMessage()), e);
        }
    }

    /** Creates the topic; an existing topic is left as it is, and the answer says so. */
    public String create() throws Exception {
        validName();
        int count = positive("partitions", partitions, Integer.MAX_VALUE);
        short replicas = (short) positive("replication factor", replicationFactor, Short.MAX_VALUE);
        try (Admin admin = KafkaClients.admin(camelContext, KafkaClients.TIMEOUT)) {
            int brokerCount = KafkaClients.await(admin.describeCluster().nodes()).size();
            if (replicas > brokerCount) {
                throw new IllegalArgumentException("replication factor " + replicas + " is larger than the number of "
                        + "brokers (" + brokerCount + ")");
            }
            try {
                KafkaClients.await(admin.createTopics(List.of(new NewTopic(topic, count, replicas))).all());
                return "Created topic " + topic + " with " + count + " partition" + (count == 1 ? "" : "s")
                       + ", replication factor " + replicas + ".";
            } catch (TopicExistsException e) {
                TopicDescription existing = describe(admin);
                return "Topic " + topic + " exists already (" + existing.partitions().size() + " partition"
                       + (existing.partitions().size() == 1 ? "" : "s") + ", replication factor "
                       + existing.partitions().get(0).replicas().size() + "); nothing changed.";
            }
        }
    }

    /** The topics' names, one per line, sorted; Kafka's internal topics left out. */
    public String list() throws Exception {
        try (Admin admin = KafkaClients.admin(camelContext, KafkaClients.TIMEOUT)) {
            TreeSet<String> names = new TreeSet<>(KafkaClients.await(admin.listTopics().names()));
            return names.isEmpty() ? "(no topics)" : String.join("\n", names);
        }
    }

    /** One line for the topic, one per partition: leader, replicas, in-sync replicas, as kafka-topics.sh prints. */
    public String describe() throws Exception {
        validName();
        try (Admin admin = KafkaClients.admin(camelContext, KafkaClients.TIMEOUT)) {
            TopicDescription description = describe(admin);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = KafkaClients.await(admin.describeConfigs(List.of(resource)).all()).get(resource);
            String configs = config.entries().stream()
                    .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .map(e -> e.name() + "=" + e.value()).collect(Collectors.joining(","));
            List<TopicPartitionInfo> partitionInfos = description.partitions();
            StringBuilder text = new StringBuilder(String.format("Topic: %s\tTopicId: %s\tPartitionCount: %d\t"
                    + "ReplicationFactor: %d\tConfigs: %s", topic, description.topicId(), partitionInfos.size(),
                    partitionInfos.get(0).replicas().size(), configs));
            for (TopicPartitionInfo partition : partitionInfos) {
                text.append(String.format("%n\tTopic: %s\tPartition: %d\tLeader: %s\tReplicas: %s\tIsr: %s", topic,
                        partition.partition(), partition.leader() == null ? "none" : partition.leader().id(),
                        ids(partition.replicas()), ids(partition.isr())));
            }
            return text.toString();
        }
    }

    private TopicDescription describe(Admin admin) throws Exception {
        try {
            return KafkaClients.await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (UnknownTopicOrPartitionException e) {
            throw new IllegalArgumentException("topic " + topic + " does not exist (topics --list shows the topics)");
        }
    }

    private void validName() {
        try {
            Topic.validate(topic);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage().isBlank() ? "the topic name is empty" : e.getMessage());
        }
    }

    private static int positive(String what, String value, int max) {
        try {
            int number = Integer.parseInt(value == null ? "" : value.trim());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(what + " must be a whole number from 1 to " + max + ", not '" + value + "'");
    }

    private static String ids(Collection<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(","));
    }

    /** Its Admin client is the Kafka component's: the pipeline's brokers and security settings. */
    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
