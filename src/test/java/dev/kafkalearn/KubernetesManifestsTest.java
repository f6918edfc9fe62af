package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k8s/ is the path beyond one machine; no cluster here, so check what the manifests promise. */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {

    /** Not application.properties settings: the JVM's own, and camel-main's management server (health, metrics). */
    private static final Set<String> NOT_IN_PROPERTIES = Set.of("JAVA_TOOL_OPTIONS", "MANAGEMENT_PORT");

    @Test
    void everyConfigMapAndSecretKeyIsASettingOfThePipeline() throws Exception {
        Set<String> settings = settings();
        Map<String, Object> configMap = load("configmap.yaml").get(0);
        Map<String, Object> secret = load("secret.yaml").get(0);
        List<String> keys = new ArrayList<>(((Map<String, Object>) configMap.get("data")).keySet());
        keys.addAll(((Map<String, Object>) secret.get("stringData")).keySet());
        for (String key : keys) {
            assertTrue(settings.contains(key) || NOT_IN_PROPERTIES.contains(key), key + " is not a setting");
        }
        assertTrue(((Map<String, Object>) secret.get("stringData")).get("MONGO_URI").toString().contains("replicaSet="),
                "MongoDB as a replica set");
    }

    @Test
    void oneSourcePollerAndStaticallyNamedSinksWithHealthProbes() throws Exception {
        Map<String, Object> source = load("source.yaml").get(0);
        Map<String, Object> sink = load("sink.yaml").get(0);
        assertEquals("Deployment", source.get("kind"));
        assertEquals(1, spec(source).get("replicas"), "exactly one poller");
        assertEquals("Recreate", ((Map<String, Object>) spec(source).get("strategy")).get("type"), "never two pollers");
        assertEquals("true", env(source).get("SOURCE_ENABLED"));

        assertEquals("StatefulSet", sink.get("kind"));
        assertEquals("false", env(sink).get("SOURCE_ENABLED"));
        assertEquals(Map.of("fieldRef", Map.of("fieldPath", "metadata.name")), env(sink).get("KAFKA_GROUP_INSTANCE_ID"),
                "static membership by pod name");
        assertTrue((Integer) spec(sink).get("replicas") <= 6, "no more sinks than partitions");

        for (Map<String, Object> workload : List.of(source, sink)) {
            Map<String, Object> container = container(workload);
            assertEquals("/observe/health/live", probePath(container, "livenessProbe"));
            assertEquals("/observe/health/ready", probePath(container, "readinessProbe"));
            assertEquals(8080, ((List<Map<String, Object>>) container.get("ports")).get(0).get("containerPort"));
            int grace = (Integer) ((Map<String, Object>) ((Map<String, Object>) spec(workload).get("template")).get("spec"))
                    .get("terminationGracePeriodSeconds");
            assertTrue(grace > 30, "longer than camel-main's 30 s graceful shutdown");
        }
    }

    @Test
    void topicsAreReplicatedAndTheStateTopicIsCompacted() throws Exception {
        List<Map<String, Object>> topics = load("kafka-topics.yaml");
        assertEquals(3, topics.size());
        for (Map<String, Object> topic : topics) {
            assertEquals(3, spec(topic).get("replicas"));
            assertEquals(2, ((Map<String, Object>) spec(topic).get("config")).get("min.insync.replicas"));
        }
        assertEquals(6, spec(topics.get(0)).get("partitions"));
        assertEquals("compact", ((Map<String, Object>) spec(topics.get(2)).get("config")).get("cleanup.policy"));
    }

    private static Set<String> settings() throws Exception {
        Matcher env = Pattern.compile("\\{\\{env:([A-Z0-9_]+)").matcher(Files.readString(Path.of("application.properties")));
        Set<String> names = new java.util.HashSet<>();
        while (env.find()) {
            names.add(env.group(1));
        }
        return names;
    }

    private static List<Map<String, Object>> load(String file) throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(Path.of("k8s", file)))
                .forEach(d -> documents.add((Map<String, Object>) d));
        return documents;
    }

    private static Map<String, Object> spec(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("spec");
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec(workload).get("template")).get("spec");
        return ((List<Map<String, Object>>) pod.get("containers")).get(0);
    }

    private static Map<String, Object> env(Map<String, Object> workload) {
        Map<String, Object> values = new java.util.HashMap<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) container(workload).get("env")) {
            values.put((String) entry.get("name"), entry.containsKey("value") ? entry.get("value") : entry.get("valueFrom"));
        }
        return values;
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet")).get("path");
    }
}
