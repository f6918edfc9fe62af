package dev.kafkalearn.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
import org.apache.camel.spi.OnCamelContextStopped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * camel-kafka's client factory, plus Micrometer's {@link KafkaClientMetrics} on every consumer it creates: the Kafka
 * client's own metrics, among them the consumer lag per partition ({@code kafka_consumer_fetch_manager_records_lag});
 * and every producer it creates gives up on the rest of a group at once when Kafka is unreachable ({@link FailFastProducer}).
 * <p>
 * A partition's lag metric exists only once the consumer fetched from it; KafkaClientMetrics looks for new metrics every
 * 60 s, which we shorten to {@code refreshSeconds} so the lag shows up soon after the partitions are assigned.
 * <p>
 * camel-kafka closes a consumer and creates a new one after some errors: nothing may pile up then. All binders share one
 * refresh thread, and a consumer's close also closes its binder (its meters leave the registry, its refresh stops).
 * The thread ends with the context (its consumers are closed by then).
 */
public class MeteredKafkaClientFactory extends DefaultKafkaClientFactory
        implements CamelContextAware, OnCamelContextStopped {

    private final long refreshSeconds;
    private final ScheduledThreadPoolExecutor refresher;
    private CamelContext camelContext;

    public MeteredKafkaClientFactory(long refreshSeconds) {
        this.refreshSeconds = refreshSeconds;
        this.refresher = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("kafka-client-metrics");
            thread.setDaemon(true);
            return thread;
        });
        refresher.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        return new FailFastProducer(kafkaProps);
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer consumer = super.getConsumer(kafkaProps);
        MeterRegistry registry = camelContext == null ? null
                : camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            return consumer;
        }
        List<Tag> tags = List.of(Tag.of("group", String.valueOf(kafkaProps.getProperty("group.id"))));
        ScheduledFuture<?>[] refresh = new ScheduledFuture<?>[1];
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, tags, refreshingOn(refresh));
        metrics.bindTo(registry);
        return closingAlso(consumer, () -> {
            if (refresh[0] != null) {
                refresh[0].cancel(false);
            }
            metrics.close();
        });
    }

    /**
     * What KafkaClientMetrics schedules on: the shared refresh thread, every refreshSeconds instead of every 60 s; its
     * one task is kept in {@code refresh} (to cancel it when the consumer closes), and a shutdown stops only that task.
     */
    private ScheduledExecutorService refreshingOn(ScheduledFuture<?>[] refresh) {
        return (ScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "scheduleAtFixedRate" -> refresh[0] = refresher.scheduleAtFixedRate(
                            (Runnable) args[0], refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
                    case "shutdown", "shutdownNow" -> {
                        if (refresh[0] != null) {
                            refresh[0].cancel(false);
                        }
                        yield method.getName().equals("shutdownNow") ? List.of() : null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The consumer, whose close() (any of them) also runs {@code cleanup}. */
    private static Consumer closingAlso(Consumer consumer, Runnable cleanup) {
        return (Consumer) Proxy.newProxyInstance(MeteredKafkaClientFactory.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(consumer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("close")) {
                            cleanup.run();
                        }
                    }
                });
    }

    @Override
    public void onContextStopped(CamelContext context) {
        refresher.shutdownNow();
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
