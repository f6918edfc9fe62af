package dev.kafkalearn.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every Kafka client the project builds itself (the checks, the commands, the source's state), made one way: from the
 * Kafka component's configuration, so brokers ({@code camel.component.kafka.brokers}) and security ({@link KafkaSecurity},
 * a customizer of that component) are the routes' own. The routes' consumers and producers are camel-kafka's.
 */
public final class KafkaClients {

    /** How long a command waits for Kafka's answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private KafkaClients() {
    }

    /** An Admin client; {@code timeout} bounds every request. */
    public static Admin admin(CamelContext context, Duration timeout) {
        Properties props = new Properties();
        consumerProperties(context).forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains((String) key)) {
                props.put(key, value);
            }
        });
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(props);
    }

    /** A consumer of text records that belongs to no group (it is assigned partitions) and commits nothing. */
    public static KafkaConsumer<String, String> reader(CamelContext context, String clientId) {
        Properties props = consumerProperties(context);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return new KafkaConsumer<>(props);
    }

    /** The component's consumer settings: brokers, security, and camel-kafka's defaults. */
    private static Properties consumerProperties(CamelContext context) {
        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Properties props = kafka.createConsumerProperties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        return props;
    }

    /** Waits for a Kafka future at most {@link #TIMEOUT}; its cause, not the ExecutionException wrapper, is thrown. */
    public static <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            // Kafka's own (a KafkaException): the routes retry it as they retry any Kafka failure
            throw new org.apache.kafka.common.errors.TimeoutException(
                    "Kafka did not answer within " + TIMEOUT.toSeconds() + " s");
        }
    }
}
