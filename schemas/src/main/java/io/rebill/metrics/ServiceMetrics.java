package io.rebill.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's Prometheus registry: every meter carries the tags {@code service} and
 * {@code instance}; JVM and process meters (memory, GC, threads, CPU, uptime) are bound from the
 * start, Kafka clients and stream applications when the service binds them. {@link #scrape()}
 * renders the Prometheus text format 0.0.4 for {@code GET /metrics}.
 *
 * <p>Kafka's own metrics are copied into meters named {@code kafka_<group>_<name>} (group without
 * {@code -metrics}, dashes as underscores), e.g. {@code kafka_consumer_fetch_manager_records_lag_max}
 * or {@code kafka_stream_thread_process_total}; metrics Kafka adds later (a newly assigned task or
 * partition) are picked up every {@link #KAFKA_REFRESH}.
 */
public final class ServiceMetrics implements AutoCloseable {

    /** Content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How often new Kafka client and Streams metrics are looked for. */
    public static final Duration KAFKA_REFRESH = Duration.ofSeconds(10);
    public static final String SERVICE_TAG = "service";
    public static final String INSTANCE_TAG = "instance";

    private static final Logger log = LoggerFactory.getLogger(ServiceMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService kafkaRefresh;
    private final List<AutoCloseable> bound = new ArrayList<>();

    private ServiceMetrics(String service, String instance) {
        registry.config().commonTags(Tags.of(SERVICE_TAG, service, INSTANCE_TAG, instance));
        kafkaRefresh = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "metrics-kafka-" + service);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A registry tagged {@code service} and {@code instance}, with the JVM and process meters bound. */
    public static ServiceMetrics create(String service, String instance) {
        ServiceMetrics metrics = new ServiceMetrics(service, instance);
        metrics.bind(new JvmMemoryMetrics());
        metrics.bind(new JvmGcMetrics());
        metrics.bind(new JvmThreadMetrics());
        metrics.bind(new ProcessorMetrics());
        metrics.bind(new UptimeMetrics());
        return metrics;
    }

    /** The host name, for the {@code instance} tag of a service that has no instance id of its own. */
    public static String defaultInstance() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "local";
        }
    }

    /** Where the service registers its own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Binds the meters to this registry; those that must be closed are closed with it. */
    public synchronized <B extends MeterBinder> B bind(B binder) {
        binder.bindTo(registry);
        if (binder instanceof AutoCloseable closeable) {
            bound.add(closeable);
        }
        return binder;
    }

    /** A producer's metrics, e.g. {@code kafka_producer_record_send_total}. */
    public void bindKafkaClient(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer, Tags.empty(), kafkaRefresh, KAFKA_REFRESH));
    }

    /** A consumer's metrics, e.g. {@code kafka_consumer_fetch_manager_records_lag_max}. */
    public void bindKafkaClient(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer, Tags.empty(), kafkaRefresh, KAFKA_REFRESH));
    }

    /** For Kafka binders in this package: the thread that refreshes them. */
    ScheduledExecutorService kafkaRefresh() {
        return kafkaRefresh;
    }

    /** Every meter, in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    public byte[] scrapeBytes() {
        return scrape().getBytes(StandardCharsets.UTF_8);
    }

    /** Unbinds the Kafka and JVM binders and closes the registry. */
    @Override
    public synchronized void close() {
        for (AutoCloseable closeable : bound) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Could not close {}: {}", closeable, e.toString());
            }
        }
        bound.clear();
        kafkaRefresh.shutdownNow();
        registry.close();
    }
}
