package dev.kafkalearn.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: is Kafka (or MongoDB) reachable right now? Asks with {@link DependencyCheck}'s own probe (bean
 * {@code dependencies}), so the check uses the pipeline's addresses and security settings. Not a liveness check: an
 * unreachable dependency is waited for, restarting the pipeline would not help.
 */
public class DependencyHealthCheck extends AbstractHealthCheck {

    // both checks together stay within a probe's usual 5 s timeout
    private static final int TIMEOUT_MS = 1500;

    private final String dependency;

    /** @param dependency {@code kafka} or {@code mongodb} */
    public DependencyHealthCheck(String dependency) {
        super("kafka-learn", dependency);
        if (!dependency.equals("kafka") && !dependency.equals("mongodb")) {
            throw new IllegalArgumentException("dependency must be kafka or mongodb, not " + dependency);
        }
        this.dependency = dependency;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        DependencyCheck probe = getCamelContext().getRegistry().lookupByNameAndType("dependencies", DependencyCheck.class);
        boolean kafka = dependency.equals("kafka");
        String where = kafka ? probe.kafkaBrokers() : probe.mongoHosts();
        builder.detail("address", where);
        try {
            if (kafka) {
                probe.kafkaCluster(TIMEOUT_MS);
            } else {
                probe.pingMongo(TIMEOUT_MS);
            }
            builder.up();
        } catch (Exception e) {
            builder.message((kafka ? "Kafka" : "MongoDB") + " at " + where + " is not reachable ("
                    + DependencyCheck.reason(e, TIMEOUT_MS) + ")");
            builder.down();
        }
    }
}
