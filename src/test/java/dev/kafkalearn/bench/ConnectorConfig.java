package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.kafkalearn.support.TestInfrastructure;

/**
 * The MongoDB Kafka sink connector on Kafka Connect standalone, in a JVM of its own with its own classpath
 * ({@link ConnectClasspath}), configured two ways: as a user tuning it for speed would (the same writes and batch as
 * the pipeline: replace-one upserts by the record's id, unordered, one bulk write per poll of MONGO_BATCH_SIZE), and
 * with the connector's defaults (ordered bulk writes of inserts with a new ObjectId each).
 */
final class ConnectorConfig {

    /** The tuned settings, as the report lists them (option names from the connector's documentation). */
    static final List<String> TUNED = List.of(
            "bulk.write.ordered=false",
            "writemodel.strategy=com.mongodb.kafka.connect.sink.writemodel.strategy.ReplaceOneDefaultStrategy",
            "document.id.strategy=com.mongodb.kafka.connect.sink.processor.id.strategy.PartialValueStrategy",
            "document.id.strategy.partial.value.projection.type=AllowList",
            "document.id.strategy.partial.value.projection.list=id");

    private final Path dir;
    private final String kafka;
    private final String mongoUri;
    private final String database;
    private final int batchSize;

    ConnectorConfig(Path dir, String kafka, String mongoUri, String database, int batchSize) {
        this.dir = dir;
        this.kafka = kafka;
        this.mongoUri = mongoUri;
        this.database = database;
        this.batchSize = batchSize;
    }

    ChildJvm start(String name, String topic, String collection, boolean tuned, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> worker = new ArrayList<>(List.of(
                "bootstrap.servers=" + kafka,
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.storage.StringConverter",
                "offset.storage.file.filename=" + dir.resolve("connect.offsets"),
                "listeners=http://127.0.0.1:" + TestInfrastructure.freePort(),
                "plugin.discovery=service_load"));
        List<String> sink = new ArrayList<>(List.of(
                "name=mongo-sink-" + name,
                "connector.class=com.mongodb.kafka.connect.MongoSinkConnector",
                "tasks.max=1",
                "topics=" + topic,
                "connection.uri=" + mongoUri,
                "database=" + database,
                "collection=" + collection));
        if (tuned) {
            // the pipeline's batch: up to MONGO_BATCH_SIZE records a poll, all of them in one bulk write
            worker.add("consumer.max.poll.records=" + batchSize);
            sink.add("max.batch.size=" + batchSize);
            sink.addAll(TUNED);
        }
        Path workerFile = dir.resolve("worker.properties");
        Path sinkFile = dir.resolve("mongo-sink.properties");
        Path log4j = dir.resolve("log4j.properties");
        Files.write(workerFile, worker);
        Files.write(sinkFile, sink);
        Files.write(log4j, List.of(
                "log4j.rootLogger=INFO, stdout",
                "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.stdout.layout.ConversionPattern=%d{HH:mm:ss.SSS} %-5p %c{1} %m%n",
                "log4j.logger.org.apache.kafka.clients=WARN",
                "log4j.logger.org.reflections=ERROR"));
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
            Files.copy(in, sampler, StandardCopyOption.REPLACE_EXISTING);
        }
        String classpath = ConnectClasspath.resolve(dir.getParent()) + java.io.File.pathSeparator + extra;
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dlog4j.configuration=" + log4j.toUri());
        return ChildJvm.start(dir.getParent(), tuned ? "connector" : "connector-defaults", options, classpath,
                "org.apache.kafka.connect.cli.ConnectStandalone", List.of(workerFile.toString(), sinkFile.toString()),
                Map.of());
    }
}
