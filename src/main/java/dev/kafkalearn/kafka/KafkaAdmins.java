package dev.kafkalearn.kafka;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;

/** Kafka's Admin client the way the commands use it: a bounded wait, and the real cause as the error a user reads. */
public final class KafkaAdmins {

    public static final long TIMEOUT_SECONDS = 15;

    private KafkaAdmins() {
    }

    public static Admin open(String brokers, KafkaSecurity security) {
        Properties props = security.clientProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return Admin.create(props);
    }

    /** Waits for a Kafka future; its cause, not the ExecutionException wrapper, is what the user reads. */
    public static <T> T await(KafkaFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not answer within " + TIMEOUT_SECONDS + " s");
        }
    }
}
