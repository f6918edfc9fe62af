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
import java.util.HashMap;
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
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.kafkalearn.infra.LocalKafka;
import dev.kafkalearn.infra.LocalMongo;
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
 * The benchmark: on one Kafka broker and one MongoDB-wire server, with the same N user records, it measures
 * <ul>
 *   <li>the pipeline's HTTP -> Kafka rate (routes/pipeline/source-to-kafka.camel.yaml in its own camel-main JVM, -Xmx256m) and
 *       the raw limit, a plain Kafka producer with the same producer settings;</li>
 *   <li>the pipeline's Kafka -> MongoDB rate (routes/pipeline/kafka-to-mongodb.camel.yaml, own JVM, -Xmx256m) and the raw
 *       limits: a plain consumer reading the topic without processing, and the driver's insertMany of the same
 *       documents; the tutorial's approach (poll loop + insertOne per record, auto-commit; own JVM); and the MongoDB
 *       Kafka sink connector on Kafka Connect standalone (own JVM and classpath, -Xmx256m);</li>
 *   <li>for every sink, end-to-end latency (Kafka record timestamp -> document counted in MongoDB) while records
 *       arrive at a steady, moderate rate; and the peak heap of every separate JVM.</li>
 * </ul>
 * Prints one table with each rate, the pipeline's ratio to it, the targets, and the versions; writes the same as
 * Markdown. Run it with {@code bench/run.sh [N]}.
 */
public final class Benchmark {

    /** What to run. */
    public record Settings(int records, int latencyRecords, int latencyRate, boolean connector, Path workDir,
                           Path resultFile, Duration phaseTimeout, List<String> childJvmOptions) {

        public static Settings fromSystemProperties() {
            int records = Integer.getInteger("bench.records", 100_000);
            return new Settings(records,
                    Integer.getInteger("bench.latency.records", Math.min(3000, Math.max(50, records / 10))),
                    Integer.getInteger("bench.latency.rate", 1000),
                    Boolean.parseBoolean(System.getProperty("bench.connector", "true")),
                    Path.of(System.getProperty("bench.work", "target/bench")),
                    Path.of(System.getProperty("bench.results", "bench/results")),
                    Duration.ofSeconds(Long.getLong("bench.phase.timeout.s", 900)), List.of());
        }
    }

    /** One measured approach. rate in records/s (NaN if it failed); latencies in ms; heap in bytes (-1 = n/a). */
    public record Row(String id, String name, double rate, double p50, double p99, long heapPeak, long heapLive,
                      long heapMax, String note) {
        boolean ok() {
            return rate > 0 && !Double.isNaN(rate);
        }
    }

    /** Every row and the report. */
    public record Result(List<Row> rows, String report) {
        public Row row(String id) {
            return rows.stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
        }
    }

    static final String PIPELINE_SINK = "pipeline-sink";
    static final String RAW_READ = "raw-read";
    static final String RAW_INSERT = "raw-insertMany";
    static final String RAW_UPSERT = "raw-upserts";
    static final String TUTORIAL = "tutorial";
    static final String CONNECTOR = "connector";
    static final String PIPELINE_SOURCE = "pipeline-source";
    static final String RAW_PRODUCER = "raw-producer";

    private static final String CHILD_HEAP = "-Xmx256m";

    private List<String> childOptions(String... more) {
        List<String> options = new ArrayList<>(List.of(CHILD_HEAP));
        options.addAll(settings.childJvmOptions());
        options.addAll(List.of(more));
        return options;
    }
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    private final Settings settings;
    private final String kafka;
    private final String mongoUri;
    private final LocalSource source;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String database = "bench_" + run;
    private final Map<String, String> appDefaults;
    private final List<Row> rows = new ArrayList<>();
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();

    public Benchmark(Settings settings, String kafka, String mongoUri, LocalSource source) throws IOException {
        this.settings = settings;
        this.kafka = kafka;
        this.mongoUri = mongoUri;
        this.source = source;
        this.appDefaults = applicationDefaults();
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        if (args.length > 0) {
            int records = Integer.parseInt(args[0].replace("_", ""));
            settings = new Settings(records, Math.min(3000, Math.max(50, records / 10)), settings.latencyRate(),
                    settings.connector(), settings.workDir(), settings.resultFile(), settings.phaseTimeout(), List.of());
        }
        Files.createDirectories(settings.workDir());
        Path kafkaDir = Files.createTempDirectory(settings.workDir().toAbsolutePath(), "kafka-");
        System.out.printf("Benchmark: N=%,d records; starting a KRaft broker and a MongoDB-wire server on loopback%n",
                settings.records());
        // -Dbench.profile=true: this JVM (broker, MongoDB-wire server, raw clients) is recorded too, target/bench/harness.jfr
        jdk.jfr.Recording recording = null;
        if (Boolean.getBoolean("bench.profile")) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setDestination(settings.workDir().toAbsolutePath().resolve("harness.jfr"));
            recording.start();
        }
        try (LocalSource source = LocalSource.start(0);
             LocalMongo mongo = LocalMongo.startInMemory(0);
             LocalKafka broker = LocalKafka.start(kafkaDir, TestInfrastructure.freePort(), TestInfrastructure.freePort(), Map.of())) {
            Result result = new Benchmark(settings, broker.bootstrapServers(), mongo.uri(), source).run();
            System.out.println();
            System.out.println(result.report());
        }
        if (recording != null) {
            recording.stop();
            recording.close();
        }
        System.exit(0);
    }

    /** Runs every phase, in this order, on the same broker and server; a failed phase is a row with its reason. */
    public Result run() throws Exception {
        Files.createDirectories(settings.workDir());
        String loadBefore = loadAverage();
        int n = settings.records();
        Users users = Users.generate(n);
        byte[] array = users.array();
        source.serveJson("/bench-users-" + run, array);
        String topic = "bench-" + run;
        String rawTopic = "bench-raw-" + run;
        createTopics(topic, rawTopic);
        log("source: %,d users, %,d bytes of JSON at %s", n, array.length, source.url("/bench-users-" + run));

        phase(PIPELINE_SOURCE, "pipeline HTTP -> Kafka (source-to-kafka.camel.yaml)", () -> pipelineSource(topic, n));
        if (!selected(PIPELINE_SOURCE)) {
            rawProducer(topic, users);
        }
        phase(RAW_PRODUCER, "raw: plain KafkaProducer, same producer settings", () -> rawProducer(rawTopic, users));
        phase(RAW_READ, "raw: plain KafkaConsumer read, no processing", () -> rawRead(topic, n));
        phase(RAW_INSERT, "raw: driver insertMany, batches of MONGO_BATCH_SIZE", () -> rawInsertMany(users));
        phase(RAW_UPSERT, "raw: driver bulkWrite of upserts by _id, batches of MONGO_BATCH_SIZE", () -> rawUpserts(users));
        phase(PIPELINE_SINK, "pipeline Kafka -> MongoDB (kafka-to-mongodb.camel.yaml)", () -> pipelineSink(topic));
        phase(TUTORIAL, "tutorial: poll loop + insertOne per record, auto-commit", () -> tutorial(topic));
        if (settings.connector()) {
            phase(CONNECTOR, "MongoDB Kafka sink connector, Connect standalone", () -> connector(topic));
        }
        String report = report(n, array.length, loadBefore, loadAverage());
        Path file = settings.resultFile();
        if (!System.getProperty("bench.only", "all").equals("all")) {
            // some rows only (profiling, tuning): not a result for bench/results
            file = settings.workDir();
        }
        if (!file.toString().endsWith(".md")) {
            Files.createDirectories(file);
            file = file.resolve(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + ".md");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        log("results written to %s", file);
        return new Result(List.copyOf(rows), report);
    }

    private interface Phase {
        Row run() throws Exception;
    }

    /** -Dbench.only=id,id (e.g. pipeline-source,raw-producer): run only these phases; for profiling one of them. */
    private static boolean selected(String id) {
        String only = System.getProperty("bench.only", "all");
        return only.equals("all") || Arrays.asList(only.split(",")).contains(id);
    }

    private void phase(String id, String name, Phase phase) {
        if (!selected(id)) {
            return;
        }
        log("--- %s", name);
        Row row;
        try {
            row = phase.run();
        } catch (Exception e) {
            row = failed(id, name, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            children.forEach(ChildJvm::stop);
            children.clear();
        }
        row = new Row(id, name, row.rate, row.p50, row.p99, row.heapPeak, row.heapLive, row.heapMax, row.note);
        log("%s: %s", name, row.ok() ? String.format(Locale.ROOT, "%,.0f records/s", row.rate) : "FAILED " + row.note);
        rows.add(row);
    }

    private static Row failed(String id, String name, String why) {
        return new Row(id, name, Double.NaN, Double.NaN, Double.NaN, -1, -1, -1, why);
    }

    // --- HTTP -> Kafka ---------------------------------------------------------------------------------------------

    private Row pipelineSource(String topic, int n) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ROUTES", "file:routes/pipeline/source-to-kafka.camel.yaml");
        env.put("SOURCE_URL", source.url("/bench-users-" + run));
        env.put("SOURCE_PACING_MS", "0");
        env.put("KAFKA_TOPIC", topic);
        ChildJvm child = pipeline("pipeline-source", env);
        long end = awaitEndOffset(topic, n, child);
        long first = firstTimestamp(topic);
        child.stop();
        double rate = n * 1000.0 / Math.max(1, end - first);
        return withHeap(new Row(PIPELINE_SOURCE, "", rate, Double.NaN, Double.NaN, -1, -1, -1,
                "first record's timestamp -> last record acknowledged"), child);
    }

    private Row rawProducer(String topic, Users users) throws Exception {
        Properties props = producerProperties();
        AtomicReference<Exception> error = new AtomicReference<>();
        long start;
        long end;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic);
            start = System.nanoTime();
            for (int i = 0; i < users.values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, String.valueOf(i + 1), users.values.get(i)), (m, e) -> {
                    if (e != null) {
                        error.set(e);
                    }
                });
            }
            producer.flush();
            end = System.nanoTime();
        }
        if (error.get() != null) {
            throw error.get();
        }
        return row(RAW_PRODUCER, users.values.size() * 1e9 / (end - start), String.format(
                "acks=all, idempotence, linger.ms=%s, batch.size=%s, compression=%s",
                props.get(ProducerConfig.LINGER_MS_CONFIG), props.get(ProducerConfig.BATCH_SIZE_CONFIG),
                props.get(ProducerConfig.COMPRESSION_TYPE_CONFIG)));
    }

    /** The producer settings the pipeline's routes get from application.properties (and the environment). */
    private Properties producerProperties() {
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

    private Row rawRead(String topic, int n) {
        Properties props = consumerProperties();
        TopicPartition partition = new TopicPartition(topic, 0);
        int read = 0;
        long start;
        long end;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
            start = System.nanoTime();
            while (read < n && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            end = System.nanoTime();
        }
        if (read < n) {
            throw new IllegalStateException("read " + read + " of " + n + " records");
        }
        return row(RAW_READ, n * 1e9 / (end - start), "max.poll.records=500 (default), String values");
    }

    private Row rawInsertMany(Users users) {
        List<Document> documents = parsedWithIds(users);
        return rawWrites(RAW_INSERT, "insertmany", documents, (collection, some) ->
                collection.insertMany(some, new InsertManyOptions().ordered(false)), "pre-parsed documents, unordered");
    }

    /** The writes the pipeline and the connector make (replace-or-insert by _id, unordered), with nothing else. */
    private Row rawUpserts(Users users) {
        List<WriteModel<Document>> writes = new ArrayList<>(users.values.size());
        for (Document document : parsedWithIds(users)) {
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", document.get("_id")), document,
                    new ReplaceOptions().upsert(true)));
        }
        return rawWrites(RAW_UPSERT, "upserts", writes, (collection, some) ->
                collection.bulkWrite(some, new BulkWriteOptions().ordered(false)),
                "pre-parsed documents, the pipeline's write: ReplaceOne upsert, unordered");
    }

    /** The users as documents with _id 1..N, parsed before any timing starts. */
    private static List<Document> parsedWithIds(Users users) {
        List<Document> documents = new ArrayList<>(users.values.size());
        for (int i = 0; i < users.values.size(); i++) {
            Document document = Document.parse(users.values.get(i));
            document.put("_id", i + 1);
            documents.add(document);
        }
        return documents;
    }

    /** Times `write` over the items in calls of MONGO_BATCH_SIZE, checks all N are stored, drops the collection. */
    private <T> Row rawWrites(String id, String collectionName, List<T> items,
                              BiConsumer<MongoCollection<Document>, List<T>> write, String note) {
        int batch = Integer.parseInt(appDefaults.getOrDefault("mongo.batch-size", "500"));
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> collection = client.getDatabase(database).getCollection(collectionName);
            long start = System.nanoTime();
            for (int from = 0; from < items.size(); from += batch) {
                write.accept(collection, items.subList(from, Math.min(items.size(), from + batch)));
            }
            long end = System.nanoTime();
            long stored = collection.estimatedDocumentCount();
            collection.drop();
            if (stored != items.size()) {
                throw new IllegalStateException("stored " + stored + " of " + items.size());
            }
            return row(id, items.size() * 1e9 / (end - start), note + ", " + batch + " per call");
        }
    }

    private Row pipelineSink(String topic) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ROUTES", "file:routes/pipeline/kafka-to-mongodb.camel.yaml");
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", "bench-pipeline-" + run);
        env.put("MONGO_DATABASE", database);
        env.put("MONGO_COLLECTION", "pipeline");
        return sink(PIPELINE_SINK, topic, "pipeline", () -> pipeline("pipeline-sink", env),
                "upsert by id, bulkWrite of MONGO_BATCH_SIZE=" + appDefaults.get("mongo.batch-size")
                        + ", commit after write");
    }

    private Row tutorial(String topic) throws Exception {
        return sink(TUTORIAL, topic, "tutorial", () -> ChildJvm.start(settings.workDir(), "tutorial",
                childOptions(), testClasspath(), TutorialSink.class.getName(),
                List.of(kafka, topic, "bench-tutorial-" + run, mongoUri, database, "tutorial",
                        String.valueOf(settings.phaseTimeout().toSeconds())), Map.of()),
                "insert_one per record, enable.auto.commit=true");
    }

    private Row connector(String topic) throws Exception {
        Path dir = settings.workDir().toAbsolutePath().resolve("connect-" + run);
        Files.createDirectories(dir);
        Path worker = dir.resolve("worker.properties");
        Files.writeString(worker, String.join("\n",
                "bootstrap.servers=" + kafka,
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.storage.StringConverter",
                "offset.storage.file.filename=" + dir.resolve("connect.offsets"),
                "offset.flush.interval.ms=10000",
                "listeners=http://127.0.0.1:" + TestInfrastructure.freePort(),
                "plugin.discovery=service_load",
                // the same batch as the pipeline: up to 500 records a poll, one bulk write each
                "consumer.max.poll.records=" + appDefaults.get("mongo.batch-size"),
                ""));
        Path sink = dir.resolve("mongo-sink.properties");
        Files.writeString(sink, String.join("\n",
                "name=mongo-sink-" + run,
                "connector.class=com.mongodb.kafka.connect.MongoSinkConnector",
                "tasks.max=1",
                "topics=" + topic,
                "connection.uri=" + mongoUri,
                "database=" + database,
                "collection=connector",
                "max.batch.size=" + appDefaults.get("mongo.batch-size"),
                // like the pipeline: one document per user, replaced (upserted) by its id
                "document.id.strategy=com.mongodb.kafka.connect.sink.processor.id.strategy.PartialValueStrategy",
                "document.id.strategy.partial.value.projection.type=AllowList",
                "document.id.strategy.partial.value.projection.list=id",
                "writemodel.strategy=com.mongodb.kafka.connect.sink.writemodel.strategy.ReplaceOneDefaultStrategy",
                ""));
        Path log4j = dir.resolve("log4j.properties");
        Files.writeString(log4j, String.join("\n",
                "log4j.rootLogger=INFO, stdout",
                "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.stdout.layout.ConversionPattern=%d{HH:mm:ss.SSS} %-5p %c{1} %m%n",
                "log4j.logger.org.apache.kafka.clients=WARN",
                "log4j.logger.org.reflections=ERROR",
                ""));
        // the connector's jar has no ServiceLoader manifest: with one beside it, Connect finds it without scanning
        // every class of the classpath (seconds); the heap sampler comes along, the project's classes do not
        Path extra = dir.resolve("classes");
        Path services = extra.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("org.apache.kafka.connect.sink.SinkConnector"),
                "com.mongodb.kafka.connect.MongoSinkConnector\n");
        Path sampler = extra.resolve(HeapSampler.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(sampler.getParent());
        try (var in = HeapSampler.class.getResourceAsStream(HeapSampler.class.getSimpleName() + ".class")) {
            Files.copy(in, sampler, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String classpath = ConnectClasspath.resolve(settings.workDir()) + java.io.File.pathSeparator + extra;
        return sink(CONNECTOR, topic, "connector", () -> ChildJvm.start(settings.workDir(), "connector",
                childOptions("-Dlog4j.configuration=" + log4j.toUri()), classpath,
                "org.apache.kafka.connect.cli.ConnectStandalone", List.of(worker.toString(), sink.toString()), Map.of()),
                "mongo-kafka-connect " + ConnectClasspath.connectorVersion() + ", ReplaceOneDefaultStrategy upsert by id, "
                        + "max.batch.size=" + appDefaults.get("mongo.batch-size"));
    }

    private interface Starter {
        ChildJvm start() throws Exception;
    }

    /**
     * A sink in its own JVM reads the whole topic (as it is when the sink starts) into its collection: its rate is
     * taken from the first documents counted to the last. Then records arrive at a steady rate and each one's latency
     * is the time from its Kafka timestamp to the moment MongoDB counts it (single partition: stored in offset order).
     */
    private Row sink(String id, String topic, String collectionName, Starter starter, String note) throws Exception {
        long expected = endOffset(topic);
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> collection = client.getDatabase(database).getCollection(collectionName);
            long launched = System.nanoTime();
            ChildJvm child = starter.start();
            children.add(child);
            long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
            long firstAt = 0;
            long firstCount = 0;
            long count = 0;
            while (count < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stored " + count + " of " + expected + " in "
                            + settings.phaseTimeout().toSeconds() + " s; see " + child.log());
                }
                child.checkAlive();
                count = collection.estimatedDocumentCount();
                if (count > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                    firstCount = count;
                }
                Thread.sleep(20);
            }
            long doneAt = System.nanoTime();
            log("%s: first documents %.1f s after its JVM started, all %d %.1f s later", id,
                    (firstAt - launched) / 1e9, expected, (doneAt - firstAt) / 1e9);
            double rate;
            String how;
            if (expected - firstCount >= expected / 2 && doneAt > firstAt) {
                rate = (expected - firstCount) * 1e9 / (doneAt - firstAt);
                how = "from the first documents stored to the last";
            } else {
                rate = expected * 1e9 / (doneAt - launched);
                how = "few records: from the sink's JVM start, startup included";
            }
            double[] latency = latency(topic, collection, (int) expected);
            child.stop();
            long stored = collection.estimatedDocumentCount();
            collection.drop();
            if (stored != expected + settings.latencyRecords()) {
                throw new IllegalStateException("stored " + stored + " documents for " + (expected + settings.latencyRecords())
                        + " records");
            }
            return withHeap(new Row(id, "", rate, latency[0], latency[1], -1, -1, -1,
                    note + "; " + expected + " records, rate " + how), child);
        }
    }

    /** Sends latencyRecords new users at latencyRate/s and returns p50 and p99 of record timestamp -> counted. */
    private double[] latency(String topic, MongoCollection<Document> collection, int stored) throws Exception {
        int count = settings.latencyRecords();
        long[] sentAt = new long[count];
        List<long[]> samples = new ArrayList<>();
        AtomicInteger acked = new AtomicInteger();
        Properties props = producerProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        String[] values = new String[count];
        for (int k = 0; k < count; k++) {
            values[k] = Users.user(stored + k + 1);
        }
        Thread sampler = new Thread(() -> {
            long last = -1;
            long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
            while (last < stored + count && System.nanoTime() < deadline) {
                long now = System.currentTimeMillis();
                long c = collection.estimatedDocumentCount();
                if (c != last) {
                    samples.add(new long[] {now, c});
                    last = c;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }, "latency-sampler");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.partitionsFor(topic);
            sampler.start();
            long start = System.nanoTime();
            long interval = 1_000_000_000L / settings.latencyRate();
            for (int k = 0; k < count; k++) {
                long due = start + k * interval;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                int index = k;
                producer.send(new ProducerRecord<>(topic, String.valueOf(stored + k + 1), values[k]), (m, e) -> {
                    if (e == null) {
                        sentAt[index] = m.timestamp();
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        sampler.join(settings.phaseTimeout().toMillis());
        if (acked.get() != count) {
            throw new IllegalStateException("latency records acknowledged: " + acked.get() + " of " + count);
        }
        double[] latencies = new double[count];
        int s = 0;
        for (int k = 0; k < count; k++) {
            while (s < samples.size() && samples.get(s)[1] < stored + k + 1) {
                s++;
            }
            if (s == samples.size()) {
                throw new IllegalStateException("record " + (stored + k + 1) + " of the latency run was not stored");
            }
            latencies[k] = samples.get(s)[0] - sentAt[k];
        }
        Arrays.sort(latencies);
        return new double[] {percentile(latencies, 50), percentile(latencies, 99)};
    }

    private static double percentile(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    // --- processes -------------------------------------------------------------------------------------------------

    /** The pipeline's camel-main on the project's routes/ and application.properties, as the jar runs them. */
    private ChildJvm pipeline(String name, Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("KAFKA_BROKERS", kafka);
        all.put("MONGO_URI", mongoUri);
        List<String> options = childOptions();
        // -Dbench.profile=true: a Java Flight Recording of each pipeline JVM, target/bench/<name>.jfr
        if (Boolean.getBoolean("bench.profile")) {
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + settings.workDir().toAbsolutePath().resolve(name + ".jfr"));
        }
        ChildJvm child = ChildJvm.start(settings.workDir(), name, options, testClasspath(),
                "org.apache.camel.main.Main", List.of(), all);
        children.add(child);
        return child;
    }

    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static Row withHeap(Row row, ChildJvm child) {
        long[] heap = child.heap();
        return new Row(row.id, row.name, row.rate, row.p50, row.p99, heap[0], heap[1], heap[2], row.note);
    }

    private static Row row(String id, double rate, String note) {
        return new Row(id, "", rate, Double.NaN, Double.NaN, -1, -1, -1, note);
    }

    // --- Kafka helpers ---------------------------------------------------------------------------------------------

    private void createTopics(String... names) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Arrays.stream(names).map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
    }

    private Admin admin() {
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

    private long endOffset(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** Waits until the topic holds n records; returns the wall-clock time (ms) at which it saw them. */
    private long awaitEndOffset(String topic, long n, ChildJvm child) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        long deadline = System.nanoTime() + settings.phaseTimeout().toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            while (true) {
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                if (end >= n) {
                    return System.currentTimeMillis();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic has " + end + " of " + n + " records; see " + child.log());
                }
                child.checkAlive();
                Thread.sleep(20);
            }
        }
    }

    private long firstTimestamp(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.timestamp();
                }
            }
        }
        throw new IllegalStateException("no record in " + topic);
    }

    // --- report ----------------------------------------------------------------------------------------------------

    private String report(int n, int bytes, String loadBefore, String loadAfter) {
        Row sink = find(PIPELINE_SINK);
        Row source = find(PIPELINE_SOURCE);
        StringBuilder out = new StringBuilder();
        out.append("# kafka-learn benchmark, ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append("\n\n");
        out.append(String.format(Locale.ROOT, "N = %,d user records (%,d bytes of JSON, %d bytes each on average); "
                + "one KRaft broker, one MongoDB-wire server (memory backend), 1 partition; every rate below measured "
                + "in this one run. Latency: %,d more records sent at %,d/s, Kafka timestamp -> document counted.%n%n",
                n, bytes, bytes / Math.max(1, n), settings.latencyRecords(), settings.latencyRate()));
        out.append("| approach | records/s | pipeline ÷ this | p50 ms | p99 ms | peak heap used / live after GC (max) | notes |\n");
        out.append("|---|---:|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            Row ours = row.id.startsWith("pipeline-source") || row.id.equals(RAW_PRODUCER) ? source : sink;
            String ratio = row == ours || ours == null || !ours.ok() || !row.ok() ? "" : String.format(Locale.ROOT, "%.2f", ours.rate / row.rate);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", row.name,
                    row.ok() ? String.format(Locale.ROOT, "%,.0f", row.rate) : "failed", ratio,
                    ms(row.p50), ms(row.p99), heap(row), row.note));
        }
        out.append("\n## Targets\n\n");
        Row read = find(RAW_READ);
        Row insert = find(RAW_INSERT);
        if (sink != null && read != null && insert != null) {
            double wall = Math.min(read.rate, insert.rate);
            target(out, "Kafka -> MongoDB >= 80% of min(raw read, raw insertMany)", sink.rate, 0.8 * wall,
                    String.format(Locale.ROOT, "%.0f%% of %,.0f", 100 * sink.rate / wall, wall));
        }
        Row upserts = find(RAW_UPSERT);
        if (sink != null && read != null && upserts != null) {
            // not an issue target: the same bound, for the write the pipeline really makes (an upsert, not an insert)
            double wall = Math.min(read.rate, upserts.rate);
            out.append(String.format(Locale.ROOT, "- for reference, Kafka -> MongoDB against min(raw read, raw "
                    + "upserts), the same writes the pipeline makes: %.0f%% of %,.0f%n", 100 * sink.rate / wall, wall));
        }
        Row connector = find(CONNECTOR);
        if (sink != null && connector != null) {
            target(out, "Kafka -> MongoDB >= 1.5x the sink connector", sink.rate, 1.5 * connector.rate,
                    String.format(Locale.ROOT, "%.2fx", sink.rate / connector.rate));
        }
        Row tutorial = find(TUTORIAL);
        if (sink != null && tutorial != null) {
            target(out, "Kafka -> MongoDB >= 3x the tutorial's approach", sink.rate, 3 * tutorial.rate,
                    String.format(Locale.ROOT, "%.2fx", sink.rate / tutorial.rate));
        }
        Row producer = find(RAW_PRODUCER);
        if (source != null && producer != null) {
            target(out, "HTTP -> Kafka >= 70% of the raw producer", source.rate, 0.7 * producer.rate,
                    String.format(Locale.ROOT, "%.0f%%", 100 * source.rate / producer.rate));
        }
        if (source != null && source.heapMax > 0) {
            out.append(String.format(Locale.ROOT, "- heap bounded: HTTP -> Kafka of %,d bytes ran in %s; peak live heap "
                    + "after GC %s: **%s**%n", bytes, mb(source.heapMax), mb(source.heapLive),
                    source.ok() && source.heapLive < bytes ? "met (less than the body: not buffered)" : "MISSED"));
        }
        out.append("\n## Versions and machine\n\n");
        out.append(String.format(Locale.ROOT, "- Java %s (%s), Apache Camel %s, kafka-clients and broker %s, "
                + "mongodb-driver-sync %s, mongo-java-server %s, Kafka Connect %s + mongo-kafka-connect %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), pomProperty("camel.version"),
                org.apache.kafka.common.utils.AppInfoParser.getVersion(), com.mongodb.internal.build.MongoDriverVersion.VERSION,
                pomProperty("mongo-java-server.version"), org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                ConnectClasspath.connectorVersion()));
        out.append(String.format(Locale.ROOT, "- %s, %d cores, %s; load average before %s, after %s "
                + "(other work on the machine shows here)%n", cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), loadBefore, loadAfter));
        out.append("- pipeline, tutorial and connector each in their own JVM with " + CHILD_HEAP
                + "; the broker, the MongoDB-wire server, the source and the raw clients in the harness JVM\n");
        return out.toString();
    }

    private static void target(StringBuilder out, String what, double actual, double needed, String measured) {
        boolean met = actual >= needed && !Double.isNaN(actual);
        out.append(String.format(Locale.ROOT, "- %s: %s -> **%s**%n", what, measured, met ? "met" : "MISSED"));
    }

    private Row find(String id) {
        return rows.stream().filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String heap(Row row) {
        return row.heapMax <= 0 ? "" : mb(row.heapPeak) + " / " + mb(row.heapLive) + " (" + mb(row.heapMax) + ")";
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

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

    private static String pomProperty(String name) {
        try {
            Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<").matcher(Files.readString(PROJECT.resolve("pom.xml")));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("%tT bench  %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }
}
