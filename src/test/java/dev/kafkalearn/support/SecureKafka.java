package dev.kafkalearn.support;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import dev.kafkalearn.infra.LocalKafka;

/**
 * A second real broker whose client listener wants SASL (SASL_PLAINTEXT) with SCRAM-SHA-512 or PLAIN: the SCRAM user
 * is written into the metadata at format time (StorageTool's --add-scram), the PLAIN user is in the listener's JAAS
 * line. Started once per test JVM, on free loopback ports.
 */
public final class SecureKafka {

    public static final String SCRAM_USER = "pipeline";
    public static final String SCRAM_PASSWORD = "scram-Pa55word!";
    public static final String PLAIN_USER = "plainuser";
    public static final String PLAIN_PASSWORD = "plain-Pa55word!";

    private static SecureKafka instance;

    public final int saslPort;

    private SecureKafka(int saslPort) {
        this.saslPort = saslPort;
    }

    public static synchronized SecureKafka get() {
        if (instance == null) {
            try {
                int port = TestInfrastructure.freePort();
                int saslPort = TestInfrastructure.freePort();
                int controllerPort = TestInfrastructure.freePort();
                Map<String, String> config = Map.of(
                        "node.id", "5",
                        "controller.quorum.voters", "5@127.0.0.1:" + controllerPort,
                        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",SECURE://127.0.0.1:" + saslPort
                                     + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SECURE://127.0.0.1:" + saslPort,
                        "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SECURE:SASL_PLAINTEXT",
                        "sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN",
                        "listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "listener.name.secure.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER + "=\""
                        + PLAIN_PASSWORD + "\";");
                LocalKafka kafka = LocalKafka.start(Files.createTempDirectory("secure-kafka"), port, controllerPort, config,
                        List.of("SCRAM-SHA-512=[name=" + SCRAM_USER + ",password=" + SCRAM_PASSWORD + "]"));
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
                instance = new SecureKafka(saslPort);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the SASL broker", e);
            }
        }
        return instance;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** The pipeline's settings for this broker, as the environment variables would give them. */
    public Map<String, String> settings(String mechanism, String user, String password) {
        return Map.of(
                "kafka.brokers", bootstrapServers(),
                "kafka.security-protocol", "SASL_PLAINTEXT",
                "kafka.sasl-mechanism", mechanism,
                "kafka.sasl-username", user,
                "kafka.sasl-password", password);
    }
}
