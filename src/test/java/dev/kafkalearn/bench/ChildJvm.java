package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark starts (pipeline, tutorial, connector under {@link HeapSampler}; the jar or bin/kafka-learn
 * as a user runs them), its output in a log file.
 */
final class ChildJvm {

    private final Process process;
    private final Path log;
    private final Path heapFile;

    long pid() {
        return process.pid();
    }

    private ChildJvm(Process process, Path log, Path heapFile) {
        this.process = process;
        this.log = log;
        this.heapFile = heapFile;
    }

    static ChildJvm start(Path workDir, String name, List<String> jvmOptions, String classpath, String mainClass,
                          List<String> args, Map<String, String> env) throws IOException {
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        Path heap = dir.resolve(name + ".heap");
        Files.deleteIfExists(heap);
        Files.deleteIfExists(dir.resolve(name + ".heap.series"));
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(HeapSampler.class.getName());
        command.add(heap.toString());
        command.add(mainClass);
        command.addAll(args);
        return start(command, log, heap, env);
    }

    /** A command as a user types it (java -jar ..., bin/kafka-learn ...), no heap sampling. */
    static ChildJvm command(Path workDir, String name, List<String> command, Map<String, String> env) throws IOException {
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        return start(command, dir.resolve(name + ".log"), dir.resolve(name + ".heap"), env);
    }

    private static ChildJvm start(List<String> command, Path log, Path heap, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ChildJvm child = new ChildJvm(builder.start(), log, heap);
        Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly));
        return child;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Waits for the process to end by itself; its exit code, or throws after the timeout. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            stop();
            throw new IllegalStateException("still running after " + seconds + " s; see " + log);
        }
        return process.exitValue();
    }

    /** SIGSTOP / SIGCONT: the process freezes (its sockets stay open, nothing answers) and resumes. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The heap over time, from {@link HeapSampler}'s series file: {millis, used, liveAfterLastGc} per line. */
    List<long[]> heapSeries() {
        try {
            return Files.readAllLines(heapFile.resolveSibling(heapFile.getFileName() + ".series")).stream()
                    .map(l -> l.trim().split(" ")).filter(p -> p.length == 3)
                    .map(p -> new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])}).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    Path log() {
        return log;
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the process ended with exit code " + process.exitValue() + "; see " + log);
        }
    }

    /** SIGTERM (camel-main and Connect shut down cleanly), then a kill after 10 s: the measurement is over by then. */
    void stop() {
        stop(10);
    }

    /** The same with a longer grace, for a process that has work to finish when it stops (a class archive to write). */
    void stop(int graceSeconds) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {usedPeak, livePeak, max} in bytes, or -1s if the sampler left nothing. */
    long[] heap() {
        try {
            String[] parts = Files.readString(heapFile).trim().split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1, -1};
        }
    }
}
