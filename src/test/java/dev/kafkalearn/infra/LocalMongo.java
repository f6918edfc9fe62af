package dev.kafkalearn.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A server that speaks MongoDB's wire protocol (mongo-java-server), so the MongoDB driver, mongosh and pymongo talk to
 * it unchanged. Backed by an H2 file (kept across restarts) or by memory (for tests).
 */
public final class LocalMongo implements AutoCloseable {

    private final MongoServer server;
    private final int port;

    private LocalMongo(MongoServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Persistent: every write is in dataFile (an H2 MVStore file) before it is acknowledged. */
    public static LocalMongo startPersistent(Path dataFile, int port) throws IOException {
        Files.createDirectories(dataFile.toAbsolutePath().getParent());
        return start(new H2Backend(dataFile.toAbsolutePath().toString()), port);
    }

    public static LocalMongo startInMemory(int port) {
        return start(new MemoryBackend(), port);
    }

    /**
     * What the server says it is: MongoDB 5.0 with 5.0's wire version 13. mongo-java-server's own MONGO_5_0 reports wire
     * version 8, which mongosh 2.x refuses (its Node.js driver wants at least 9, MongoDB 4.4; MongoshTest). The higher number asks
     * nothing more of the server as long as its hello answer carries no helloOk (drivers then keep to isMaster, which
     * it answers) and clients use commands it has.
     */
    static final MongoVersion REPORTED_VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    };

    /** On this backend (e.g. one that also records what the benchmark asks of it); port 0: a free one. */
    public static LocalMongo start(AbstractMongoBackend backend, int port) {
        backend.version(REPORTED_VERSION);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        return new LocalMongo(server, server.getLocalAddress().getPort());
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
