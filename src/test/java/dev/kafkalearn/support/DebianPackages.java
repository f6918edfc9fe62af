package dev.kafkalearn.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The outside tools some tests check the product with (stunnel4, docker-compose, kubectl, chromium) are Debian
 * packages: a test installs the one it needs when its command is missing (the tests run as root, as CI does).
 */
public final class DebianPackages {

    private DebianPackages() {
    }

    /** Makes sure the command is on the PATH, installing the package (named like the command unless given) if not. */
    public static void installWhenMissing(String command, String... packageName) throws Exception {
        if (onPath(command)) {
            return;
        }
        String pkg = packageName.length > 0 ? packageName[0] : command;
        if (run(null, "apt-get", "install", "-y", "-q", pkg) != 0) {
            run(null, "apt-get", "update", "-q");
            run(null, "apt-get", "install", "-y", "-q", pkg);
        }
        if (!onPath(command)) {
            throw new IllegalStateException(command + " is missing and `apt-get install -y " + pkg + "` did not install it");
        }
    }

    public static boolean onPath(String command) {
        return List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** Runs a command (in dir, if given) to its end, output discarded; its exit code. */
    public static int run(Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 10 minutes");
        }
        return process.exitValue();
    }
}
