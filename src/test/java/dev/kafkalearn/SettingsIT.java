package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `java -jar` with a setting that cannot work stops at once with one line naming the setting and its value (a password
 * in it masked), exit code 1, no stack trace; unreachable Kafka and MongoDB at start are no configuration error.
 */
class SettingsIT {

    private static final Path JAR = Path.of("target/kafka-learn.jar").toAbsolutePath();
    private static final String MONGO_SECRET = "M0ngo-S3cret";
    private static final String KAFKA_SECRET = "K4fka-S3cret";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MONGO_URI        | mongodb://app:s3cret@db:notaport/ | Invalid setting MONGO_URI='mongodb://app:****@db:notaport/': expected a MongoDB connection string",
            "KAFKA_TOPIC      | ''                                | Invalid setting KAFKA_TOPIC='': expected a topic name, not empty",
            "MONGO_BATCH_SIZE | 0                                 | Invalid setting MONGO_BATCH_SIZE='0': expected a whole number, 1 or more",
            "KAFKA_SECURITY_PROTOCOL | SASL_PLAIN                 | Invalid setting KAFKA_SECURITY_PROTOCOL='SASL_PLAIN': expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL",
            "SOURCE_URL       | localhost:8089/users              | Invalid setting SOURCE_URL='localhost:8089/users': expected an http:// or https:// URL with a host",
    })
    void anInvalidSettingStopsTheStartWithOneLine(String variable, String value, String message) throws Exception {
        Path workDir = Files.createTempDirectory("settings");
        Process jar = start(workDir, Map.of(variable, value));
        assertTrue(jar.waitFor(60, TimeUnit.SECONDS), "stopped by itself");
        List<String> lines = Files.readAllLines(workDir.resolve("out.log"));
        assertEquals(1, jar.exitValue(), String.join("\n", lines));
        List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), String.join("\n", lines));
        assertTrue(errors.get(0).contains("Not started: " + message), errors.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), "no stack trace: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("s3cret")), "the password is masked");
    }

    /** The same check, the same line, under `bin/camel run` (SOURCE_PAGINATION was once checked only on each poll). */
    @Test
    void underCamelRunAnInvalidSettingIsOneLineToo() throws Exception {
        Path log = Files.createTempFile("camel-run-settings", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "exec bin/camel run routes/pipeline/*.camel.yaml application.properties")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        builder.environment().put("MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        builder.environment().put("KAFKA_BROKERS", "127.0.0.1:" + TestInfrastructure.freePort());
        builder.environment().put("SOURCE_PAGINATION", "pages");
        Process camel = builder.start();
        assertTrue(camel.waitFor(180, TimeUnit.SECONDS), "stopped by itself");
        List<String> lines = Files.readString(log).replaceAll("\u001B\\[[0-9;]*m", "").lines().toList();
        assertEquals(1, camel.exitValue(), String.join("\n", lines));
        List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), String.join("\n", lines));
        assertTrue(errors.get(0).endsWith("Not started: Invalid setting SOURCE_PAGINATION='pages': expected one of none, "
                + "page, link"), errors.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), "no stack trace: " + lines);
    }

    @Test
    void unreachableKafkaAndMongoAtStartAreNoConfigurationErrorAndNoSecretIsShown() throws Exception {
        Path workDir = Files.createTempDirectory("settings");
        int httpPort = TestInfrastructure.freePort();
        Process jar = start(workDir, Map.of(
                "KAFKA_BROKERS", "127.0.0.1:" + TestInfrastructure.freePort(),
                "MONGO_URI", "mongodb://app:" + MONGO_SECRET + "@127.0.0.1:" + TestInfrastructure.freePort()
                             + "/?serverSelectionTimeoutMS=1000",
                "KAFKA_SASL_USERNAME", "pipeline",
                "KAFKA_SASL_PASSWORD", KAFKA_SECRET,
                "MANAGEMENT_PORT", String.valueOf(httpPort)));
        try {
            ManagementEndpoint endpoint = new ManagementEndpoint(httpPort);
            // the management server answers before the context has started (live is 503 until it has): wait for
            // live UP, then ready must still be DOWN (503) while Kafka and MongoDB are unreachable
            org.awaitility.Awaitility.await().atMost(90, TimeUnit.SECONDS) // the jar starts slowly on a busy machine
                    .until(() -> endpoint.get("/observe/health/live").status() == 200);
            assertEquals(503, endpoint.get("/observe/health/ready").status());
            assertFalse(jar.waitFor(1, TimeUnit.SECONDS), "still running, waiting for its dependencies");
            List<String> lines = Files.readAllLines(workDir.resolve("out.log"));
            assertTrue(lines.stream().noneMatch(l -> l.contains("Not started")));

            String shown = String.join("\n", lines) + endpoint.get("/observe/health?exposureLevel=full").body()
                           + endpoint.scrape();
            assertFalse(shown.contains(MONGO_SECRET) || shown.contains(KAFKA_SECRET), "no secret in logs, health or metrics");
            assertTrue(lines.stream().anyMatch(l -> l.matches("  MONGO_URI +mongodb://app:\\*\\*\\*\\*@127\\.0\\.0\\.1:.*")), "masked");
            assertTrue(lines.stream().anyMatch(l -> l.matches("  KAFKA_SASL_PASSWORD +\\*\\*\\*\\*")), "masked");
        } finally {
            jar.destroyForcibly();
            jar.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path workDir, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MANAGEMENT_HOST", "127.0.0.1");
        env.put("MANAGEMENT_PORT", String.valueOf(TestInfrastructure.freePort()));
        env.put("KAFKA_BROKERS", "127.0.0.1:" + TestInfrastructure.freePort());
        env.put("SOURCE_URL", "http://127.0.0.1:" + TestInfrastructure.freePort() + "/users");
        env.putAll(settings);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("out.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
