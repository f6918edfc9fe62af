package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.DebianPackages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml and its secured overlay, read by a real compose parser: Debian's docker-compose (v1; installed
 * when missing) validates both files and renders the merged model (`config`), and the checks below run on what it
 * rendered: overlays merged, variables interpolated. No Docker engine here, so nothing is started.
 */
@SuppressWarnings("unchecked")
class ComposeFileTest {

    private static final String PLAIN = "docker-compose.yml";
    private static final String SECURE = "docker-compose.secure.yml";

    @BeforeAll
    static void composeParser() throws Exception {
        DebianPackages.installWhenMissing("docker-compose");
    }

    @Test
    void plainStackRunsKafkaInKraftModeMongoOnPort27018TheTopicsAndThePipelineBuiltFromTheDockerfile() throws Exception {
        Compose result = compose(Map.of(), "-f", PLAIN, "config");
        assertEquals(0, result.exitCode, result.output);
        Map<String, Map<String, Object>> services = services(result.output);

        Map<String, Object> kafka = services.get("kafka");
        assertTrue(((String) kafka.get("image")).startsWith("apache/kafka:"));
        assertEquals("broker,controller", env(kafka).get("KAFKA_PROCESS_ROLES"), "KRaft");
        assertEquals(List.of(Map.of("published", 9092, "target", 9092)), kafka.get("ports"));
        assertFalse(services.containsKey("zookeeper"));

        Map<String, Object> mongo = services.get("mongo");
        assertTrue(((String) mongo.get("image")).startsWith("mongo:"));
        assertEquals(List.of(Map.of("published", 27018, "target", 27017)), mongo.get("ports"));
        assertEquals(List.of("mongo-data:/data/db:rw"), mongo.get("volumes"));

        String topics = String.join("\n", (List<String>) services.get("kafka-topics").get("command"));
        assertTrue(topics.contains("for topic in test my-test-topic"));

        Map<String, Object> pipeline = services.get("pipeline");
        Map<String, Object> build = (Map<String, Object>) pipeline.get("build");
        assertEquals(Path.of("").toAbsolutePath().toString(), build.get("context"), "built from the project's Dockerfile");
        assertTrue(Files.exists(Path.of("Dockerfile")) && Files.exists(Path.of(".dockerignore")));
        assertEquals("kafka-learn:1.0.0", pipeline.get("image"), "the image k8s/ runs");
        assertFalse(pipeline.containsKey("volumes"), "no bind mount of target/ (Docker would create it, owned by root)");
        assertEquals("0.0.0.0", env(pipeline).get("MANAGEMENT_HOST"), "the published port reaches the management server");
        assertTrue(String.valueOf(pipeline.get("healthcheck")).contains("http://localhost:8080/observe/health/ready"));
        assertEquals(List.of(Map.of("published", 8080, "target", 8080)), pipeline.get("ports"));
    }

    @Test
    void secureOverlayWantsScramAndAMongoPasswordFromDotEnvAndHasItsOwnMongoVolume() throws Exception {
        Path env = Files.createTempFile("compose", ".env");
        // single-quoted: taken literally, $ included (rendered back as $$, compose's escape for a literal $)
        Files.writeString(env, "KAFKA_SASL_PASSWORD='k@f:ka/%,$1'\nMONGO_PASSWORD='m@n:go/%,]$2'\n");
        Compose result = compose(Map.of(), "-f", PLAIN, "-f", SECURE, "--env-file", env.toString(), "config");
        assertEquals(0, result.exitCode, result.output);
        Map<String, Map<String, Object>> services = services(result.output);

        Map<String, Object> kafka = env(services.get("kafka"));
        assertEquals("HOST:SASL_PLAINTEXT,DOCKER:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"));
        assertEquals("SCRAM-SHA-512", kafka.get("KAFKA_SASL_ENABLED_MECHANISMS"));

        Map<String, Object> mongo = services.get("mongo");
        assertEquals(List.of("mongo-data-secure:/data/db:rw"), mongo.get("volumes"),
                "its own volume: the image creates the root user only in an empty data directory");
        assertEquals("m@n:go/%,]$$2", env(mongo).get("MONGO_INITDB_ROOT_PASSWORD"));

        Map<String, Object> pipeline = env(services.get("pipeline"));
        assertEquals("SASL_PLAINTEXT", pipeline.get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("k@f:ka/%,$$1", pipeline.get("KAFKA_SASL_PASSWORD"));
        assertEquals("mongodb://mongo:27017", pipeline.get("MONGO_URI"), "no credentials in the URI");
        assertEquals("m@n:go/%,]$$2", pipeline.get("MONGO_PASSWORD"), "the password as written, beside the URI");
        assertEquals("0.0.0.0", pipeline.get("MANAGEMENT_HOST"));
        assertTrue(String.valueOf(services.get("kafka-topics").get("command"))
                .contains("SCRAM-SHA-512=[password=$$KAFKA_SASL_PASSWORD]"), "the SCRAM user is created from .env");

        String text = Files.readString(Path.of(SECURE));
        assertFalse(text.toLowerCase().matches("(?s).*password[=:] *[a-z0-9].*"), "no literal password in the file");
        assertTrue(text.contains("open, without authentication, to EVERY container"), "INTERNAL's exposure is said");
    }

    @Test
    void withoutTheSecretsEveryCommandStopsWithOneMessageNamingTheVariable() throws Exception {
        Path empty = Files.createTempFile("compose", ".env");
        Compose result = compose(Map.of(), "-f", PLAIN, "-f", SECURE, "--env-file", empty.toString(), "config", "-q");
        assertEquals(1, result.exitCode, result.output);
        assertTrue(result.output.contains("set KAFKA_SASL_PASSWORD (in .env beside this file)")
                   || result.output.contains("set MONGO_PASSWORD (in .env beside this file)"), result.output);
    }

    @Test
    void filesAndCommentsUseComposeV2Commands() throws Exception {
        for (String file : List.of(PLAIN, SECURE, "Dockerfile")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                assertFalse(line.matches(".*docker-compose (up|down|logs|-f|--profile|config|ps).*"),
                        file + " still says docker-compose (v1): " + line);
            }
        }
    }

    private record Compose(int exitCode, String output) {
    }

    /** Runs docker-compose in the project directory, without the caller's compose variables. */
    private static Compose compose(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String name : List.of("KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "MONGO_USERNAME", "MONGO_PASSWORD",
                "SOURCE_URL", "COMPOSE_FILE", "COMPOSE_PROFILES")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose did not finish");
        return new Compose(process.exitValue(), output);
    }

    private static Map<String, Map<String, Object>> services(String rendered) {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(rendered);
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    private static Map<String, Object> env(Map<String, Object> service) {
        return (Map<String, Object>) service.get("environment");
    }
}
