package dev.kafkalearn;

import java.util.OptionalInt;

import dev.kafkalearn.ops.DependencyCheck;

import org.slf4j.LoggerFactory;

/**
 * The jar's entry point: camel-main, except that credentials Kafka refuses end the start with that reason as one ERROR
 * line and exit code 1, not a stack trace. (An invalid setting ends it the same way, from the settings check itself,
 * which also works under {@code camel run}.) Started by {@code java -jar}, it runs the pipeline in a second JVM with class
 * data sharing ({@link ClassArchiveLauncher}).
 */
public final class KafkaLearnMain {

    private KafkaLearnMain() {
    }

    public static void main(String[] args) throws Exception {
        OptionalInt launched = ClassArchiveLauncher.launch(args);
        if (launched.isPresent()) {
            System.exit(launched.getAsInt());
        }
        ClassArchiveLauncher.endWithLauncher();
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
