package dev.kafkalearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kafkalearn.bench.Benchmark;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark (bench/run.sh) still runs: every approach, on 200 records, on the test broker and MongoDB-wire server,
 * gives a positive rate, and the report has every row. Speed itself is never asserted here (the separate JVMs run
 * with the quick-start JIT only, for a shorter test).
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(180)
    void everyApproachMeasuresAPositiveRate() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Path work = Path.of("target/bench-smoke");
        Files.createDirectories(work);
        Benchmark.Settings settings = new Benchmark.Settings(200, 50, 500, true, work, work.resolve("result.md"),
                Duration.ofSeconds(60), List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Benchmark.Result result = new Benchmark(settings, infra.kafka.bootstrapServers(), infra.mongo.uri(),
                infra.source).run();

        List<String> ids = result.rows().stream().map(Benchmark.Row::id).toList();
        assertEquals(List.of("pipeline-source", "raw-producer", "raw-read", "raw-insertMany", "raw-upserts", "pipeline-sink",
                "tutorial", "connector"), ids);
        for (Benchmark.Row row : result.rows()) {
            assertTrue(row.rate() > 0, row.id() + ": " + row.note() + "\n" + result.report());
        }
        for (String sink : List.of("pipeline-sink", "tutorial", "connector")) {
            assertTrue(result.row(sink).p99() >= result.row(sink).p50(), sink + " latency\n" + result.report());
            assertTrue(result.row(sink).heapPeak() > 0, sink + " heap\n" + result.report());
        }
        assertTrue(result.report().contains("| pipeline Kafka -> MongoDB"), result.report());
        assertTrue(Files.readString(work.resolve("result.md")).contains("## Targets"));
    }
}
