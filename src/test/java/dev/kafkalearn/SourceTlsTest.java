package dev.kafkalearn;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.kafkalearn.support.LogCapture;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.SecureKafka;
import dev.kafkalearn.support.RecordingServer;
import dev.kafkalearn.support.RecordingServer.Answer;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTPS source with a private CA that wants a client certificate (mutual TLS): SOURCE_TRUSTSTORE holds the CA,
 * SOURCE_KEYSTORE the client's certificate. A source whose certificate another CA signed is one clear line. The
 * certificates are made here with the JDK's keytool.
 */
class SourceTlsTest extends PipelineTestSupport {

    private static final String TRUST_PASSWORD = "trust-s3cret-6";
    private static final String KEYS_PASSWORD = "keys-s3cret-7";
    private static final String SERVER_PASSWORD = "server-pass-1";
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("source-tls");
            // our CA: signs the source's and our client's certificate
            ca("ca1");
            signed("ca1", "server", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost", SERVER_PASSWORD);
            signed("ca1", "client", "CN=kafka-learn-client", "EKU=clientAuth", KEYS_PASSWORD);
            SecureKafka.keytool("-importcert", "-noprompt", "-alias", "ca1", "-file", file("ca1.pem"), "-storetype", "PKCS12",
                    "-keystore", file("trust.p12"), "-storepass", TRUST_PASSWORD);
            // another CA, which we do not trust, and a source it signed
            ca("ca2");
            signed("ca2", "stranger", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost", SERVER_PASSWORD);
            SecureKafka.keytool("-importcert", "-noprompt", "-alias", "ca2", "-file", file("ca2.pem"), "-storetype", "PKCS12",
                    "-keystore", file("trust2.p12"), "-storepass", TRUST_PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Map<String, String> addresses() {
        // the https component's TLS is made when the context is created
        return Map.of("source.truststore", file("trust.p12"), "source.truststore-password", TRUST_PASSWORD,
                "source.keystore", file("client.p12"), "source.keystore-password", KEYS_PASSWORD);
    }

    @Test
    void privateCaAndClientCertificate() throws Exception {
        String users = new String(TestInfrastructure.resource("/users.json"));
        try (RecordingServer source = RecordingServer.https(serverTls("server", "trust.p12"), true, r -> Answer.json(users))) {
            startPipeline(Map.of("source.url", source.url("/users")));

            await().atMost(30, TimeUnit.SECONDS).until(() -> !log.containing("Sent 10 records").isEmpty()
                    || log.lines().stream().anyMatch(l -> l.level() == Level.ERROR));
            assertTrue(log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), log.lines().toString());
            assertEquals(1, source.requests().size());
            assertEquals("CN=kafka-learn-client", source.requests().get(0).clientCertificate());
            assertEquals(10, readTopic(topic, 10).size());
            assertPasswordsNotLogged();
        }
    }

    @Test
    void aSourceSignedByAnotherCaIsOneClearLine() throws Exception {
        try (RecordingServer source = RecordingServer.https(serverTls("stranger", "trust.p12"), false, r -> Answer.json("[]"))) {
            startPipeline(Map.of("source.url", source.url("/users")));

            await().atMost(30, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.level() == Level.ERROR));
            List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).message().contains("failed the TLS handshake"), errors.toString());
            assertTrue(errors.get(0).message().contains("SOURCE_TRUSTSTORE"), errors.toString());
            assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), log.lines().toString());
            assertTrue(log.containing("retry 1 of").isEmpty(), "a certificate does not change by retrying: " + log.lines());
            assertEquals(0, source.requests().size());
            assertEquals(0, readTopic(topic, 0).size());
            assertPasswordsNotLogged();
        }
    }

    @Test
    void aSourceRefusingOurClientCertificateIsOneClearLine() throws Exception {
        // the source takes only client certificates the other CA signed
        try (RecordingServer source = RecordingServer.https(serverTls("server", "trust2.p12"), true,
                r -> Answer.json("[]"))) {
            startPipeline(Map.of("source.url", source.url("/users"), "source.retries", "1"));

            await().atMost(30, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.level() == Level.ERROR));
            List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level() == Level.ERROR).toList();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).message().contains(source.url("/users")), errors.toString());
            assertTrue(log.lines().stream().noneMatch(LogCapture.Line::withStackTrace), log.lines().toString());
            assertEquals(0, source.requests().size());
            assertPasswordsNotLogged();
        }
    }

    private void assertPasswordsNotLogged() {
        for (String secret : List.of(TRUST_PASSWORD, KEYS_PASSWORD)) {
            log.lines().forEach(l -> assertTrue(!l.message().contains(secret), "in the log: " + l));
        }
    }

    /** The server's key and certificate, and the CA whose client certificates it takes. */
    private static SSLContext serverTls(String name, String clientCas) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(name + ".p12", SERVER_PASSWORD), SERVER_PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(clientCas, TRUST_PASSWORD));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String name, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static void ca(String name) throws Exception {
        SecureKafka.keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=test " + name, "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", file(name + ".p12"),
                "-storepass", "ca-pass-1", "-keypass", "ca-pass-1");
        SecureKafka.keytool("-exportcert", "-rfc", "-alias", name, "-keystore", file(name + ".p12"), "-storepass", "ca-pass-1",
                "-file", file(name + ".pem"));
    }

    /** A key pair in name.p12 whose certificate the CA signed (the CA's certificate in the chain). */
    private static void signed(String ca, String name, String dname, String extension, String password) throws Exception {
        String store = file(name + ".p12");
        SecureKafka.keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", dname,
                "-storetype", "PKCS12", "-keystore", store, "-storepass", password, "-keypass", password);
        SecureKafka.keytool("-certreq", "-alias", name, "-keystore", store, "-storepass", password, "-file", file(name + ".csr"));
        SecureKafka.keytool("-gencert", "-rfc", "-alias", ca, "-keystore", file(ca + ".p12"), "-storepass", "ca-pass-1",
                "-infile", file(name + ".csr"), "-outfile", file(name + ".pem"), "-validity", "2", "-ext", extension);
        SecureKafka.keytool("-importcert", "-noprompt", "-alias", ca, "-file", file(ca + ".pem"), "-keystore", store,
                "-storepass", password);
        SecureKafka.keytool("-importcert", "-alias", name, "-file", file(name + ".pem"), "-keystore", store, "-storepass", password);
    }

    private static String file(String name) {
        return DIR.resolve(name).toString();
    }
}
