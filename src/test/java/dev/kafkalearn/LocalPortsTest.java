package dev.kafkalearn;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.infra.LocalInfrastructure;
import dev.kafkalearn.infra.LocalPorts;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `mvn -Pdev` / `mvn -Pinfra` check their ports before starting anything: a port held by another program is one line
 * naming the setting that moves it and exit code 1; a Kafka and a MongoDB already answering are used.
 */
class LocalPortsTest {

    private static final TestInfrastructure INFRA = TestInfrastructure.get();

    @Test
    void aKafkaPortHeldByAnotherProgramStopsTheStartBeforeAnythingRuns() throws Exception {
        int source = TestInfrastructure.freePort();
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalPorts.PortTaken taken = assertThrows(LocalPorts.PortTaken.class, () -> LocalInfrastructure.start(Map.of(
                    "LOCAL_KAFKA_PORT", String.valueOf(other.getLocalPort()), "LOCAL_SOURCE_PORT", String.valueOf(source),
                    "LOCAL_DATA_DIR", Files.createTempDirectory("local").toString())));
            assertEquals("Port " + other.getLocalPort() + " (Kafka) is in use by a program that is not a Kafka broker: stop"
                         + " it, or set LOCAL_KAFKA_PORT to a free port", taken.getMessage());
            assertTrue(LocalPorts.free(source), "nothing was started (the source would hold its port)");
        }
    }

    @Test
    void aMongoOrSourcePortHeldByAnotherProgramNamesItsSetting() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            assertEquals("Port " + port + " (MongoDB) is in use by a program that is not MongoDB: stop it, or set"
                         + " LOCAL_MONGO_PORT to a free port",
                    assertThrows(LocalPorts.PortTaken.class, () -> LocalPorts.mongoAnswers(port, "LOCAL_MONGO_PORT")).getMessage());
            assertEquals("Port " + port + " (the source's HTTP server) is in use by another program: stop it, or set"
                         + " LOCAL_SOURCE_PORT to a free port",
                    assertThrows(LocalPorts.PortTaken.class,
                            () -> LocalPorts.requireFree(port, "the source's HTTP server", "LOCAL_SOURCE_PORT")).getMessage());
        }
    }

    @Test
    void aKafkaAndAMongoAlreadyAnsweringAreUsed() throws Exception {
        int kafka = Integer.parseInt(INFRA.kafka.bootstrapServers().substring(INFRA.kafka.bootstrapServers().lastIndexOf(':') + 1));
        int source = TestInfrastructure.freePort();
        try (LocalInfrastructure local = LocalInfrastructure.start(Map.of("LOCAL_KAFKA_PORT", String.valueOf(kafka),
                "LOCAL_MONGO_PORT", String.valueOf(INFRA.mongo.port()), "LOCAL_SOURCE_PORT", String.valueOf(source),
                "LOCAL_DATA_DIR", Files.createTempDirectory("local").toString()))) {
            assertEquals("localhost:" + kafka, local.kafkaBootstrap());
            assertEquals("mongodb://localhost:" + INFRA.mongo.port(), local.mongoUri());
            assertTrue(!LocalPorts.free(source), "the source runs");
        }
        assertTrue(LocalPorts.kafkaAnswers(kafka, "LOCAL_KAFKA_PORT"), "the test broker still answers: it was used, not stopped");
    }

    @Test
    void underMavenTheHeldPortIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", classpath,
                    "dev.kafkalearn.infra.LocalInfrastructure").redirectErrorStream(true);
            builder.environment().put("LOCAL_SOURCE_PORT", String.valueOf(other.getLocalPort()));
            builder.environment().put("LOCAL_KAFKA_PORT", String.valueOf(TestInfrastructure.freePort()));
            builder.environment().put("LOCAL_MONGO_PORT", String.valueOf(TestInfrastructure.freePort()));
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, process.exitValue(), output);
            assertEquals(List.of("Port " + other.getLocalPort() + " (the source's HTTP server) is in use by another program:"
                                 + " stop it, or set LOCAL_SOURCE_PORT to a free port"), output.lines().toList());
        }
    }
}
