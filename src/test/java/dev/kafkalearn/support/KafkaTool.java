package dev.kafkalearn.support;

import org.apache.kafka.common.utils.Exit;

/** Runs one of Kafka's command-line tools in this JVM: its main's Exit.exit becomes the returned exit code. */
public final class KafkaTool {

    public interface Main {
        void run() throws Exception;
    }

    private KafkaTool() {
    }

    public static int run(Main main) throws Exception {
        int[] exitCode = {0};
        boolean[] exited = {false};
        Exit.setExitProcedure((code, message) -> {
            if (!exited[0]) {
                exited[0] = true;
                exitCode[0] = code;
            }
            throw new ToolExited();
        });
        try {
            main.run();
        } catch (ToolExited e) {
            // its main ended with Exit.exit(code)
        } finally {
            Exit.resetExitProcedure();
        }
        return exitCode[0];
    }

    private static final class ToolExited extends RuntimeException {
        ToolExited() {
            super(null, null, false, false);
        }
    }
}
