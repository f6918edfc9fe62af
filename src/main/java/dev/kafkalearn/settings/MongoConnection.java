package dev.kafkalearn.settings;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * How to reach MongoDB: MONGO_URI, plus MONGO_TLS_CA_FILE for a server whose certificate a private CA signed, and
 * MONGO_USERNAME/MONGO_PASSWORD for credentials kept out of the URI. The Java driver ignores {@code tlsCAFile} in a
 * connection string (it warns and goes on with the JVM's truststore), so the CA's PEM file becomes an {@link SSLContext}
 * handed to the driver ({@code applyToSslSettings}); a CA file turns TLS on. The password goes to the driver as it is,
 * so it may hold what a URI would need percent-encoded ({@code @ : / % ,}); that user is looked up in the admin
 * database.
 */
public class MongoConnection {

    private final String uri;
    private String tlsCaFile = "";
    private String username = "";
    private String password = "";

    public MongoConnection(String uri) {
        this.uri = uri;
    }

    /**
     * For application.properties: {@code camel.beans.mongoClient = #class:...MongoConnection#lazyClient(#bean:mongoConnection)}.
     * The values reach bean {@code mongoConnection} as properties, never quoted into a call, so no character of a
     * password breaks them; but camel-main creates every bean before it sets any bean's properties, so the client is
     * made on its first use (when the routes start), once they are all set.
     */
    public static MongoClient lazyClient(MongoConnection connection) {
        AtomicReference<MongoClient> client = new AtomicReference<>();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "MongoClient(" + connection + ")";
            }
            try {
                return method.invoke(client.updateAndGet(c -> c != null ? c : connection.client()), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (MongoClient) Proxy.newProxyInstance(MongoClient.class.getClassLoader(), new Class<?>[] {MongoClient.class}, handler);
    }

    @Override
    public String toString() {
        return Secrets.mask(uri);
    }

    public MongoClient client() {
        return MongoClients.create(settings().build());
    }

    public void setTlsCaFile(String tlsCaFile) {
        this.tlsCaFile = tlsCaFile;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String uri() {
        return uri;
    }

    /**
     * How long one operation waits for a reachable server when the URI does not say ({@code serverSelectionTimeoutMS}):
     * 5 s instead of the driver's 30 s. The sink retries a failed write until MongoDB is back, so a shorter wait loses
     * nothing; it makes the first "not reachable" line come sooner, and a stop during an outage end within Camel's
     * shutdown timeout instead of waiting out a write that started just before it (and being forced down).
     */
    static final long SERVER_SELECTION_TIMEOUT_MS = 5000;

    /** The driver's settings for these values, to add more to. */
    public MongoClientSettings.Builder settings() {
        ConnectionString connection = new ConnectionString(uri);
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(connection);
        if (connection.getServerSelectionTimeout() == null) {
            builder.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(SERVER_SELECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        if (username != null && !username.isBlank()) {
            builder.credential(MongoCredential.createCredential(username.trim(), "admin",
                    password == null ? new char[0] : password.toCharArray()));
        }
        if (tlsCaFile != null && !tlsCaFile.isBlank()) {
            SSLContext context = trusting(tlsCaFile.trim());
            builder.applyToSslSettings(ssl -> ssl.enabled(true).context(context));
        }
        return builder;
    }

    /** A TLS context that trusts the certificates of the PEM file (and no others); a file that is not one stops the start. */
    static SSLContext trusting(String caFile) {
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
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
