package dev.kafkalearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kafkalearn.bench.Benchmark;
import dev.kafkalearn.bench.MongoServers;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark (bench/run.sh) still runs: every row, on 200 records (after its warm-up of 3 × 200) and one round, on
 * the test broker and a MongoDB-wire server of its own in this JVM (one that stamps the latency rows' writes, {@link
 * dev.kafkalearn.bench.StoredAt}), measures a positive value, the backpressure scenario stores every record,
 * and the results file and the SVG chart are written with every row. Speed itself is never asserted here (the separate
 * JVMs run with the quick-start JIT only, for a shorter test). The time limit leaves room for a fresh clone's first
 * download of Kafka Connect.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(900)
    void everyRowMeasuresAndTheFilesAreWritten() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        Path work = Path.of("target/bench-smoke");
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("result.md"));
        Files.deleteIfExists(work.resolve("result.svg"));
        // N = 200, each row warmed on 3 passes of N (the benchmark's default), 50 latency records at 500/s after one
        // pass of 50 at that rate, 1 round
        Benchmark.Settings settings = new Benchmark.Settings(200, 3, 50, 500, 1, 150, 4, 50, 1, false, true, work,
                work.resolve("result.md"), false, 2, Duration.ofSeconds(120),
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Benchmark.Result result;
        try (MongoServers mongo = MongoServers.inProcess()) {
            result = new Benchmark(settings, infra.kafka.bootstrapServers(), mongo, infra.source).run();
        }

        List<String> ids = result.rows().stream().map(Benchmark.Row::id).toList();
        assertEquals(List.of("pipeline-source", "raw-producer", "raw-read", "raw-insertMany", "raw-upserts",
                "pipeline-sink", "tutorial", "connector", "connector-defaults", "latency-pipeline", "latency-connector",
                "start-jar", "start-one-jvm", "start-command", "start-kafka-topics"), ids);
        for (Benchmark.Row row : result.rows()) {
            assertNull(row.failure(), row.id() + "\n" + result.report());
            assertTrue(row.median() > 0 && row.values().size() == 1, row.id() + ": " + row.note() + "\n" + result.report());
        }
        assertEquals(200, result.backpressure().stored(), result.report());
        assertTrue(result.backpressure().usedPeak() > 0, result.report());

        String markdown = Files.readString(result.resultFile());
        String svg = Files.readString(result.chart());
        assertEquals(work.resolve("result.svg"), result.chart());
        for (Benchmark.Row row : result.rows()) {
            assertTrue(markdown.contains("| " + row.name() + " |"), row.name() + " missing from\n" + markdown);
            if (row.unit() == Benchmark.Unit.RATE) {
                assertTrue(svg.contains(">" + row.name().replace("&", "&amp;") + "<"), row.name() + " missing from\n" + svg);
            }
        }
        assertTrue(svg.startsWith("<svg") && svg.contains("<rect x="), svg);
        assertTrue(markdown.contains("### Backpressure") && markdown.contains("200 of 200 documents stored"), markdown);
    }
}
