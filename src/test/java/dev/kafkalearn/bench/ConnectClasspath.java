package dev.kafkalearn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classpath of Kafka Connect standalone with the MongoDB sink connector, from bench/connect/pom.xml (Maven
 * Central), resolved once by Maven and cached under the work directory. Kept off the project's own classpath: Connect
 * brings Jetty, Jersey and an older Jackson, the connector an older MongoDB driver.
 */
final class ConnectClasspath {

    private static final Path POM = Path.of("bench/connect/pom.xml").toAbsolutePath();

    private ConnectClasspath() {
    }

    static String resolve(Path workDir) throws IOException, InterruptedException {
        Path file = workDir.toAbsolutePath().resolve("connect.classpath");
        if (Files.exists(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(POM)) > 0) {
            return Files.readString(file).trim();
        }
        List<String> command = new ArrayList<>();
        String mavenHome = System.getProperty("maven.home", System.getenv("MAVEN_HOME"));
        command.add(mavenHome != null && Files.exists(Path.of(mavenHome, "bin", "mvn"))
                ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn");
        command.addAll(List.of("-q", "--no-transfer-progress", "-f", POM.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + file));
        Path log = workDir.toAbsolutePath().resolve("connect-classpath.log");
        Process mvn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!mvn.waitFor(10, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.exists(file)) {
            mvn.destroyForcibly();
            throw new IOException("could not resolve " + POM + " (see " + log + ")");
        }
        return Files.readString(file).trim();
    }

    static String connectorVersion() {
        try {
            Matcher m = Pattern.compile("<mongo-kafka-connect.version>([^<]+)<").matcher(Files.readString(POM));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }
}
