package dev.kafkalearn;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static dev.kafkalearn.support.ManagementEndpoint.sample;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ops/grafana/kafka-learn.json asks only for metrics the pipeline really exports: every metric its queries (and its
 * instance variable) name is in a real scrape of the running pipeline, after the 10 users and one poison record went
 * through. Importable as is: Prometheus as an input of the import, every panel on it.
 */
class GrafanaDashboardTest extends PipelineTestSupport {

    private static final int HTTP_PORT = TestInfrastructure.freePort();
    /** A metric selector in PromQL: a name followed by its label matchers (the dashboard writes every selector so). */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");

    /** The instance variable's query: label_values(metric, label). */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private final ManagementEndpoint endpoint = new ManagementEndpoint(HTTP_PORT);

    @Override
    protected Map<String, String> addresses() {
        return Map.of("management.enabled", "true", "management.host", "127.0.0.1",
                "management.port", String.valueOf(HTTP_PORT), "metrics.kafka-client-refresh-seconds", "1");
    }

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("ops/grafana/kafka-learn.json").toFile());
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertEquals("${DS_PROMETHEUS}", panel.at("/datasource/uid").asText(), panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                metrics.addAll(names(target.get("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            Matcher labelValues = LABEL_VALUES.matcher(variable.at("/query/query").asText());
            assertTrue(labelValues.find(), variable.toString());
            metrics.add(labelValues.group(1));
        }
        assertEquals("DS_PROMETHEUS", dashboard.at("/__inputs/0/name").asText(), "the import asks for the Prometheus");
        assertTrue(metrics.containsAll(List.of("kafkalearn_records_fetched_total", "kafkalearn_records_sent_total",
                "kafkalearn_records_stored_total", "kafkalearn_records_dead_lettered_total",
                "kafka_consumer_fetch_manager_records_lag", "kafkalearn_mongo_write_latency_seconds_bucket",
                "kafkalearn_end_to_end_latency_seconds_bucket")), "rates, lag, write and end-to-end latency: " + metrics);

        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        produce(topic, List.of("not json"));
        String[] scrape = new String[1];
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            scrape[0] = endpoint.scrape();
            return sample(scrape[0], "kafkalearn_records_dead_lettered_total") == 1
                   && scrape[0].contains("kafka_consumer_fetch_manager_records_lag{");
        });
        for (String metric : metrics) {
            assertTrue(scrape[0].lines().anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " ")),
                    metric + " is not in the scrape");
        }
    }

    private static Set<String> names(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SELECTOR.matcher(promql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
