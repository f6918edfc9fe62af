package dev.kafkalearn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.support.DebianPackages;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel's developer console on the management server, as a person opens it: a real headless browser (Debian's
 * chromium, installed when missing) loads http://host:port/q/dev/route of the running pipeline and finds its routes,
 * with what they have processed.
 */
class DevConsoleTest extends PipelineTestSupport {

    private static final int HTTP_PORT = TestInfrastructure.freePort();

    @Override
    protected Map<String, String> addresses() {
        return Map.of("management.enabled", "true", "management.host", "127.0.0.1",
                "management.port", String.valueOf(HTTP_PORT), "management.dev-console", "true");
    }

    /** As the jar runs: with JMX (camel-main's default; camel-test turns it off), which the route page reads. */
    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withJMX(true);
    }

    @Test
    void aBrowserFindsThePipelinesRoutesInTheDevConsole() throws Exception {
        DebianPackages.installWhenMissing("chromium");
        startPipeline(Map.of("source.url", INFRA.source.url("/users")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> collection().countDocuments() == 10);

        String page = browse("http://127.0.0.1:" + HTTP_PORT + "/q/dev/route");
        for (String route : List.of("source-to-kafka", "kafka-to-mongodb", "dependency-check", "progress")) {
            assertTrue(page.contains(route), route + " in the console:\n" + page);
        }
        assertTrue(page.contains("Started"), page);
        String index = browse("http://127.0.0.1:" + HTTP_PORT + "/q/dev");
        assertTrue(index.contains("route"), "the console's index lists its pages:\n" + index);
    }

    /** The page as chromium renders it (--dump-dom), headless, with a profile of its own. */
    private static String browse(String url) throws Exception {
        Path profile = Files.createTempDirectory("chromium");
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--dump-dom", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(chromium.waitFor(60, TimeUnit.SECONDS), "chromium ends");
        assertEquals(0, chromium.exitValue(), dom);
        return dom;
    }
}
