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

    public static void main(String[] args) throws Exception {
        LocalInfrastructure.exitWithParent();
        LocalInfrastructure infra = LocalInfrastructure.start();
        if (System.getenv("SOURCE_URL") == null) {
            System.setProperty("source.url", infra.sourceUrl());
        }
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
