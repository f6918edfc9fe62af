package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.KafkaOffsets;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/kafka-learn as a user runs it: options, piped input, plain output and exit codes, on the packaged jar. */
class KafkaLearnCommandsIT {

    private static final Path LAUNCHER = Path.of("bin/kafka-learn").toAbsolutePath();
    private final TestInfrastructure infra = TestInfrastructure.get();
    private final String topic = "cli-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void pipedLinesBecomeRecordsThatTheConsoleConsumerPrints() throws Exception {
        Result created = run(null, "topics", "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1");
        assertEquals(new Result(0, List.of("Created topic " + topic + " with 1 partition, replication factor 1.")), created);

        Result sent = run("first line\nsecond line\nthird line\n", "console-producer", "--topic", topic);
        assertEquals(new Result(0, List.of()), sent, "piped input: sends, then stops by itself");

        Path output = Files.createTempFile("console-consumer", ".txt");
        Process consumer = start(List.of("console-consumer", "--topic", topic), output);
        try {
            await().atMost(60, TimeUnit.SECONDS).until(() -> Files.readAllLines(output).size() >= 3);
        } finally {
            consumer.destroy();
            assertTrue(consumer.waitFor(30, TimeUnit.SECONDS), "Ctrl-C / SIGTERM stops the console consumer");
        }
        // read once it stopped: everything it printed, and the topic holds exactly the three piped lines
        assertEquals(List.of("first line", "second line", "third line"), Files.readAllLines(output));
        try (KafkaOffsets offsets = new KafkaOffsets(infra.kafka.bootstrapServers())) {
            assertEquals(3, offsets.records(topic), "one record per piped line");
        }

        Result described = run(null, "topics", "--describe", "--topic", topic);
        assertEquals(0, described.exitCode());
        assertEquals("\tTopic: " + topic + "\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1", described.lines().get(1));

        // Kafka's own kafka-topics, fetched from Maven Central, sees the same
        Result kafkaTopics = run(null, "kafka-topics", "--list");
        assertEquals(0, kafkaTopics.exitCode(), kafkaTopics.toString());
        assertTrue(kafkaTopics.lines().contains(topic), kafkaTopics.toString());
    }

    @Test
    void aBadArgumentIsOneLineAndANonZeroExit() throws Exception {
        Result badName = run(null, "topics", "--create", "--topic", "bad name");
        assertEquals(1, badName.exitCode());
        assertEquals(List.of("ERROR: Cannot create topic bad name: Topic name is invalid: 'bad name' contains one or more "
                             + "characters other than ASCII alphanumerics, '.', '_' and '-'"), badName.lines());

        assertEquals(new Result(2, List.of("kafka-learn: unknown command 'topic' (bin/kafka-learn --help lists them)")),
                run(null, "topic", "--list"));
        assertEquals(new Result(2, List.of("kafka-learn: unknown option '--partition' for topics (bin/kafka-learn --help "
                                           + "lists them)")), run(null, "topics", "--create", "--partition", "1"));
    }

    record Result(int exitCode, List<String> lines) {
    }

    private Result run(String stdin, String... args) throws Exception {
        Path output = Files.createTempFile("kafka-learn", ".txt");
        Process process = start(List.of(args), output);
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bin/kafka-learn " + String.join(" ", args) + " ends");
        return new Result(process.exitValue(), Files.readAllLines(output));
    }

    private Process start(List<String> args, Path output) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(args);
        command.addAll(List.of("--bootstrap-server", infra.kafka.bootstrapServers()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(Files.createTempDirectory("cli").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return builder.start();
    }
}
