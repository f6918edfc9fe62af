package dev.kafkalearn.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.bson.Document;

/**
 * MongoDB paused while the records arrive: the pipeline's sink runs against a MongoDB-wire server in a JVM of its own;
 * once the sink has its partition, that JVM is frozen (SIGSTOP: its socket stays open and nothing answers, as a hung
 * database), N records are produced, it stays frozen pauseSeconds in all, then it resumes (SIGCONT). Measured: the
 * sink's used heap over time (sampled every 250 ms, against its -Xmx), and that every record is stored once it resumes.
 */
public final class Backpressure {

    /** What the scenario saw; heap in bytes; series: {ms since the pause, used heap} every ~sample. */
    public record Outcome(int records, int pauseSeconds, long stored, double resumeSeconds, long usedPeakPaused,
                   long usedPeak, long livePeak, long heapMax, List<long[]> series, String failure) {
        boolean ok() {
            return failure == null && stored == records;
        }
    }

    private final Benchmark bench;

    Backpressure(Benchmark bench) {
        this.bench = bench;
    }

    Outcome run() {
        Benchmark.log("=== backpressure: MongoDB frozen (SIGSTOP) while %,d records arrive", bench.settings.records());
        int n = bench.settings.records();
        int pause = bench.settings.pauseSeconds();
        int port = TestInfrastructure.freePort();
        String uri = "mongodb://127.0.0.1:" + port;
        String topic = "bench-backpressure-" + bench.run;
        ChildJvm mongo = null;
        ChildJvm sink = null;
        try {
            mongo = ChildJvm.start(bench.settings.workDir(), "backpressure-mongo", List.of("-Xmx1g"),
                    Benchmark.testClasspath(), MongoServerMain.class.getName(), List.of(String.valueOf(port)), Map.of());
            bench.track(mongo);
            bench.createTopics(topic);
            Map<String, String> env = new HashMap<>();
            env.put("ROUTES", "file:routes/pipeline/kafka-to-mongodb.camel.yaml");
            env.put("KAFKA_TOPIC", topic);
            env.put("KAFKA_GROUP_ID", topic);
            env.put("MONGO_URI", uri);
            env.put("MONGO_DATABASE", "backpressure");
            env.put("MONGO_COLLECTION", "users");
            sink = bench.pipeline("backpressure-sink", env);
            awaitMember(topic, sink);
            mongo.signal("STOP");
            long pausedAt = System.nanoTime();
            long pausedAtMs = sinkMillis(sink);
            Benchmark.log("backpressure: MongoDB frozen; sending %,d records", n);
            bench.fill(topic, bench.usersValues());
            long left = pausedAt + TimeUnit.SECONDS.toNanos(pause) - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
            }
            long resumedAtMs = sinkMillis(sink);
            mongo.signal("CONT");
            long resumed = System.nanoTime();
            Benchmark.log("backpressure: MongoDB resumed after %d s; waiting for %,d documents", pause, n);
            try (MongoClient client = MongoClients.create(uri)) {
                MongoCollection<Document> users = client.getDatabase("backpressure").getCollection("users");
                bench.awaitCount(users, n, sink);
                double resumeSeconds = (System.nanoTime() - resumed) / 1e9;
                // anything more would be a duplicate: let a late batch land first
                Thread.sleep(1000);
                long stored = users.countDocuments();
                sink.stop();
                List<long[]> series = sink.heapSeries().stream().filter(s -> s[0] >= pausedAtMs)
                        .map(s -> new long[] {s[0] - pausedAtMs, s[1]}).toList();
                long usedPeakPaused = sink.heapSeries().stream().filter(s -> s[0] >= pausedAtMs && s[0] <= resumedAtMs)
                        .mapToLong(s -> s[1]).max().orElse(-1);
                long[] heap = sink.heap();
                return new Outcome(n, pause, stored, resumeSeconds, usedPeakPaused, heap[0], heap[1], heap[2], series,
                        stored == n ? null : "stored " + stored + " of " + n);
            }
        } catch (Exception e) {
            Benchmark.log("backpressure: FAILED %s", e);
            return new Outcome(n, pause, -1, Double.NaN, -1, -1, -1, -1, List.of(),
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (mongo != null) {
                try {
                    mongo.signal("CONT");
                } catch (Exception e) {
                    // already gone
                }
                mongo.stop();
            }
            if (sink != null) {
                sink.stop();
            }
            bench.deleteTopics(topic);
        }
    }

    /** The sink's clock, as its heap series counts it: the last sample's time. */
    private static long sinkMillis(ChildJvm sink) {
        List<long[]> series = sink.heapSeries();
        return series.isEmpty() ? 0 : series.get(series.size() - 1)[0];
    }

    /** Waits until the sink's consumer group is stable with a member (it has the partition and polls). */
    private void awaitMember(String group, ChildJvm sink) throws Exception {
        long deadline = System.nanoTime() + bench.settings.phaseTimeout().toNanos();
        try (Admin admin = bench.admin()) {
            while (true) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get()
                        .get(group);
                if (description.state() == ConsumerGroupState.STABLE && !description.members().isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sink never joined its group; see " + sink.log());
                }
                sink.checkAlive();
                Thread.sleep(50);
            }
        }
    }
}
