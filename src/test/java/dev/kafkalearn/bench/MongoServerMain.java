package dev.kafkalearn.bench;

import dev.kafkalearn.infra.LocalMongo;

/**
 * A MongoDB-wire server (memory backend, stamping the latency rows' writes: {@link StoredAt}) in a JVM of its own, so
 * the backpressure scenario can freeze it with SIGSTOP (the harness's own server shares the harness's JVM). Args: port.
 * Runs until killed.
 */
public final class MongoServerMain {

    private MongoServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalMongo mongo = LocalMongo.start(new StoredAt.Backend(), Integer.parseInt(args[0]));
        System.out.println("MongoDB-wire server on " + mongo.uri());
        Thread.currentThread().join();
    }
}
