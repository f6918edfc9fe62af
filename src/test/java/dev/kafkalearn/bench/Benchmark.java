package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.infra.LocalSource;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/**
 * The benchmark: on one Kafka broker (and a fresh MongoDB-wire server for each row that writes to MongoDB), with the
 * same N user records for every row, it runs
 * a warm-up round (discarded) and then {@code rounds} measured rounds; each round runs every row once, the rows in a
 * rotating order (round r starts at row r), and each row is reported as the median of its rounds with min–max.
 * The rows (docs/benchmark.md says what each measures): the pipeline's HTTP -> Kafka route and the raw producer; the
 * pipeline's Kafka -> MongoDB route, the raw read, the driver's insertMany and bulk upserts, the tutorial's loop, the
 * MongoDB Kafka sink connector tuned for speed and with its defaults; record latency at a fixed 1 000 records/s for the
 * pipeline and the tuned connector; start time of the jar and of bin/kafka-learn against Kafka's kafka-topics. Then,
 * once, backpressure: MongoDB frozen (SIGSTOP) while N records arrive ({@link Backpressure}).
 * <p>
 * Writes the results file, an SVG chart beside it, and (full runs) the generated blocks of README.md and
 * docs/benchmark.md ({@link Report}). Run it with {@code bench/run.sh [N]}.
 */
public final class Benchmark {

    /**
     * What to run. records: N, the records every row is timed over. warmupPasses: P, every row's JVM is first warmed on
     * P × N records ({@link #warmupRecords()}; other users; the N users themselves for the HTTP -> Kafka rows), so that
     * it is measured JIT-compiled (at least 1); the HTTP -> Kafka rows go on with passes of N until one in which their
     * JIT compiler threads used less than sourceSettledMs of CPU, at most sourceWarmPasses in all (latencyWarmPasses and
     * latencySettledMs: the same rule for the latency rows' passes at the steady rate). warmup: a
     * warm-up round (every row once, discarded) before the measured rounds. publish: also write README.md's and
     * docs/benchmark.md's generated blocks.
     */
    public record Settings(int records, int warmupPasses, int latencyRecords, int latencyRate, int latencyWarmPasses,
                           int latencySettledMs, int sourceWarmPasses, int sourceSettledMs, int rounds,
                           boolean warmup, boolean connector, Path workDir, Path resultFile, boolean publish,
                           int pauseSeconds, Duration phaseTimeout, List<String> childJvmOptions) {

        public Settings {
            if (warmupPasses < 1) {
                throw new IllegalArgumentException("bench.warmup.passes must be at least 1, not " + warmupPasses);
            }
            // the records' ids run up to N + P·N
            if ((warmupPasses + 1L) * records > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("(bench.warmup.passes + 1) × N exceeds the ids an int holds: "
                        + warmupPasses + ", " + records);
            }
        }

        /**
         * -Dbench.records (N), -Dbench.warmup.passes (P, default 3: after a warm-up of N the JIT still compiled the
         * sink's hot methods in the measured seconds), -Dbench.rounds, ...; the one place that reads them.
         */
        public static Settings fromSystemProperties() {
            int records = Integer.getInteger("bench.records", 100_000);
            boolean all = System.getProperty("bench.only", "all").equals("all");
            return new Settings(records, Integer.getInteger("bench.warmup.passes", 3),
                    Integer.getInteger("bench.latency.records", Math.min(3000, Math.max(50, records / 10))),
                    Integer.getInteger("bench.latency.rate", 1000),
                    Integer.getInteger("bench.latency.warm.passes", 10),
                    Integer.getInteger("bench.latency.settled.ms", 150),
                    Integer.getInteger("bench.source.warm.passes", 10),
                    Integer.getInteger("bench.source.settled.ms", 100),
                    Integer.getInteger("bench.rounds", 3),
                    true,
                    Boolean.parseBoolean(System.getProperty("bench.connector", "true")),
                    Path.of(System.getProperty("bench.work", "target/bench")),
                    // some rows only (profiling, tuning): not a result for bench/results
                    Path.of(all ? System.getProperty("bench.results", "bench/results") : "target/bench"),
                    all && Boolean.parseBoolean(System.getProperty("bench.publish", "true")),
                    Integer.getInteger("bench.pause.s", 10),
                    Duration.ofSeconds(Long.getLong("bench.phase.timeout.s", 600)), List.of());
        }

        Settings withRecords(int n) {
            return new Settings(n, warmupPasses, Math.min(3000, Math.max(50, n / 10)), latencyRate, latencyWarmPasses,
                    latencySettledMs, sourceWarmPasses, sourceSettledMs, rounds, warmup,
                    connector, workDir, resultFile, publish, pauseSeconds, phaseTimeout, childJvmOptions);
        }

        /** P × N: the records each row's JVM is warmed on before it is timed over N. */
        public int warmupRecords() {
            return warmupPasses * records;
        }

        /** The warm-up as the logs and the report state it, e.g. "3 × 100,000 = 300,000". */
        public String warmupShown() {
            return String.format(Locale.ROOT, "%d × %,d = %,d", warmupPasses, records, warmupRecords());
        }
    }

    /** What a row's value is: a rate (higher is better), a p99 latency or a duration (lower is better). */
    public enum Unit {
        RATE("records/s"), LATENCY("ms (p99)"), SECONDS("s");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    /**
     * One round's measurement of one row: value in the row's unit (latency rows: the p99, with the p50, the slowest
     * record's latency, longest, and the CPU the sink JVM's JIT compiler threads used in the measured seconds,
     * compilerMs, after warmPasses passes at the steady rate); latencies in ms; heap in bytes (-1 = n/a).
     */
    record Sample(double value, double p50, double longest, long heapPeak, long heapLive, long heapMax, String note,
                  double compilerMs, double warmPasses) {
        Sample(double value, double p50, double longest, long heapPeak, long heapLive, long heapMax, String note) {
            this(value, p50, longest, heapPeak, heapLive, heapMax, note, Double.NaN, Double.NaN);
        }

        static Sample of(double value, String note) {
            return new Sample(value, Double.NaN, Double.NaN, -1, -1, -1, note);
        }

        /** The same measurement, timed after warmPasses passes, with compilerMs of JIT compiling in its window. */
        Sample warmedUp(double compilerMs, int warmPasses) {
            return new Sample(value, p50, longest, heapPeak, heapLive, heapMax, note, compilerMs, warmPasses);
        }
    }

    /**
     * One row over every measured round: median, min and max of its values (rounds in the order they ran), the median
     * p50 and each round's slowest record (latency rows), the largest heap seen, and the first failure if a round failed
     * (then its value is NaN).
     */
    public record Row(String id, String name, Unit unit, List<Double> values, double warmup, double median,
                      double min, double max, double p50, List<Double> longest, List<Double> compilerMs, List<Double> warmPasses,
                      long heapPeak, long heapLive, long heapMax, String note,
                      String failure) {
        public boolean ok() {
            return failure == null && median > 0;
        }
    }

    /** Every row, the backpressure scenario, the report and the files written. */
    public record Result(List<Row> rows, Backpressure.Outcome backpressure, String report, Path resultFile, Path chart) {
        public Row row(String id) {
            return rows.stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
        }
    }

    static final String PIPELINE_SOURCE = "pipeline-source";
    static final String RAW_PRODUCER = "raw-producer";
    static final String RAW_READ = "raw-read";
    static final String RAW_INSERT = "raw-insertMany";
    static final String RAW_UPSERT = "raw-upserts";
    static final String PIPELINE_SINK = "pipeline-sink";
    static final String TUTORIAL = "tutorial";
    static final String CONNECTOR = "connector";
    static final String CONNECTOR_DEFAULTS = "connector-defaults";
    static final String LATENCY_PIPELINE = "latency-pipeline";
    static final String LATENCY_CONNECTOR = "latency-connector";
    static final String START_JAR = "start-jar";
    static final String START_ONE_JVM = "start-one-jvm";
    static final String START_COMMAND = "start-command";
    static final String START_KAFKA_TOPICS = "start-kafka-topics";

    static final String CHILD_HEAP = "-Xmx256m";
    /**
     * The raw MongoDB rows hold all N documents parsed before their timing starts: 0.55–0.7 GB live after GC for
     * N = 100 000 users as org.bson.Documents. In CHILD_HEAP they run out of memory; in 1 GB the GC works through the
     * timed pass, which the rows did not have in the harness's 3 GB.
     */
    static final String RAW_MONGO_HEAP = "-Xmx2g";
    /**
     * The latency rows' MongoDB-wire server collects its garbage concurrently (ZGC, pauses under a millisecond), as a
     * stand-in for a database that has no collector: with the JVM's default (G1), holding the 300,000 warm-up documents
     * made its young pauses 50-540 ms, one every 7-20 s at the steady rate, and each that fell in a measured window set
     * that round's p99 (a 253 ms pause of the server at 16:37:23.210 and a pipeline round's slowest record, 261 ms,
     * stored at 16:37:23.217; the same for a connector round). The throughput rows keep G1: over their seconds the
     * pauses average out, and their rates stay comparable with earlier runs.
     */
    static final List<String> LATENCY_MONGO_OPTIONS = List.of("-XX:+UseZGC");
    static final Path PROJECT = Path.of("").toAbsolutePath();

    private interface Phase {
        Sample run(int round) throws Exception;
    }

    /**
     * mongo: the row writes to MongoDB, so it gets a fresh server; the Kafka-only rows get none (starting one cost
     * 1-2 s and a just-started JVM's CPU beside the row's first seconds on 2 cores) and no URI.
     */
    private record Definition(String id, String name, Unit unit, boolean mongo, Phase phase) {
    }

    final Settings settings;
    final String kafka;
    private final MongoServers mongoServers;
    private final QuietDisk disk;
    /** The current row's MongoDB (a fresh server per MongoDB row, see {@link MongoServers}); null in a Kafka-only row. */
    String mongoUri;
    final LocalSource source;
    final String run = UUID.randomUUID().toString().substring(0, 6);
    final String database = "bench_" + run;
    final Map<String, String> appDefaults;
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();
    private Users users;
    /** The N users as the source serves them (one JSON array), kept for the source row's longer array. */
    private byte[] usersArray;
    private String input;

    public Benchmark(Settings settings, String kafka, MongoServers mongoServers, LocalSource source) throws IOException {
        this(settings, kafka, null, mongoServers, source);
    }

    /** brokerLogDir: the broker's log directory, whose deleted topics each row waits for ({@link QuietDisk}). */
    public Benchmark(Settings settings, String kafka, Path brokerLogDir, MongoServers mongoServers, LocalSource source)
            throws IOException {
        this.settings = settings;
        this.kafka = kafka;
        this.disk = new QuietDisk(brokerLogDir);
        this.mongoServers = mongoServers;
        this.source = source;
        this.appDefaults = applicationDefaults();
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        if (args.length > 0) {
            settings = settings.withRecords(Integer.parseInt(args[0].replace("_", "")));
        }
        Files.createDirectories(settings.workDir());
        Path kafkaDir = Files.createTempDirectory(settings.workDir().toAbsolutePath(), "kafka-");
        System.out.printf("Benchmark: N=%,d records, each row warmed on %s others; 1 warm-up + %d rounds; starting a "
                + "KRaft broker on loopback (and a MongoDB-wire server for each row that writes to MongoDB)%n",
                settings.records(), settings.warmupShown(), settings.rounds());
        // -Dbench.profile=true: this JVM (broker, source) is recorded too, target/bench/harness.jfr
        jdk.jfr.Recording recording = null;
        if (Boolean.getBoolean("bench.profile")) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setDestination(settings.workDir().toAbsolutePath().resolve("harness.jfr"));
            recording.start();
        }
        try (LocalSource source = LocalSource.start(0);
             // a deleted topic's files go within a second or two (Kafka's default: 60 s later), so within the row
             // that deleted it, not in a later one (QuietDisk waits for them)
             LocalKafka broker = LocalKafka.start(kafkaDir, TestInfrastructure.freePort(), TestInfrastructure.freePort(),
                     Map.of("log.segment.delete.delay.ms", "1000"));
             MongoServers mongo = MongoServers.perRow(settings.workDir())) {
            Result result = new Benchmark(settings, broker.bootstrapServers(), kafkaDir, mongo, source).run();
            System.out.println();
            System.out.println(result.report());
        }
        if (recording != null) {
            recording.stop();
            recording.close();
        }
        System.exit(0);
    }

    private List<Definition> definitions() {
        List<Definition> all = new ArrayList<>(List.of(
                new Definition(PIPELINE_SOURCE, "pipeline HTTP → Kafka", Unit.RATE, false, this::pipelineSource),
                new Definition(RAW_PRODUCER, "raw KafkaProducer, same settings", Unit.RATE, false, this::rawProducer),
                new Definition(RAW_READ, "raw KafkaConsumer read", Unit.RATE, false, round -> rawRead()),
                new Definition(RAW_INSERT, "raw insertMany", Unit.RATE, true, this::rawInsertMany),
                new Definition(RAW_UPSERT, "raw bulk upserts by _id", Unit.RATE, true, this::rawUpserts),
                new Definition(PIPELINE_SINK, "pipeline Kafka → MongoDB", Unit.RATE, true, this::pipelineSink),
                new Definition(TUTORIAL, "tutorial loop (insertOne each)", Unit.RATE, true, this::tutorial)));
        if (settings.connector()) {
            all.add(new Definition(CONNECTOR, "sink connector, tuned", Unit.RATE, true, round -> connector(round, true)));
            all.add(new Definition(CONNECTOR_DEFAULTS, "sink connector, defaults", Unit.RATE, true,
                    round -> connector(round, false)));
        }
        all.add(new Definition(LATENCY_PIPELINE, "pipeline sink at " + settings.latencyRate() + " records/s",
                Unit.LATENCY, true, round -> latency(round, "latency_pipeline", (t, c) -> pipelineSinkJvm(round, t, c))));
        if (settings.connector()) {
            all.add(new Definition(LATENCY_CONNECTOR, "tuned connector at " + settings.latencyRate() + " records/s",
                    Unit.LATENCY, true, round -> latency(round, "latency_connector", (t, c) -> connectorJvm(round, t, true, c))));
        }
        StartTime start = new StartTime(this);
        // the jar starts the whole pipeline (its sink stores the 10 users): as it does by default, a second JVM mapping
        // the class archive the first run after the build recorded, and in the one JVM java started
        all.add(new Definition(START_JAR, "java -jar → 10 users stored", Unit.SECONDS, true, start::jarToTenUsers));
        all.add(new Definition(START_ONE_JVM, "java -jar, JAR_CLASS_ARCHIVE=false → 10 users stored", Unit.SECONDS, true,
                start::oneJvmToTenUsers));
        all.add(new Definition(START_COMMAND, "bin/kafka-learn topics --list", Unit.SECONDS, false,
                start::commandTopicsList));
        all.add(new Definition(START_KAFKA_TOPICS, "Kafka's kafka-topics --list", Unit.SECONDS, false,
                start::kafkaTopicsList));
        return all.stream().filter(d -> selected(d.id)).toList();
    }

    /** Every round, then backpressure; a failed measurement is recorded with its reason and the run goes on. */
    public Result run() throws Exception {
        Files.createDirectories(settings.workDir());
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        int n = settings.records();
        users = Users.generate(n);
        byte[] array = users.array();
        usersArray = array;
        source.serveJson("/bench-users-" + run, array);
        input = "bench-input-" + run;
        createTopics(input);
        // each sink's JVM first stores P × N warm-up records (ids N+1..N+P·N), then is timed on the N users: a sink
        // runs for long, so it is measured at its steady state, JIT-compiled, as the raw clients are after their own
        // warm-up passes (RawClients); after a warm-up of only N, C2 still took ~45 % of a core in the measured seconds
        fillUsers(input, n + 1, settings.warmupRecords());
        fill(input, users.values);
        log("source: %,d users, %,d bytes of JSON at %s; topic %s holds %s warm-up records (ids %,d..%,d), then the "
                + "same %,d for the sinks", n, array.length, source.url("/bench-users-" + run), input,
                settings.warmupShown(), n + 1, n + settings.warmupRecords(), n);

        List<Definition> definitions = definitions();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Map<String, Sample> warmups = new HashMap<>();
        int total = settings.rounds() + (settings.warmup() ? 1 : 0);
        for (int round = 0; round < total; round++) {
            boolean warmup = settings.warmup() && round == 0;
            List<Definition> order = new ArrayList<>(definitions);
            Collections.rotate(order, -round);
            log("=== round %d of %d%s: %s", round + 1, total, warmup ? " (warm-up, discarded)" : "",
                    String.join(", ", order.stream().map(Definition::id).toList()));
            for (Definition definition : order) {
                Sample sample = measure(definition, round);
                if (warmup) {
                    warmups.put(definition.id, sample);
                } else {
                    samples.computeIfAbsent(definition.id, k -> new ArrayList<>()).add(sample);
                }
            }
        }
        List<Row> rows = definitions.stream().map(d -> aggregate(d, samples.getOrDefault(d.id, List.of()),
                warmups.get(d.id))).toList();
        Backpressure.Outcome backpressure = selected("backpressure") ? new Backpressure(this).run() : null;
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Report report = new Report(this, rows, backpressure, array.length, loadBefore, loadAverage(), took);
        return report.write();
    }

    private Sample measure(Definition definition, int round) {
        log("--- %s (%s)", definition.name, definition.id);
        try {
            disk.settle(definition.id);
            if (definition.mongo) {
                long starting = System.nanoTime();
                mongoUri = mongoServers.fresh(definition.unit == Unit.LATENCY ? LATENCY_MONGO_OPTIONS : List.of());
                log("%s: MongoDB-wire server %s, ready in %.1f s", definition.id, mongoUri,
                        (System.nanoTime() - starting) / 1e9);
            } else {
                // no server idles (or still starts) beside a Kafka-only row, and no URI of a stopped one is handed on
                mongoServers.release();
                mongoUri = null;
                log("%s: Kafka only, no MongoDB-wire server", definition.id);
            }
            Sample sample = definition.phase.run(round);
            log("%s: %s", definition.id, format(definition.unit, sample.value()));
            return sample;
        } catch (Exception e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            log("%s: FAILED %s", definition.id, why);
            return new Sample(Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, "FAILED " + why);
        } finally {
            children.forEach(ChildJvm::stop);
            children.clear();
        }
    }

    static String format(Unit unit, double value) {
        return switch (unit) {
            case RATE -> String.format(Locale.ROOT, "%,.0f records/s", value);
            case LATENCY -> String.format(Locale.ROOT, "p99 %.1f ms", value);
            case SECONDS -> String.format(Locale.ROOT, "%.2f s", value);
        };
    }

    private static Row aggregate(Definition definition, List<Sample> samples, Sample warmup) {
        List<Double> values = samples.stream().map(Sample::value).toList();
        String failure = samples.stream().map(Sample::note).filter(n -> n != null && n.startsWith("FAILED"))
                .findFirst().orElse(samples.isEmpty() ? "not measured" : null);
        String note = samples.stream().map(Sample::note).filter(n -> n != null && !n.startsWith("FAILED"))
                .findFirst().orElse("");
        return new Row(definition.id, definition.name, definition.unit, values,
                warmup == null ? Double.NaN : warmup.value(), median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                median(samples.stream().map(Sample::p50).toList()), samples.stream().map(Sample::longest).toList(),
                samples.stream().map(Sample::compilerMs).toList(),
                samples.stream().map(Sample::warmPasses).toList(),
                samples.stream().mapToLong(Sample::heapPeak).max().orElse(-1),
                samples.stream().mapToLong(Sample::heapLive).max().orElse(-1),
                samples.stream().mapToLong(Sample::heapMax).max().orElse(-1), note, failure);
    }

    /** The median; NaN (a failed round) counts as NaN, so a row with a failed round shows it. */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> Double.isNaN(v))) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** -Dbench.only=id,id (e.g. pipeline-source,raw-producer): run only these rows; for profiling one of them. */
    static boolean selected(String id) {
        String only = System.getProperty("bench.only", "all");
        return only.equals("all") || Arrays.asList(only.split(",")).contains(id);
    }

    // --- HTTP -> Kafka ---------------------------------------------------------------------------------------------

    private Sample pipelineSource(int round) throws Exception {
        String topic = "bench-source-" + run + "-" + round;
        createTimedTopic(topic);
        Map<String, String> env = new HashMap<>();
        env.put("ROUTES", "file:routes/pipeline/source-to-kafka.camel.yaml");
        env.put("SOURCE_URL", source.url("/bench-users-" + run));
        env.put("SOURCE_PACING_MS", "0");
        // a pass is one poll of the N users, the next a second after (every element sent each time, as at a first
        // start: no change detection)
        env.put("SOURCE_POLL_INTERVAL_MS", "1000");
        env.put("SOURCE_CHANGE_DETECTION", "off");
        env.put("KAFKA_TOPIC", topic);
        ChildJvm child = pipeline("pipeline-source", env);
        int n = settings.records();
        // warmed on passes over the N users until its JIT has settled (a fresh JVM otherwise spends the short timed
        // window compiling: after 3 passes its compiler threads still used 400-600 ms of CPU in the ~0.6 s timed
        // one, most of a core of the machine's 2), then timed on the next pass; the raw producer, in its own JVM
        // too, is warmed by the same rule (RawClients)
        int passes;
        double compiling;
        try (KafkaConsumer<String, String> offsets = new KafkaConsumer<>(consumerProperties())) {
            CompilerCpu.Warmed warmed = CompilerCpu.untilSettled(child.pid(), settings.warmupPasses(),
                    settings.sourceWarmPasses(), settings.sourceSettledMs(),
                    pass -> awaitEndOffset(offsets, topic, (pass + 1L) * n, child));
            passes = warmed.passes();
            log("pipeline-source: compiler CPU per warm-up pass, ms: %s", warmed.passMs());
            awaitEndOffset(offsets, topic, ((long) passes + TIMED_PASSES) * n, child);
            compiling = CompilerCpu.millis(child.pid()) - warmed.readingMs();
        }
        child.stop();
        double rate = timedPassesRate(topic, passes, n, "pipeline-source");
        log("pipeline-source: timed after %d warm-up passes; its compiler threads used %.0f ms of CPU meanwhile",
                passes, compiling);
        deleteTopics(topic, topic + ".source-state");
        Sample sample = withHeap(rate, "polls of the N users, one a second: " + sourceWarmup() + ", then the next "
                + TIMED_PASSES + " polls timed; " + BROKER_TIMED, child);
        return sample.warmedUp(compiling, passes);
    }

    /** The HTTP -> Kafka rows' warm-up, as the report states it. */
    private String sourceWarmup() {
        return String.format(Locale.ROOT, "at least P = %d passes of the N users, then more until one in which the "
                + "JIT compiler threads used less than %d ms of CPU, at most %d", settings.warmupPasses(),
                settings.sourceSettledMs(), settings.sourceWarmPasses());
    }

    /**
     * How both HTTP -> Kafka rows are timed: by the broker's clock, the same way for both, over the passes that follow
     * the warm-up, each pass's rate on its own, and the median of them is the round's. A pass of 100 000 records takes
     * about 0.3 s, and a single one swung 2x within one run (the raw producer's rounds 280k to 535k records/s in a
     * 5-round run), more than the rows differ; the same rows' other passes are a second away.
     */
    static final int TIMED_PASSES = 3;
    private static final String BROKER_TIMED = "each pass's rate from its first user's record to its last, by the "
            + "times the broker appended them (LogAppendTime), the round's the median of the " + TIMED_PASSES;

    /** The median rate of the TIMED_PASSES passes of n records after the warm-up's passes, by the broker's clock. */
    private double timedPassesRate(String topic, int passes, int n, String row) {
        double[] rates = new double[TIMED_PASSES];
        for (int k = 0; k < TIMED_PASSES; k++) {
            rates[k] = brokerTimedRate(topic, (long) (passes + k) * n, n, row + " pass " + (k + 1));
        }
        Arrays.sort(rates);
        log("%s: %,.0f records/s, the median of its %d timed passes", row, rates[TIMED_PASSES / 2], TIMED_PASSES);
        return rates[TIMED_PASSES / 2];
    }

    /** A topic whose records carry the time the broker appended them (the source rows are timed by it). */
    private void createTimedTopic(String topic) throws Exception {
        createTopics(Map.of("message.timestamp.type", "LogAppendTime"), topic);
    }

    /**
     * N records over the broker's append times of the first and the last of them (offsets from..from+N-1): one clock
     * and one definition for the pipeline and the raw producer.
     */
    private double brokerTimedRate(String topic, long from, int n, String row) {
        long first = timestampAt(topic, from);
        long last = timestampAt(topic, from + n - 1);
        double rate = (n - 1) * 1000.0 / Math.max(1, last - first);
        log("%s: %,.0f records/s by the broker's append times", row, rate);
        return rate;
    }

    private Sample rawProducer(int round) throws Exception {
        String topic = "bench-raw-" + run + "-" + round;
        createTimedTopic(topic);
        Properties props = producerProperties();
        try {
            List<String> args = List.of("producer", String.valueOf(settings.sourceWarmPasses()),
                    String.valueOf(settings.sourceSettledMs()), String.valueOf(TIMED_PASSES), topic);
            ChildJvm child = rawClientRun("raw-producer", CHILD_HEAP, withConfig(args, props));
            double[] warmedUp = RawClients.warmedUp(child.log());
            int passes = (int) warmedUp[0];
            log("raw-producer: timed after %d warm-up passes; its compiler threads used %.0f ms of CPU meanwhile "
                    + "(%,.0f records/s by its own clock)", passes, warmedUp[1], RawClients.rate(child.log()));
            double rate = timedPassesRate(topic, passes, settings.records(), "raw-producer");
            return withHeap(rate, String.format("acks=all, idempotence, linger.ms=%s, batch.size=%s, compression=%s",
                    props.get(ProducerConfig.LINGER_MS_CONFIG), props.get(ProducerConfig.BATCH_SIZE_CONFIG),
                    props.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)) + "; own JVM, a pass of the N users a second "
                    + "at most: " + sourceWarmup() + ", then the next " + TIMED_PASSES + " passes timed; " + BROKER_TIMED, child)
                    .warmedUp(warmedUp[1], passes);
        } finally {
            deleteTopics(topic);
        }
    }

    /** Fills a topic with these records, untimed (the sinks' input, the backpressure's arrival), keyed 1, 2, ... */
    void fill(String topic, List<String> values) throws Exception {
        AtomicReference<Exception> error = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            RawClients.send(producer, topic, 1, values, error);
            producer.flush();
        }
        if (error.get() != null) {
            throw error.get();
        }
    }

    /**
     * Fills a topic with count users with ids first..first+count-1, keyed by id, untimed (the warm-up records):
     * generated and sent N at a time, so the harness never holds more than N of them.
     */
    void fillUsers(String topic, int first, int count) throws Exception {
        AtomicReference<Exception> error = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            for (int from = 0; from < count && error.get() == null; from += settings.records()) {
                int id = first + from;
                RawClients.send(producer, topic, id, Users.generate(id, Math.min(settings.records(), count - from))
                        .values, error);
            }
            producer.flush();
        }
        if (error.get() != null) {
            throw error.get();
        }
    }

    /** The producer settings the pipeline's routes get from application.properties (and the environment). */
    Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, appDefaults.getOrDefault("kafka.linger-ms", "0"));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, appDefaults.getOrDefault("kafka.batch-size", "16384"));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, appDefaults.getOrDefault("kafka.compression", "none"));
        return props;
    }

    // --- Kafka -> MongoDB ------------------------------------------------------------------------------------------

    private Sample rawRead() throws Exception {
        return rawClient("raw-read", CHILD_HEAP, withConfig(List.of("read", input), consumerProperties()),
                "max.poll.records=500 (default), String values");
    }

    private Sample rawInsertMany(int round) throws Exception {
        return rawClient("raw-insertMany", RAW_MONGO_HEAP, List.of("insertMany", mongoUri, database,
                "insertmany_" + round, String.valueOf(batchSize())),
                "pre-parsed documents, unordered, " + batchSize() + " per call");
    }

    /** The writes the pipeline and the connector make (replace-or-insert by _id, unordered), with nothing else. */
    private Sample rawUpserts(int round) throws Exception {
        return rawClient("raw-upserts", RAW_MONGO_HEAP, List.of("upserts", mongoUri, database,
                "upserts_" + round, String.valueOf(batchSize())),
                "pre-parsed documents, ReplaceOne upsert by _id, unordered, " + batchSize() + " per call");
    }

    /**
     * A raw client in a fresh JVM of its own ({@link RawClients}), as every other peer runs: it makes P warm-up passes
     * over N records each (other users, or the N users themselves for the producer), then times the N users itself and
     * prints the result. Its arguments: mode, N, P, then
     * args' rest.
     */
    private Sample rawClient(String name, String heap, List<String> args, String note) throws Exception {
        ChildJvm child = rawClientRun(name, heap, args);
        return withHeap(RawClients.rate(child.log()), note + "; own JVM, timed over the N users after a warm-up of "
                + settings.warmupShown() + " other records", child);
    }

    /** A raw client's JVM (RawClients) run to its end. */
    private ChildJvm rawClientRun(String name, String heap, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args.get(0), String.valueOf(settings.records()),
                String.valueOf(settings.warmupPasses())));
        all.addAll(args.subList(1, args.size()));
        ChildJvm child = track(ChildJvm.start(settings.workDir(), name, profiled(name, childOptions(heap)),
                testClasspath(), RawClients.class.getName(), all, Map.of()));
        int exit = child.waitFor(settings.phaseTimeout().toSeconds());
        if (exit != 0) {
            throw new IllegalStateException("exit code " + exit + "; see " + child.log());
        }
        return child;
    }

    /** The arguments followed by the client's settings as key=value. */
    private static List<String> withConfig(List<String> args, Properties config) {
        List<String> all = new ArrayList<>(args);
        config.forEach((k, v) -> all.add(k + "=" + v));
        return all;
    }

    List<String> usersValues() {
        return users.values;
    }

    int batchSize() {
        return Integer.parseInt(appDefaults.getOrDefault("mongo.batch-size", "500"));
    }

    private Sample pipelineSink(int round) throws Exception {
        return sink("pipeline_" + round, () -> pipelineSinkJvm(round, input, "pipeline_" + round),
                "upsert by id, bulkWrite of MONGO_BATCH_SIZE=" + batchSize() + ", commit after write");
    }

    ChildJvm pipelineSinkJvm(int round, String topic, String collection) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("ROUTES", "file:routes/pipeline/kafka-to-mongodb.camel.yaml");
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", "bench-" + collection + "-" + run + "-" + round);
        env.put("MONGO_DATABASE", database);
        env.put("MONGO_COLLECTION", collection);
        return pipeline("pipeline-sink", env);
    }

    private Sample tutorial(int round) throws Exception {
        return sink("tutorial_" + round, () -> track(ChildJvm.start(settings.workDir(), "tutorial",
                childOptions(), testClasspath(), TutorialSink.class.getName(),
                List.of(kafka, input, "bench-tutorial-" + run + "-" + round, mongoUri, database, "tutorial_" + round,
                        String.valueOf(settings.phaseTimeout().toSeconds())), Map.of())),
                "insert_one per record, enable.auto.commit=true");
    }

    private Sample connector(int round, boolean tuned) throws Exception {
        String collection = (tuned ? "connector_" : "connector_defaults_") + round;
        return sink(collection, () -> connectorJvm(round, input, tuned, collection),
                "mongo-kafka-connect " + ConnectClasspath.connectorVersion() + (tuned
                        ? ", " + String.join(", ", ConnectorConfig.TUNED) + ", max.poll.records=" + batchSize()
                        : ", the connector's defaults (ordered inserts of new ObjectIds)"));
    }

    ChildJvm connectorJvm(int round, String topic, boolean tuned, String collection) throws Exception {
        ConnectorConfig config = new ConnectorConfig(settings.workDir().toAbsolutePath()
                .resolve("connect-" + run + "-" + collection), kafka, mongoUri, database, batchSize());
        return track(config.start(collection + "-" + run + "-" + round, topic, collection, tuned, childOptions()));
    }

    private interface Starter {
        ChildJvm start() throws Exception;
    }

    /**
     * A sink in its own JVM reads the input topic (P × N warm-up records, then the N users) into its own collection:
     * its rate is taken over the N users, from the P·N warm-up documents counted to the last (the JVM's start-up and
     * warm-up are not part of it).
     */
    private Sample sink(String collectionName, Starter starter, String note) throws Exception {
        long warmup = settings.warmupRecords();
        long expected = warmup + settings.records();
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> collection = client.getDatabase(database).getCollection(collectionName);
            long launched = System.nanoTime();
            ChildJvm child = starter.start();
            long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
            long warmAt = 0;
            long warmCount = 0;
            long count = 0;
            // the last count seen below the warm-up's, and when: the start when the warm-up and N came in one go
            long beforeAt = launched;
            long beforeCount = 0;
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stored " + count + " of " + expected + " in "
                            + settings.phaseTimeout().toSeconds() + " s; see " + child.log());
                }
                child.checkAlive();
                long at = System.nanoTime();
                count = collection.estimatedDocumentCount();
                if (count < warmup) {
                    beforeAt = at;
                    beforeCount = count;
                } else if (warmAt == 0) {
                    warmAt = at;
                    warmCount = count;
                }
                Thread.sleep(20);
            }
            long doneAt = System.nanoTime();
            log("%s: %s warm-up documents %.1f s after its JVM started, the next %,d %.1f s later", collectionName,
                    settings.warmupShown(), (warmAt - launched) / 1e9, settings.records(), (doneAt - warmAt) / 1e9);
            // a tiny N (the smoke test) may be stored in one batch with the warm-up: then from the last count before
            double rate = expected - warmCount >= settings.records() / 2
                    ? (expected - warmCount) * 1e9 / Math.max(1, doneAt - warmAt)
                    : (expected - beforeCount) * 1e9 / Math.max(1, doneAt - beforeAt);
            child.stop();
            long stored = collection.estimatedDocumentCount();
            collection.drop();
            if (stored != expected) {
                throw new IllegalStateException("stored " + stored + " documents for " + expected + " records");
            }
            return withHeap(rate, note + "; rate over the N records after " + settings.warmupShown()
                    + " warm-up records", child);
        }
    }

    private interface SinkOnTopic {
        ChildJvm start(String topic, String collection) throws Exception;
    }

    /**
     * Latency at a steady rate: the sink starts on an empty topic; once a first record is stored (the sink is up and
     * has its partition), P × N warm-up records (ids 2..1+P·N) are stored, then passes of latencyRecords are sent at
     * latencyRate/s, not counted, until the sink's JIT compiler threads used less than latencySettledMs of CPU in one (at
     * most latencyWarmPasses); then latencyRecords more are sent at latencyRate/s, and each one's latency is the time from its
     * send (its Kafka timestamp, to the µs) to the moment the MongoDB-wire server stored its document. Value: p99.
     */
    private Sample latency(int round, String collectionName, SinkOnTopic sink) throws Exception {
        String topic = "bench-" + collectionName.replace('_', '-') + "-" + run + "-" + round;
        createTopics(topic);
        int count = settings.latencyRecords();
        try (MongoClient client = MongoClients.create(mongoUri);
             KafkaProducer<String, String> producer = new KafkaProducer<>(latencyProducer())) {
            MongoDatabase db = client.getDatabase(database);
            MongoCollection<Document> collection = db.getCollection(collectionName);
            ChildJvm child = sink.start(topic, collectionName);
            producer.send(new ProducerRecord<>(topic, "1", Users.user(1))).get();
            awaitCount(collection, 1, child);
            // warm, as in the throughput rows: P × N records as fast as they go (ids 2..1+P·N, after the first
            // record's 1), stored before the steady rate starts
            int warmup = settings.warmupRecords();
            fillUsers(topic, 2, warmup);
            awaitCount(collection, 1 + warmup, child);
            // and warm at the steady rate until the JIT has settled: its small batches take other code paths than the
            // 500-record batches of a flood, and at 1 000/s their methods reach the JIT's thresholds slowly. After one
            // pass of 3 000 (3 s), the compiler threads of either sink still used 1.0-2.1 s of CPU in the 3 measured
            // seconds, on 2 cores; after five, 0.01-1.1 s, and either sink settled in some rounds, not in others. So
            // the same rule for every row: passes until one in which compiling took less than latencySettledMs (5 % of a
            // core by default), at most latencyWarmPasses (each round's passes and what compiling took in its measured
            // seconds are in the results)
            CompilerCpu.Warmed warmed = CompilerCpu.untilSettled(child.pid(), 1, settings.latencyWarmPasses(),
                    settings.latencySettledMs(),
                    pass -> latencies(producer, topic, db, collection, child, 1 + warmup + pass * count, count));
            int warmPasses = warmed.passes();
            double[] latency = latencies(producer, topic, db, collection, child, 1 + warmup + warmPasses * count, count);
            double compiling = CompilerCpu.millis(child.pid()) - warmed.readingMs();
            child.stop();
            collection.drop();
            deleteTopics(topic);
            return new Sample(latency[1], latency[0], latency[2], -1, -1, -1, String.format(Locale.ROOT,
                    "%,d records at %,d/s, Kafka timestamp -> document stored (µs)", count, settings.latencyRate()), compiling, warmPasses);
        }
    }

    private Properties latencyProducer() {
        Properties props = producerProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return props;
    }

    /**
     * Sends count new users at latencyRate/s and returns p50, p99 and the longest of record timestamp -> stored, in ms
     * to the µs: each record's timestamp is the moment it was sent (StoredAt's clock, also its Kafka timestamp, in
     * whole ms there), and the MongoDB-wire server stamps the moment it stored the document ({@link StoredAt}).
     */
    private double[] latencies(KafkaProducer<String, String> producer, String topic, MongoDatabase db,
                               MongoCollection<Document> collection, ChildJvm child, int stored, int count)
            throws Exception {
        long[] sentAt = new long[count];
        AtomicInteger acked = new AtomicInteger();
        String[] values = new String[count];
        for (int k = 0; k < count; k++) {
            values[k] = Users.user(stored + k + 1);
        }
        StoredAt.arm(db, stored + 1, count);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / settings.latencyRate();
        for (int k = 0; k < count; k++) {
            long due = start + k * interval;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            sentAt[k] = StoredAt.nowMicros();
            producer.send(new ProducerRecord<>(topic, null, sentAt[k] / 1_000, String.valueOf(stored + k + 1), values[k]),
                    (m, e) -> {
                        if (e == null) {
                            acked.incrementAndGet();
                        }
                    });
        }
        producer.flush();
        if (acked.get() != count) {
            throw new IllegalStateException("latency records acknowledged: " + acked.get() + " of " + count);
        }
        awaitCount(collection, stored + count, child);
        long[] storedAt = StoredAt.read(db);
        double[] latencies = new double[count];
        for (int k = 0; k < count; k++) {
            if (storedAt[k] == 0) {
                throw new IllegalStateException("record " + (stored + k + 1) + " of the latency run was not stored");
            }
            latencies[k] = (storedAt[k] - sentAt[k]) / 1_000.0;
        }
        Arrays.sort(latencies);
        return new double[] {percentile(latencies, 50), percentile(latencies, 99), latencies[count - 1]};
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Waits until the collection holds n documents (the child must stay alive meanwhile). */
    void awaitCount(MongoCollection<Document> collection, long n, ChildJvm child) throws InterruptedException {
        long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
        long count;
        while ((count = collection.estimatedDocumentCount()) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stored " + count + " of " + n + "; see " + child.log());
            }
            child.checkAlive();
            Thread.sleep(10);
        }
    }

    // --- processes -------------------------------------------------------------------------------------------------

    /**
     * The pipeline's camel-main on the project's routes/ and application.properties, as the jar runs them; its
     * management server on a free loopback port (never a fixed 8080).
     */
    ChildJvm pipeline(String name, Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("KAFKA_BROKERS", kafka);
        // the source row has no server: its route never opens the lazy MongoDB client (application.properties'
        // default URI stays unused)
        if (mongoUri != null) {
            all.putIfAbsent("MONGO_URI", mongoUri);
        }
        all.put("MANAGEMENT_HOST", "127.0.0.1");
        all.put("MANAGEMENT_PORT", "0");
        return track(ChildJvm.start(settings.workDir(), name, profiled(name, childOptions()), testClasspath(),
                "org.apache.camel.main.Main", List.of(), all));
    }

    /** Stopped when the current row ends, whatever happened. */
    ChildJvm track(ChildJvm child) {
        children.add(child);
        return child;
    }

    List<String> childOptions() {
        return childOptions(CHILD_HEAP);
    }

    /** This heap (-Xmx...), then the settings' options (the smoke test's quick-start JIT). */
    List<String> childOptions(String heap) {
        List<String> options = new ArrayList<>(List.of(heap));
        options.addAll(settings.childJvmOptions());
        return options;
    }

    /** -Dbench.profile=true: a Java Flight Recording of this child JVM too, target/bench/<name>.jfr. */
    List<String> profiled(String name, List<String> options) {
        if (Boolean.getBoolean("bench.profile")) {
            options.add("-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfc", "profile") + ",filename="
                    + settings.workDir().toAbsolutePath().resolve(name + ".jfr"));
        }
        return options;
    }

    static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Sample withHeap(double value, String note, ChildJvm child) {
        long[] heap = child.heap();
        return new Sample(value, Double.NaN, Double.NaN, heap[0], heap[1], heap[2], note);
    }

    // --- Kafka helpers ---------------------------------------------------------------------------------------------

    void createTopics(String... names) throws Exception {
        createTopics(Map.of(), names);
    }

    /** Topics of one partition with these topic configs. */
    private void createTopics(Map<String, String> configs, String... names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Arrays.stream(names).map(t -> new NewTopic(t, 1, (short) 1).configs(configs)).toList())
                    .all().get();
        }
    }

    /** Frees the broker's disk between rows (a topic the route never created is simply not there). */
    void deleteTopics(String... names) {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(names)).topicNameValues().values().forEach(f -> {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // not there, or not yet: nothing to free
                }
            });
        }
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return Admin.create(props);
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }

    /** Waits, asking this consumer every 20 ms, until the topic's one partition holds n records. */
    private void awaitEndOffset(KafkaConsumer<?, ?> consumer, String topic, long n, ChildJvm child) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
        while (true) {
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (end >= n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic has " + end + " of " + n + " records; see " + child.log());
            }
            child.checkAlive();
            Thread.sleep(20);
        }
    }

    /** The timestamp of the record at this offset of the topic's one partition. */
    private long timestampAt(String topic, long offset) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.timestamp();
                }
            }
        }
        throw new IllegalStateException("no record at offset " + offset + " of " + topic);
    }

    // --- environment -----------------------------------------------------------------------------------------------

    /** The defaults of application.properties' {{env:NAME:default}} settings, with the environment applied. */
    private static Map<String, String> applicationDefaults() throws IOException {
        Map<String, String> values = new HashMap<>();
        Pattern line = Pattern.compile("^([\\w.-]+)\\s*=\\s*\\{\\{env:(\\w+):([^}]*)}}\\s*$");
        for (String text : Files.readAllLines(PROJECT.resolve("application.properties"))) {
            Matcher m = line.matcher(text.trim());
            if (m.matches()) {
                String env = System.getenv(m.group(2));
                values.put(m.group(1), env == null || env.isBlank() ? m.group(3) : env);
            }
        }
        return values;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("%tT bench  %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String now(String pattern) {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(pattern));
    }
}
