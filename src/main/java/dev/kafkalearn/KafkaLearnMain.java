package dev.kafkalearn;

import dev.kafkalearn.ops.DependencyCheck;

import org.slf4j.LoggerFactory;

/**
 * The jar's entry point: camel-main, except that credentials Kafka refuses end the start with that reason as one ERROR
 * line and exit code 1, not a stack trace. (An invalid setting ends it the same way, from the settings check itself,
 * which also works under {@code camel run}.)
 */
public final class KafkaLearnMain {

    private KafkaLearnMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            org.apache.camel.main.Main.main(args);
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DependencyCheck.RefusedCredentials) {
                    LoggerFactory.getLogger("kafka-learn").error("Not started: {}", cause.getMessage());
                    System.exit(1);
                }
            }
            throw e;
        }
    }
}
