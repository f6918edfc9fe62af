package dev.kafkalearn.kafka;

import dev.kafkalearn.settings.InvalidSetting;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How every Kafka client of the pipeline authenticates and encrypts: security protocol (PLAINTEXT, SSL,
 * SASL_PLAINTEXT, SASL_SSL), SASL mechanism (SCRAM-SHA-512, SCRAM-SHA-256, PLAIN) with user name and password, and a
 * truststore for TLS. The same settings go to camel-kafka's component (as a {@link ComponentCustomizer}: every kafka:
 * endpoint, tutorial routes included) and to the Admin and consumer clients written in Java
 * ({@link #clientProperties()}). Invalid settings are refused at start, naming the setting; the password never
 * appears in a message.
 */
public class KafkaSecurity implements ComponentCustomizer {

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");

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

    /** The pipeline's settings (bean kafkaSecurity), or PLAINTEXT when there is none. */
    public static KafkaSecurity of(CamelContext context) {
        KafkaSecurity found = context == null ? null
                : context.getRegistry().lookupByNameAndType("kafkaSecurity", KafkaSecurity.class);
        return found != null ? found : new KafkaSecurity();
    }

    boolean sasl() {
        return protocol.startsWith("SASL_");
    }

    boolean tls() {
        return protocol.equals("SSL") || protocol.equals("SASL_SSL");
    }

    /** Refuses settings that cannot work, naming the setting and its value (never a password's). */
    public KafkaSecurity validate() {
        if (!PROTOCOLS.contains(protocol)) {
            throw new InvalidSetting("KAFKA_SECURITY_PROTOCOL", protocol, "one of " + String.join(", ", PROTOCOLS));
        }
        if (sasl()) {
            if (!MECHANISMS.contains(mechanism)) {
                throw new InvalidSetting("KAFKA_SASL_MECHANISM", mechanism, "one of " + String.join(", ", MECHANISMS));
            }
            if (username.isEmpty()) {
                throw new InvalidSetting("KAFKA_SASL_USERNAME", username, "a user name (KAFKA_SECURITY_PROTOCOL is " + protocol + ")");
            }
            if (password.isEmpty()) {
                throw new InvalidSetting("KAFKA_SASL_PASSWORD", "", "a password (KAFKA_SECURITY_PROTOCOL is " + protocol + ")");
            }
        }
        if (tls() && !truststoreLocation.isEmpty() && !Files.isReadable(Path.of(truststoreLocation))) {
            throw new InvalidSetting("KAFKA_SSL_TRUSTSTORE_LOCATION", truststoreLocation, "a readable truststore file");
        }
        return this;
    }

    /** The security part of a Kafka client's configuration (empty for PLAINTEXT). */
    public Properties clientProperties() {
        validate();
        Properties props = new Properties();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (sasl()) {
            props.put(SaslConfigs.SASL_MECHANISM, mechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
        }
        if (tls() && !truststoreLocation.isEmpty()) {
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststoreLocation);
            if (!truststorePassword.isEmpty()) {
                props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
            }
        }
        return props;
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
        validate();
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
