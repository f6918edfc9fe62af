package dev.kafkalearn.kafka;

import org.apache.camel.Component;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.ComponentCustomizer;

/**
 * How every Kafka client of the pipeline authenticates and encrypts: security protocol (PLAINTEXT, SSL,
 * SASL_PLAINTEXT, SASL_SSL), SASL mechanism (SCRAM-SHA-512, SCRAM-SHA-256, PLAIN) with user name and password, and a
 * truststore for TLS. The same settings go to camel-kafka's component (as a {@link ComponentCustomizer}: every kafka:
 * endpoint, tutorial routes included), and so to the clients written in Java, which {@link KafkaClients} builds from
 * that component's configuration. The settings' values were checked at start (settings.Rules); the password never
 * appears in a message.
 */
public class KafkaSecurity implements ComponentCustomizer {

    private String protocol = "PLAINTEXT";
    private String mechanism = "SCRAM-SHA-512";
    private String username = "";
    private String password = "";
    private String truststoreLocation = "";
    private String truststorePassword = "";

    public void setProtocol(String protocol) {
        this.protocol = trim(protocol).toUpperCase(java.util.Locale.ROOT);
    }

    public void setMechanism(String mechanism) {
        this.mechanism = trim(mechanism).toUpperCase(java.util.Locale.ROOT);
    }

    public void setUsername(String username) {
        this.username = trim(username);
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    public void setTruststoreLocation(String truststoreLocation) {
        this.truststoreLocation = trim(truststoreLocation);
    }

    public void setTruststorePassword(String truststorePassword) {
        this.truststorePassword = truststorePassword == null ? "" : truststorePassword;
    }

    boolean sasl() {
        return protocol.startsWith("SASL_");
    }

    boolean tls() {
        return protocol.equals("SSL") || protocol.equals("SASL_SSL");
    }

    /** "…LoginModule required username="…" password="…";" for the mechanism. */
    String jaasConfig() {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    /** A short description for logs: protocol, mechanism and user, never the password. */
    public String describe() {
        return sasl() ? protocol + " " + mechanism + " as " + username : protocol;
    }

    @Override
    public boolean isEnabled(String name, Component target) {
        return target instanceof KafkaComponent;
    }

    @Override
    public void configure(String name, Component target) {
        KafkaConfiguration configuration = ((KafkaComponent) target).getConfiguration();
        configuration.setSecurityProtocol(protocol);
        if (sasl()) {
            configuration.setSaslMechanism(mechanism);
            configuration.setSaslJaasConfig(jaasConfig());
        }
        if (tls() && !truststoreLocation.isEmpty()) {
            configuration.setSslTruststoreLocation(truststoreLocation);
            if (!truststorePassword.isEmpty()) {
                configuration.setSslTruststorePassword(truststorePassword);
            }
        }
    }

    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
