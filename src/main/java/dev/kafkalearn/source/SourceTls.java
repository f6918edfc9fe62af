package dev.kafkalearn.source;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The source's TLS as Camel's own SSLContextParameters (camel-http's https component uses it): SOURCE_TRUSTSTORE for a
 * private CA, SOURCE_KEYSTORE for a client certificate (mutual TLS). A store is a file path (PKCS12 or JKS, told apart
 * by the JDK) or a classpath: resource. Unset, the JVM's defaults are used, as without this class.
 */
public final class SourceTls {

    private SourceTls() {
    }

    /** For application.properties: {@code #class:dev.kafkalearn.source.SourceTls#create(...)}. */
    public static SSLContextParameters create(String truststore, String truststorePassword, String keystore,
                                              String keystorePassword) {
        SSLContextParameters tls = new SSLContextParameters();
        // the JDK's choice of protocol versions, as without SOURCE_TRUSTSTORE (Camel's own default is TLSv1.3 only)
        tls.setSecureSocketProtocol("TLS");
        if (!truststore.isBlank()) {
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store(truststore, truststorePassword));
            tls.setTrustManagers(trust);
        }
        if (!keystore.isBlank()) {
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store(keystore, keystorePassword));
            keys.setKeyPassword(keystorePassword);
            tls.setKeyManagers(keys);
        }
        return tls;
    }

    private static KeyStoreParameters store(String location, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource(location.startsWith("classpath:") || location.startsWith("file:") ? location : "file:" + location);
        store.setPassword(password);
        // PKCS12 by default; the JDK's PKCS12 keystore reads JKS files too (keystore.type.compat)
        store.setType("PKCS12");
        return store;
    }
}
