package dev.kafkalearn.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.kafkalearn.infra.LocalMongo;
import dev.kafkalearn.support.TestInfrastructure;
import org.bson.Document;

/**
 * The MongoDB each benchmark row that writes to MongoDB uses: a fresh MongoDB-wire server (memory backend) in a JVM of
 * its own for every such row, as a database runs in its own process; none beside the Kafka-only rows. One server for the whole run kept every earlier row's dropped
 * collections as garbage in its heap (live after GC reached 1.2 of 2 GB, 4 of 8 GB), so a row's rate depended on
 * which rows ran before it and when the server's GC ran. The smoke test passes {@link #inProcess} instead.
 */
public interface MongoServers extends AutoCloseable {

    /** The URI of an empty server for the next row, its JVM started with these options too (after -Xmx4g). */
    String fresh(List<String> jvmOptions) throws Exception;

    /** The next row needs no server: stop the last one (it would hold its heap and threads beside that row). */
    default void release() {
    }

    @Override
    default void close() {
        release();
    }

    /** One server for every row, in this JVM (the smoke test's), stamping the latency rows' writes as perRow's do. */
    static MongoServers inProcess() {
        LocalMongo mongo = LocalMongo.start(new StoredAt.Backend(), 0);
        return new MongoServers() {
            @Override
            public String fresh(List<String> jvmOptions) {
                return mongo.uri();
            }

            @Override
            public void close() {
                mongo.close();
            }
        };
    }

    /** A new server JVM (-Xmx4g: headroom for a row's 2N documents) on a free port for each MongoDB row; the last stops at close. */
    static MongoServers perRow(Path workDir) {
        return new MongoServers() {
            private ChildJvm server;

            @Override
            public String fresh(List<String> jvmOptions) throws Exception {
                release();
                int port = TestInfrastructure.freePort();
                List<String> options = new ArrayList<>(List.of("-Xmx4g"));
                options.addAll(jvmOptions);
                server = ChildJvm.start(workDir, "mongo", options, Benchmark.testClasspath(),
                        MongoServerMain.class.getName(), List.of(String.valueOf(port)), Map.of());
                String uri = "mongodb://127.0.0.1:" + port;
                awaitPing(uri, server);
                return uri;
            }

            @Override
            public void release() {
                if (server != null) {
                    server.stop();
                    server = null;
                }
            }
        };
    }

    private static void awaitPing(String uri, ChildJvm server) throws Exception {
        try (MongoClient client = MongoClients.create(uri)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                server.checkAlive();
                try {
                    client.getDatabase("admin").runCommand(new Document("ping", 1));
                    return;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
