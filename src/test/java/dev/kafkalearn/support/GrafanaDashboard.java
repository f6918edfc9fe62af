package dev.kafkalearn.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ops/grafana/kafka-learn.json, read as Grafana imports it: the metric names its queries (and its instance variable)
 * ask for, so a test can hold them against a real scrape (MetricsTest).
 */
public final class GrafanaDashboard {

    /** A metric selector in PromQL: a name followed by its label matchers (the dashboard writes every selector so). */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    /** The instance variable's query: label_values(metric, label). */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private GrafanaDashboard() {
    }

    /** Every metric the dashboard names; checks on the way that it is importable as is (Prometheus as its input). */
    public static Set<String> metrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("ops/grafana/kafka-learn.json").toFile());
        assertEquals("DS_PROMETHEUS", dashboard.at("/__inputs/0/name").asText(), "the import asks for the Prometheus");
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertEquals("${DS_PROMETHEUS}", panel.at("/datasource/uid").asText(), panel.get("title").asText());
            for (JsonNode target : panel.get("targets")) {
                Matcher selector = SELECTOR.matcher(target.get("expr").asText());
                while (selector.find()) {
                    metrics.add(selector.group(1));
                }
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            Matcher labelValues = LABEL_VALUES.matcher(variable.at("/query/query").asText());
            assertTrue(labelValues.find(), variable.toString());
            metrics.add(labelValues.group(1));
        }
        assertTrue(metrics.containsAll(List.of("kafkalearn_records_fetched_total", "kafkalearn_records_sent_total",
                "kafkalearn_records_stored_total", "kafkalearn_records_dead_lettered_total",
                "kafka_consumer_fetch_manager_records_lag", "kafkalearn_mongo_write_latency_seconds_bucket",
                "kafkalearn_end_to_end_latency_seconds_bucket")), "rates, lag, write and end-to-end latency: " + metrics);
        return metrics;
    }

    /** Fails naming the first metric of the dashboard that the scrape lacks. */
    public static void assertEveryMetricIn(String scrape) throws Exception {
        for (String metric : metrics()) {
            assertTrue(scrape.lines().anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " ")),
                    "the dashboard's " + metric + " is not in the scrape");
        }
    }
}
