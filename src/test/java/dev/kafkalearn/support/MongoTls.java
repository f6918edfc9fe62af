package dev.kafkalearn.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * MongoDB behind TLS with a private CA: Debian's stunnel4 terminates TLS on a free loopback port and forwards to the
 * test's Mongo-wire server (which speaks no TLS itself). The CA and the server certificate (for localhost) are made by
 * openssl in a temporary directory, with a second, unrelated CA to show what a wrong one does. stunnel4 is installed
 * when missing (apt-get, as root). One per test JVM.
 */
public final class MongoTls {

    private static MongoTls instance;

    public final Path caFile;
    public final Path otherCaFile;
    public final int port;

    private MongoTls(Path caFile, Path otherCaFile, int port) {
        this.caFile = caFile;
        this.otherCaFile = otherCaFile;
        this.port = port;
    }

    public static synchronized MongoTls get() {
        if (instance == null) {
            try {
                instance = start(TestInfrastructure.get().mongo.port());
            } catch (Exception e) {
                throw new IllegalStateException("could not start stunnel in front of the Mongo-wire server", e);
            }
        }
        return instance;
    }

    /** mongodb://localhost:PORT/?tls=true — the host name the server certificate is made for. */
    public String uri() {
        return "mongodb://localhost:" + port + "/?tls=true&serverSelectionTimeoutMS=3000";
    }

    private static MongoTls start(int mongoPort) throws Exception {
        DebianPackages.installWhenMissing("stunnel4");
        Path dir = Files.createTempDirectory("kafka-learn-tls");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=kafka-learn test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=some other CA",
                "-keyout", "other.key", "-out", "other-ca.pem");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.cnf", "-out", "server.pem");

        int port = TestInfrastructure.freePort();
        Files.writeString(dir.resolve("stunnel.conf"), String.join("\n",
                "foreground = yes",
                "pid =",
                "[mongo]",
                "accept = 127.0.0.1:" + port,
                "connect = 127.0.0.1:" + mongoPort,
                "cert = " + dir.resolve("server.pem"),
                "key = " + dir.resolve("server.key"), ""));
        Process stunnel = new ProcessBuilder("stunnel4", dir.resolve("stunnel.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stunnel.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(stunnel::destroy));
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            if (!stunnel.isAlive()) {
                throw new IllegalStateException("stunnel4 stopped: " + Files.readString(dir.resolve("stunnel.log")));
            }
            return listening(port);
        });
        return new MongoTls(dir.resolve("ca.pem"), dir.resolve("other-ca.pem"), port);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        if (DebianPackages.run(dir, command) != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
