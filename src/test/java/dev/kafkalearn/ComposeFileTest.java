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
}
