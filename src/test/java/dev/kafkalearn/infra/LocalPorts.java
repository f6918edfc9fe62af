package dev.kafkalearn.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bson.Document;

/**
 * The local infrastructure's ports, checked before anything starts: a free port is ours; a port where a Kafka broker or
 * a MongoDB already answers is theirs to use (e.g. the compose stack still running); a port held by anything else stops
 * the start with one line naming the port and the setting that moves it ({@link PortTaken}).
 */
public final class LocalPorts {

    private static final int PROBE_MS = 3000;

    private LocalPorts() {
    }

    /** A port held by something we cannot use: the message is all there is to say. */
    public static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** True when nothing listens on the loopback port (so it can be ours). */
    public static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws {@link PortTaken} unless the port is free. */
    public static void requireFree(int port, String what, String setting) {
        if (!free(port)) {
            throw new PortTaken("Port " + port + " (" + what + ") is in use by another program: stop it, or set " + setting
                                + " to a free port");
        }
    }

    /** False when the port is free; true when a Kafka broker answers there; otherwise {@link PortTaken}. */
    public static boolean kafkaAnswers(int port, String setting) {
        if (free(port)) {
            return false;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, PROBE_MS);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, PROBE_MS);
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster().clusterId().get(PROBE_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            throw new PortTaken("Port " + port + " (Kafka) is in use by a program that is not a Kafka broker: stop it, or"
                                + " set " + setting + " to a free port");
        } finally {
            // not a plain close(): against a program that accepts the connection and never answers, it waited forever
            admin.close(java.time.Duration.ZERO);
        }
    }

    /** False when the port is free; true when a MongoDB (or Mongo-wire server) answers there; otherwise {@link PortTaken}. */
    public static boolean mongoAnswers(int port, String setting) {
        if (free(port)) {
            return false;
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://localhost:" + port))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(PROBE_MS, TimeUnit.MILLISECONDS)).build();
        try (MongoClient client = MongoClients.create(settings)) {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            return true;
        } catch (Exception e) {
            throw new PortTaken("Port " + port + " (MongoDB) is in use by a program that is not MongoDB: stop it, or set "
                                + setting + " to a free port");
        }
    }

    /** A free loopback port, for a server that may go anywhere (dev mode's management server). */
    public static int any() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
