package dev.kafkalearn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.GrafanaDashboard;
import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static dev.kafkalearn.support.ManagementEndpoint.sample;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus endpoint after the 10 users and one poison record went through: the pipeline's counters, the
 * consumer lag per partition, write batch size and latency, and the end-to-end latency histogram.
 * The scrape is kept in target/metrics-scrape.txt; every metric the Grafana dashboard queries must be in it.
 */
class MetricsTest extends PipelineTestSupport {

    private static final int HTTP_PORT = TestInfrastructure.freePort();

    private final ManagementEndpoint endpoint = new ManagementEndpoint(HTTP_PORT);

    @Override
    protected Map<String, String> addresses() {
        return Map.of("management.enabled", "true", "management.host", "127.0.0.1",
                "management.port", String.valueOf(HTTP_PORT), "metrics.kafka-client-refresh-seconds", "1");
    }

    @Test
    void prometheusEndpointCountsWhatWentThroughAndMeasuresLagAndLatency() throws Exception {
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);
        produce(topic, List.of("not json"));
        assertEquals(1, readTopic(dlqTopic, 1).size());

        String[] scrape = new String[1];
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            scrape[0] = endpoint.scrape();
            return sample(scrape[0], "kafkalearn_records_dead_lettered_total") == 1
                   && sample(scrape[0], "kafka_consumer_fetch_manager_records_lag", "topic=\"" + topic + "\"",
                    "partition=\"0\"") == 0;
        });
        String s = scrape[0];
        Files.writeString(Path.of("target", "metrics-scrape.txt"), s);

        assertEquals(10, sample(s, "kafkalearn_records_fetched_total"), s);
        assertEquals(10, sample(s, "kafkalearn_records_sent_total"));
        assertEquals(10, sample(s, "kafkalearn_records_stored_total"));
        assertEquals(1, sample(s, "kafkalearn_records_dead_lettered_total"));

        double writes = sample(s, "kafkalearn_mongo_write_batch_size_count");
        assertTrue(writes >= 1, "at least one bulk write");
        assertEquals(10, sample(s, "kafkalearn_mongo_write_batch_size_sum"), "10 documents written in all");
        assertEquals(writes, sample(s, "kafkalearn_mongo_write_batch_size_bucket", "le=\"+Inf\""));
        assertEquals(writes, sample(s, "kafkalearn_mongo_write_latency_seconds_count"));
        assertTrue(sample(s, "kafkalearn_mongo_write_latency_seconds_sum") > 0);

        assertEquals(10, sample(s, "kafkalearn_end_to_end_latency_seconds_count"), "one per stored record");
        assertEquals(10, sample(s, "kafkalearn_end_to_end_latency_seconds_bucket", "le=\"+Inf\""));
        assertEquals(10, sample(s, "kafkalearn_end_to_end_latency_seconds_bucket", "le=\"300.0\""), "all within 5 min");
        double e2eSum = sample(s, "kafkalearn_end_to_end_latency_seconds_sum");
        assertTrue(e2eSum > 0 && e2eSum < 10 * 30, "between 0 and 30 s per record, saw sum " + e2eSum);

        assertTrue(s.contains("# TYPE kafkalearn_records_stored_total counter"), "a Prometheus counter");
        assertTrue(s.contains("# HELP kafkalearn_records_dead_lettered_total Records sent to the dead-letter topic"));
        assertTrue(s.contains("# TYPE kafkalearn_end_to_end_latency_seconds histogram"), "a Prometheus histogram");
        // the Grafana dashboard (ops/grafana/kafka-learn.json) asks only for metrics that are really there
        GrafanaDashboard.assertEveryMetricIn(s);
    }
}
