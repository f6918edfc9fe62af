package dev.kafkalearn.infra;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;

/**
 * The one-command run: the local infrastructure, then the pipeline on the routes in ./routes, reloading a route file
 * when it is saved. The source defaults to the local copy of the 10 users; SOURCE_URL and the other settings still
 * apply. Ctrl-C stops the pipeline first (it finishes and commits what it is writing), then the infrastructure.
 */
public final class DevMode {

    private DevMode() {
    }

    /**
     * MANAGEMENT_PORT when set (the pipeline says so if it is taken); else 8080, or any free port when 8080 is taken
     * (common on a developer's machine): dev mode is for trying things out, the URLs are printed either way.
     */
    static int managementPort() {
        String set = System.getenv("MANAGEMENT_PORT");
        if (set != null && !set.isBlank()) {
            return Integer.parseInt(set.trim());
        }
        if (LocalPorts.free(8080)) {
            return 8080;
        }
        int port = LocalPorts.any();
        System.out.printf("Port 8080 is in use by another program: health and metrics go to port %d instead"
                          + " (MANAGEMENT_PORT chooses one)%n", port);
        return port;
    }

    public static void main(String[] args) throws Exception {
        LocalInfrastructure.exitWithParent();
        int managementPort = managementPort();
        LocalInfrastructure infra = LocalInfrastructure.startOrExit();
        if (System.getenv("SOURCE_URL") == null) {
            System.setProperty("source.url", infra.sourceUrl());
        }
        if (System.getenv("KAFKA_BROKERS") == null) {
            System.setProperty("kafka.brokers", infra.kafkaBootstrap());
        }
        if (System.getenv("MONGO_URI") == null) {
            System.setProperty("mongo.uri", infra.mongoUri());
        }
        System.setProperty("management.port", String.valueOf(managementPort));
        if (System.getenv("MANAGEMENT_DEV_CONSOLE") == null) {
            System.setProperty("management.dev-console", "true");
        }
        System.out.printf("""
                  Health                   http://localhost:%1$d/observe/health/ready   (/live: the process)
                  Metrics (Prometheus)     http://localhost:%1$d/observe/metrics
                  Camel's console          http://localhost:%1$d/q/dev
                """, managementPort);
        System.setProperty("camel.main.routesIncludePattern", "file:routes/pipeline/*.camel.yaml");
        System.setProperty("camel.main.routesReloadEnabled", "true");
        System.setProperty("camel.main.routesReloadDirectory", "routes/pipeline");
        System.setProperty("camel.main.routesReloadPattern", "*.camel.yaml");

        CountDownLatch pipelineStopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pipelineStopped.await(40, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            infra.close();
        }, "dev-mode-stop"));
        try {
            new Main().run(args);
        } finally {
            pipelineStopped.countDown();
            infra.close();
        }
    }
}
