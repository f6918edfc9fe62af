package dev.kafkalearn.kafka;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * camel-kafka's client factory, plus Micrometer's {@link KafkaClientMetrics} on every consumer it creates: the Kafka
 * client's own metrics, among them the consumer lag per partition ({@code kafka_consumer_fetch_manager_records_lag}).
 * <p>
 * A partition's lag metric exists only once the consumer fetched from it; KafkaClientMetrics looks for new metrics every
 * 60 s, which we shorten to {@code refreshSeconds} so the lag shows up soon after the partitions are assigned.
 */
public class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements CamelContextAware {

    private final long refreshSeconds;
    private CamelContext camelContext;

    public MeteredKafkaClientFactory(long refreshSeconds) {
        this.refreshSeconds = refreshSeconds;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer consumer = super.getConsumer(kafkaProps);
        MeterRegistry registry = camelContext == null ? null
                : camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry != null) {
            List<Tag> tags = List.of(Tag.of("group", String.valueOf(kafkaProps.getProperty("group.id"))));
            new KafkaClientMetrics(consumer, tags, refreshingEvery(refreshSeconds)).bindTo(registry);
        }
        return consumer;
    }

    /** A daemon scheduler that runs KafkaClientMetrics' periodic refresh every `seconds` instead of every 60 s. */
    private static ScheduledExecutorService refreshingEvery(long seconds) {
        return new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("kafka-client-metrics");
            thread.setDaemon(true);
            return thread;
        }) {
            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
                return super.scheduleAtFixedRate(command, seconds, seconds, TimeUnit.SECONDS);
            }
        };
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
