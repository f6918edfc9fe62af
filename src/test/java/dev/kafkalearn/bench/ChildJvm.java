package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM the benchmark starts (pipeline, tutorial, connector), run under {@link HeapSampler}, its output in a log file. */
final class ChildJvm {

    private final Process process;
    private final Path log;
    private final Path heapFile;

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(HeapSampler.class.getName());
        command.add(heap.toString());
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ChildJvm child = new ChildJvm(builder.start(), log, heap);
        Runtime.getRuntime().addShutdownHook(new Thread(child.process::destroyForcibly));
        return child;
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
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
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
