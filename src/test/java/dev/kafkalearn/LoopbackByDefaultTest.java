package dev.kafkalearn;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kafkalearn.infra.LocalInfrastructure;
import dev.kafkalearn.support.ListeningSockets;
import dev.kafkalearn.support.ManagementEndpoint;
import dev.kafkalearn.support.PipelineTestSupport;
import dev.kafkalearn.support.TestInfrastructure;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secure by default: nothing the local default starts (mvn -Pdev: the local infrastructure, then the pipeline with
 * application.properties as it is) listens beyond loopback, as the kernel's table of this JVM's listening sockets shows.
 */
class LoopbackByDefaultTest extends PipelineTestSupport {

    private static final int MANAGEMENT_PORT = TestInfrastructure.freePort();

    @Override
    protected Map<String, String> addresses() {
        // management.host is not given: application.properties' default applies, as under mvn -Pdev or java -jar
        return Map.of("management.enabled", "true", "management.port", String.valueOf(MANAGEMENT_PORT));
    }

    @Test
    void theLocalInfrastructureListensOnLoopbackOnly() throws Exception {
        int kafka = TestInfrastructure.freePort();
        int controller = TestInfrastructure.freePort();
        int mongo = TestInfrastructure.freePort();
        int source = TestInfrastructure.freePort();
        try (LocalInfrastructure infra = LocalInfrastructure.start(Map.of(
                "LOCAL_DATA_DIR", Files.createTempDirectory("dev-infra").toString(),
                "LOCAL_KAFKA_PORT", String.valueOf(kafka), "LOCAL_KAFKA_CONTROLLER_PORT", String.valueOf(controller),
                "LOCAL_MONGO_PORT", String.valueOf(mongo), "LOCAL_SOURCE_PORT", String.valueOf(source)))) {
            List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
            for (int port : List.of(kafka, controller, mongo, source)) {
                assertTrue(listening.stream().anyMatch(a -> a.getPort() == port), port + " listens: " + listening);
            }
            assertAllLoopback(listening);
        }
    }

    @Test
    void theManagementServerListensOnLoopbackUnlessToldOtherwise() throws Exception {
        startPipeline(Map.of());
        ManagementEndpoint management = new ManagementEndpoint(MANAGEMENT_PORT);
        await().atMost(30, TimeUnit.SECONDS).until(() -> management.get("/observe/health/live").status() == 200);

        List<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
        List<InetSocketAddress> server = listening.stream().filter(a -> a.getPort() == MANAGEMENT_PORT).toList();
        assertEquals(1, server.size(), "the health and metrics server: " + listening);
        assertEquals("127.0.0.1", server.get(0).getAddress().getHostAddress(), "MANAGEMENT_HOST's default");
        assertAllLoopback(listening);
    }

    private static void assertAllLoopback(List<InetSocketAddress> listening) {
        assertTrue(listening.stream().allMatch(a -> a.getAddress().isLoopbackAddress()),
                "every listening socket of this JVM is on loopback: " + listening);
    }
}
