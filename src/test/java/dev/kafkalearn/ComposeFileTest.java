package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml is the real-infrastructure path; no Docker engine here, so check what it promises. */
class ComposeFileTest {

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsKafkaInKraftModeAndMongoOnPort27018WithTheTutorialTopics() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        Map<String, Object> kafka = services.get("kafka");
        assertTrue(((String) kafka.get("image")).startsWith("apache/kafka:"));
        Map<String, Object> env = (Map<String, Object>) kafka.get("environment");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), "KRaft");
        assertTrue(((List<String>) kafka.get("ports")).contains("9092:9092"));
        assertFalse(services.containsKey("zookeeper"));

        Map<String, Object> mongo = services.get("mongo");
        assertTrue(((String) mongo.get("image")).startsWith("mongo:"));
        assertTrue(((List<String>) mongo.get("ports")).contains("27018:27017"));
        assertTrue(((List<String>) mongo.get("volumes")).get(0).startsWith("mongo-data:"));
        assertTrue(((Map<String, Object>) compose.get("volumes")).containsKey("mongo-data"));

        String topics = String.join("\n", (List<String>) services.get("kafka-topics").get("command"));
        assertTrue(topics.contains("for topic in test my-test-topic"));
        assertTrue(topics.contains("--partitions 1 --replication-factor 1"));

        Map<String, Object> pipeline = (Map<String, Object>) services.get("pipeline");
        Map<String, Object> health = (Map<String, Object>) pipeline.get("healthcheck");
        assertTrue(String.valueOf(health.get("test")).contains("http://localhost:8080/observe/health/ready"), "pipeline healthcheck");
        assertTrue(((List<String>) pipeline.get("ports")).contains("8080:8080"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void secureVariantWantsScramFromKafkaClientsAndAPasswordFromMongoClientsWithNoSecretInTheFile() throws Exception {
        String text = Files.readString(Path.of("docker-compose.secure.yml"));
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        Map<String, Object> kafka = (Map<String, Object>) services.get("kafka").get("environment");
        assertEquals("HOST:SASL_PLAINTEXT,DOCKER:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"));
        assertEquals("SCRAM-SHA-512", kafka.get("KAFKA_SASL_ENABLED_MECHANISMS"));
        assertTrue(kafka.containsKey("KAFKA_LISTENER_NAME_DOCKER_SCRAM___SHA___512_SASL_JAAS_CONFIG"));

        Map<String, Object> pipeline = (Map<String, Object>) services.get("pipeline").get("environment");
        assertEquals("SASL_PLAINTEXT", pipeline.get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", pipeline.get("KAFKA_SASL_MECHANISM"));
        assertEquals("${KAFKA_SASL_PASSWORD:?set KAFKA_SASL_PASSWORD}", pipeline.get("KAFKA_SASL_PASSWORD"));
        assertTrue(String.valueOf(pipeline.get("MONGO_URI")).contains(":${MONGO_PASSWORD:?set MONGO_PASSWORD}@mongo:27017"));
        assertTrue(String.valueOf(services.get("kafka-topics").get("command")).contains("SCRAM-SHA-512=[password=$$KAFKA_SASL_PASSWORD]"),
                "the SCRAM user is created from the environment");
        assertFalse(text.toLowerCase().matches("(?s).*password[=:] *[a-z0-9].*"), "no literal password in the file");
    }
}
