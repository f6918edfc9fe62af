package dev.kafkalearn.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kafkalearn.infra.LocalKafka;

/**
 * A second real broker whose client listeners want SASL with SCRAM-SHA-512 or PLAIN: SECURE is SASL_PLAINTEXT, TLS is
 * SASL_SSL with a self-signed certificate for 127.0.0.1 (made with the JDK's keytool; its truststore is
 * {@link #truststore}). The SCRAM user is written into the metadata at format time (StorageTool's --add-scram), the
 * PLAIN user is in the listener's JAAS line. Started once per test JVM, on free loopback ports.
 */
public final class SecureKafka {

    public static final String SCRAM_USER = "pipeline";
    public static final String SCRAM_PASSWORD = "scram-Pa55word!";
    public static final String PLAIN_USER = "plainuser";
    public static final String PLAIN_PASSWORD = "plain-Pa55word!";

    private static SecureKafka instance;

    public static final String TRUSTSTORE_PASSWORD = "trust-Pa55word!";

    public final int saslPort;
    public final int tlsPort;
    public final Path truststore;

    private SecureKafka(int saslPort, int tlsPort, Path truststore) {
        this.saslPort = saslPort;
        this.tlsPort = tlsPort;
        this.truststore = truststore;
    }

    public static synchronized SecureKafka get() {
        if (instance == null) {
            try {
                int port = TestInfrastructure.freePort();
                int saslPort = TestInfrastructure.freePort();
                int tlsPort = TestInfrastructure.freePort();
                int controllerPort = TestInfrastructure.freePort();
                Path dir = Files.createTempDirectory("secure-kafka");
                Path keystore = dir.resolve("broker.p12");
                Path truststore = dir.resolve("truststore.jks");
                certificate(keystore, truststore);
                Map<String, String> config = new HashMap<>(Map.of(
                        "node.id", "5",
                        "controller.quorum.voters", "5@127.0.0.1:" + controllerPort,
                        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",SECURE://127.0.0.1:" + saslPort
                                     + ",TLS://127.0.0.1:" + tlsPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SECURE://127.0.0.1:" + saslPort
                                                + ",TLS://127.0.0.1:" + tlsPort,
                        "listener.security.protocol.map",
                        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SECURE:SASL_PLAINTEXT,TLS:SASL_SSL",
                        "sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN",
                        "listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "listener.name.secure.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + PLAIN_USER + "=\""
                        + PLAIN_PASSWORD + "\";"));
                config.put("listener.name.tls.sasl.enabled.mechanisms", "SCRAM-SHA-512");
                config.put("listener.name.tls.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                config.put("listener.name.tls.ssl.keystore.type", "PKCS12");
                config.put("listener.name.tls.ssl.keystore.location", keystore.toString());
                config.put("listener.name.tls.ssl.keystore.password", "broker-Pa55");
                config.put("listener.name.tls.ssl.key.password", "broker-Pa55");
                LocalKafka kafka = LocalKafka.start(dir.resolve("data"), port, controllerPort, config,
                        List.of("SCRAM-SHA-512=[name=" + SCRAM_USER + ",password=" + SCRAM_PASSWORD + "]"));
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
                instance = new SecureKafka(saslPort, tlsPort, truststore);
            } catch (Exception e) {
                throw new IllegalStateException("could not start the SASL broker", e);
            }
        }
        return instance;
    }

    /** A key pair and self-signed certificate for 127.0.0.1/localhost, and a truststore holding the certificate. */
    private static void certificate(Path keystore, Path truststore) throws Exception {
        Path certificate = keystore.resolveSibling("broker.crt");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "broker-Pa55", "-keypass", "broker-Pa55");
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", "broker-Pa55",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "JKS",
                "-keystore", truststore.toString(), "-storepass", TRUSTSTORE_PASSWORD);
    }

    /** Runs the JDK's keytool; its output is the error when it fails. */
    public static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** The pipeline's settings for the SASL_SSL listener, with the test CA's truststore. */
    public Map<String, String> tlsSettings(String user, String password) {
        return Map.of(
                "kafka.brokers", "127.0.0.1:" + tlsPort,
                "kafka.security-protocol", "SASL_SSL",
                "kafka.sasl-mechanism", "SCRAM-SHA-512",
                "kafka.sasl-username", user,
                "kafka.sasl-password", password,
                "kafka.ssl-truststore-location", truststore.toString(),
                "kafka.ssl-truststore-password", TRUSTSTORE_PASSWORD);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** A Kafka client's configuration for this broker, as the SCRAM user (the test's own view: offsets, topics). */
    public Map<String, Object> clientConfig() {
        return Map.of(
                "bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                                    + SCRAM_USER + "\" password=\"" + SCRAM_PASSWORD + "\";");
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
