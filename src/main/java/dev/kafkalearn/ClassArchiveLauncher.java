package dev.kafkalearn;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.kafkalearn.settings.Setting;
import dev.kafkalearn.settings.SettingsFile;

/**
 * {@code java -jar}'s start: the pipeline runs in a second JVM that maps a class-data sharing archive of the classes a
 * run loads from this jar ({@code kafka-learn-run.jsa} beside it) instead of reading, inflating and verifying them
 * again, the JVM flag a jar cannot give its own JVM. The first run after a build records the archive when it stops
 * ({@code -XX:ArchiveClassesAtExit}); it is kept only if the pipeline stopped normally (exit code 0, or a SIGINT or
 * SIGTERM), so a start refused by a bad setting never leaves a half-empty one.
 * <p>
 * This JVM stays as the pipeline's parent, loading nothing else: a SIGTERM or Ctrl-C to it stops the pipeline
 * gracefully, it exits with the pipeline's exit code, and when this JVM is killed (SIGKILL) the pipeline ends with it at
 * once, as one JVM would: a loopback connection between the two breaks the moment this JVM is gone, and a restarted
 * pipeline never runs beside the old one (they would share the consumer group's static member id). The
 * pipeline runs in this JVM instead when JAR_CLASS_ARCHIVE=false, when this JVM maps or records an archive already
 * (bin/kafka-learn's commands), has options a second JVM could not repeat (an agent: a debugger's port, say; JVM options
 * from JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS), or when there is no archive and the jar's folder cannot hold one.
 */
final class ClassArchiveLauncher {

    /** Given to the pipeline's JVM: the loopback port of the JVM that started it, held open while that JVM lives. */
    static final String LAUNCHER_PORT = "kafkalearn.launcher.port";
    private static final String SETTING = "JAR_CLASS_ARCHIVE";
    /** Options a second JVM must not repeat, or that say this JVM's classes are shared already. */
    private static final List<String> NOT_REPEATED = List.of("-agentlib", "-agentpath", "-javaagent", "-Xshare",
            "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive", "-XX:SharedClassListFile");
    /** A normal stop: exit code 0, SIGINT (Ctrl-C), SIGTERM. */
    private static final Set<Integer> STOPPED = Set.of(0, 130, 143);

    private final Path archive;
    /** The archive being recorded, until it is kept or deleted. */
    private Path recording;
    /** The pipeline's end of it is open while this JVM lives (a field: an unreachable socket would be closed). */
    private Socket link;

    private ClassArchiveLauncher(Path archive) {
        this.archive = archive;
    }

    /**
     * When started by {@code java -jar} and allowed: runs the pipeline in a JVM that maps (or records) the archive and
     * returns its exit code once it ended; else empty, and the caller runs the pipeline in this JVM.
     */
    static OptionalInt launch(String[] args) throws IOException, InterruptedException {
        List<String> javaArgs = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        int jarAt = javaArgs.indexOf("-jar");
        if (jarAt < 0 || jarAt + 1 >= javaArgs.size() || !enabled()) {
            return OptionalInt.empty();
        }
        List<String> options = javaArgs.subList(0, jarAt);
        if (System.getenv("JAVA_TOOL_OPTIONS") != null || System.getenv("JDK_JAVA_OPTIONS") != null
                || options.stream().anyMatch(o -> NOT_REPEATED.stream().anyMatch(o::startsWith))) {
            return OptionalInt.empty();
        }
        // the real path: the archive records the class path, and a run from another folder must match it
        Path jar = Path.of(javaArgs.get(jarAt + 1)).toRealPath();
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        ClassArchiveLauncher launcher = new ClassArchiveLauncher(jar.resolveSibling(name + "-run.jsa"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        // the JVM checks an archive against the jar and ignores one that does not match: nothing to say about it
        command.addAll(List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (!launcher.shareClasses(jar, command)) {
            return OptionalInt.empty();
        }
        ServerSocket linkPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        command.add("-D" + LAUNCHER_PORT + "=" + linkPort.getLocalPort());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Process pipeline = new ProcessBuilder(command).inheritIO().start();
        launcher.holdLink(linkPort);
        // a SIGTERM or Ctrl-C here: the pipeline stops gracefully, and this JVM waits for it (and its archive); the
        // signal goes through the process handle, as Process.destroy() would also close the pipeline's streams
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.toHandle().destroy();
            launcher.keepArchive(awaitExit(pipeline));
        }, "pipeline-stop"));
        int exit = pipeline.waitFor();
        launcher.keepArchive(exit);
        return OptionalInt.of(exit);
    }

    /**
     * In the pipeline's JVM: it ends at once (halts, exit code 137, as a SIGKILL leaves it) when the JVM that started it
     * is gone, killed, without the graceful stop a SIGTERM gets: the user killed the pipeline, and a pipeline started
     * again at once must not run beside this one.
     */
    static void endWithLauncher() {
        String port = System.getProperty(LAUNCHER_PORT);
        if (port == null) {
            return;
        }
        Thread watch = new Thread(() -> {
            try (Socket link = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(port));
                 InputStream in = link.getInputStream()) {
                while (in.read() >= 0) {
                    // the launcher never writes: read returns only when it is gone
                }
            } catch (IOException gone) {
                // refused or reset: gone as well
            }
            System.err.println("The JVM that java -jar started was killed: the pipeline ends with it");
            Runtime.getRuntime().halt(137);
        }, "launcher-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Accepts the pipeline's connection and keeps it open for as long as this JVM lives. */
    private void holdLink(ServerSocket linkPort) {
        Thread accept = new Thread(() -> {
            try (linkPort) {
                link = linkPort.accept();
            } catch (IOException e) {
                // the pipeline ended before it connected
            }
        }, "pipeline-link");
        accept.setDaemon(true);
        accept.start();
    }

    /** The archive's option: map the archive when it is newer than the jar, else record one; false if neither can. */
    private boolean shareClasses(Path jar, List<String> command) throws IOException {
        if (Files.isRegularFile(archive)
                && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
            command.add("-XX:SharedArchiveFile=" + archive);
            return true;
        }
        if (!Files.isWritable(archive.getParent())) {
            return false;
        }
        removeAbandonedRecordings();
        // written under a name of its own, renamed once complete: a run starting meanwhile never maps half an archive
        recording = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid());
        command.add("-XX:ArchiveClassesAtExit=" + recording);
        return true;
    }

    /** Archives a pipeline wrote as it exited after its launching JVM was killed (nobody renamed them): not kept. */
    private void removeAbandonedRecordings() throws IOException {
        String prefix = archive.getFileName() + ".";
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path file : files.toList()) {
                String suffix = file.getFileName().toString().startsWith(prefix)
                        ? file.getFileName().toString().substring(prefix.length()) : "";
                if (suffix.matches("[0-9]+") && ProcessHandle.of(Long.parseLong(suffix)).isEmpty()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The archive the pipeline's JVM wrote as it exited: kept after a normal stop, else deleted. */
    private synchronized void keepArchive(int exit) {
        if (recording == null) {
            return;
        }
        try {
            if (STOPPED.contains(exit) && Files.isRegularFile(recording)) {
                Files.move(recording, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            // no archive this time: the next run records one
        }
        recording = null;
    }

    private static int awaitExit(Process process) {
        while (true) {
            try {
                process.waitFor(1, TimeUnit.DAYS);
                return process.isAlive() ? -1 : process.exitValue();
            } catch (InterruptedException e) {
                // the pipeline is stopping: wait for it
            }
        }
    }

    /** JAR_CLASS_ARCHIVE, else application.properties' default for it: true. */
    private static boolean enabled() throws IOException {
        String value = System.getenv(SETTING);
        if (value == null) {
            try (InputStream in = ClassArchiveLauncher.class.getResourceAsStream("/application.properties")) {
                value = in == null ? null : SettingsFile.parse(new InputStreamReader(in, StandardCharsets.UTF_8)).stream()
                        .filter(s -> s.variable().equals(SETTING)).map(Setting::defaultValue).findFirst().orElse(null);
            }
        }
        // anything else: in this JVM, whose settings check names the invalid value
        return "true".equals(value);
    }
}
