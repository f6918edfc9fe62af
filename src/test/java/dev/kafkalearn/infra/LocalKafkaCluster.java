package dev.kafkalearn.infra;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real multi-broker Kafka cluster in KRaft mode on loopback: every node is broker and controller, in its own JVM
 * ({@code kafka.Kafka} from Kafka's own jars on this classpath), so a node can be killed like a real one. Internal
 * topics are replicated to 3 nodes (2 in sync), so the cluster survives the loss of one node.
 */
public final class LocalKafkaCluster implements AutoCloseable {

    /** One node: its id, client port and process. */
    public record Node(int id, int port, Process process) {
    }

    private final List<Node> nodes;

    private LocalKafkaCluster(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Starts size nodes on free loopback ports, data and logs under dir; returns when every node accepts connections. */
    public static LocalKafkaCluster start(Path dir, int size) throws Exception {
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {FreePorts.next(), FreePorts.next()});
        }
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(i)[1]).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        int replication = Math.min(3, size);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            Path nodeDir = dir.resolve("node-" + id);
            Files.createDirectories(nodeDir);
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(id));
            props.put("controller.quorum.voters", voters);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(i)[0] + ",CONTROLLER://127.0.0.1:" + ports.get(i)[1]);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.get(i)[0]);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", nodeDir.resolve("data").toAbsolutePath().toString());
            props.put("num.partitions", "1");
            props.put("default.replication.factor", String.valueOf(replication));
            props.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
            props.put("offsets.topic.replication.factor", String.valueOf(replication));
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", String.valueOf(replication));
            props.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
            props.put("group.initial.rebalance.delay.ms", "0");
            Path config = nodeDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config)) {
                props.store(out, "node " + id + " of a local KRaft cluster");
            }
            format(id, nodeDir.resolve("data"), clusterId);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(nodeDir.resolve("broker.log").toFile())
                    .start();
            nodes.add(new Node(id, ports.get(i)[0], process));
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(nodes);
        for (Node node : nodes) {
            LocalKafka.awaitPort(node.port(), Duration.ofSeconds(90));
        }
        return cluster;
    }

    private static void format(int nodeId, Path dataDir, String clusterId) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(out))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                .addDirectory(dataDir.toAbsolutePath().toString())
                .setIgnoreFormatted(true)
                .run();
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** SIGKILL of one node: no shutdown, no handing over of leadership. */
    public void kill(int nodeId) throws InterruptedException {
        Node node = nodes.get(nodeId - 1);
        node.process().destroyForcibly();
        node.process().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        for (Node node : nodes) {
            node.process().destroy();
        }
        for (Node node : nodes) {
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
            }
        }
    }

}
