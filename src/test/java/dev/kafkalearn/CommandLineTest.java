package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/kafka-learn's help and exit codes, and its output to a pipe free of terminal codes, even where Maven's is not
 * (Maven 3.8 writes ESC[0m in batch mode with colours off): a stand-in `mvn` that writes such codes and fails shows
 * what a failed build prints. No jar, Kafka or Java run is needed for these.
 */
class CommandLineTest {

    private static final String LAUNCHER = Path.of("bin/kafka-learn").toAbsolutePath().toString();
    private static final List<String> COMMANDS = List.of("topics", "producer-demo", "consumer-demo", "console-producer",
            "console-consumer", "reconcile", "replay");

    @Test
    void helpListsEveryCommandAndTheExitCodes() throws Exception {
        Result help = run(Map.of(), "--help");
        assertEquals(0, help.exitCode);
        for (String command : COMMANDS) {
            assertTrue(help.output.contains("  " + command), command + " in --help:\n" + help.output);
        }
        assertTrue(help.output.contains("Exit codes: 0 done; 1 the command failed"), help.output);
        assertFalse(help.output.contains("\u001B"), "no terminal codes");
    }

    @Test
    void everyCommandHasItsOwnHelp() throws Exception {
        for (String command : COMMANDS) {
            for (String flag : List.of("--help", "-h")) {
                Result help = run(Map.of(), command, flag);
                assertEquals(0, help.exitCode, command + " " + flag + ": " + help.output);
                assertTrue(help.output.startsWith("Usage: bin/kafka-learn " + command), help.output);
                assertTrue(help.output.contains("Exit codes: 0 done, 1 the command failed (an ERROR line), 2 a usage error."));
                assertFalse(help.output.contains("\u001B"));
            }
        }
        Result withOptions = run(Map.of(), "replay", "--from", "earliest", "--help");
        assertEquals(0, withOptions.exitCode, "--help after other options too");
    }

    @Test
    void aUsageErrorIsOneLineAndExitCode2() throws Exception {
        assertEquals(new Result(2, "kafka-learn: topics needs one of --create, --list, --describe\n"),
                run(Map.of("KAFKA_LEARN_JAR", "/nonexistent/kafka-learn.jar"), "topics"));
        assertEquals(new Result(2, "kafka-learn: --topic needs a value\n"), run(Map.of(), "reconcile", "--topic"));
    }

    @Test
    void aFailedBuildShowsMavensOutputWithoutTerminalCodesAndExits1() throws Exception {
        Path bin = Files.createTempDirectory("fake-maven");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\nprintf '\\033[0m\\033[0m\\033[1;31m[ERROR]\\033[m COMPILATION ERROR\\033[0m\\n'\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result result = run(Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "KAFKA_LEARN_JAR", bin.resolve("missing.jar").toString()), "topics", "--list");
        assertEquals(1, result.exitCode, result.output);
        assertEquals(List.of("Building " + bin.resolve("missing.jar") + " (once) ...", "[ERROR] COMPILATION ERROR",
                "kafka-learn: could not build " + bin.resolve("missing.jar") + " (Maven's output above)"),
                result.output.lines().toList());
    }

    private record Result(int exitCode, String output) {
    }

    /** bin/kafka-learn with its output to a pipe (not a terminal), standard error with it. */
    private static Result run(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/kafka-learn " + String.join(" ", args) + " ends");
        return new Result(process.exitValue(), output);
    }
}
