package dev.kafkalearn.settings;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * The MongoDB client's settings: MONGO_URI, plus MONGO_TLS_CA_FILE for a server whose certificate a private CA signed.
 * The Java driver ignores {@code tlsCAFile} in a connection string (it warns and goes on with the JVM's truststore), so
 * the CA's PEM file becomes an {@link SSLContext} handed to the driver ({@code applyToSslSettings}); {@code tls=true}
 * in MONGO_URI turns TLS on, and a CA file alone turns it on too.
 */
public final class MongoConnection {

    private MongoConnection() {
    }

    /** For application.properties: {@code camel.beans.mongoClient = #class:...MongoConnection#client(uri, caFile)}. */
    public static MongoClient client(String uri, String caFile) {
        return MongoClients.create(settings(uri, caFile).build());
    }

    /** The settings of MONGO_URI and MONGO_TLS_CA_FILE (empty: the JVM's truststore), to add more to. */
    public static MongoClientSettings.Builder settings(String uri, String caFile) {
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri));
        if (caFile != null && !caFile.isBlank()) {
            SSLContext context = trusting(caFile.trim());
            builder.applyToSslSettings(ssl -> ssl.enabled(true).context(context));
        }
        return builder;
    }

    /** A TLS context that trusts the certificates of the PEM file (and no others); a file that is not one stops the start. */
    static SSLContext trusting(String caFile) {
        Path path = Path.of(caFile);
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidSetting("MONGO_TLS_CA_FILE", caFile, "a PEM file with the CA's certificate, and it has none");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (InvalidSetting e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new InvalidSetting("MONGO_TLS_CA_FILE", caFile, "a readable PEM file with the CA's certificate ("
                    + e.getClass().getSimpleName() + ")");
        } catch (Exception e) {
            throw new InvalidSetting("MONGO_TLS_CA_FILE", caFile, "a PEM file with the CA's certificate ("
                    + Secrets.shortMessage(e.getMessage()) + ")");
        }
    }
}
